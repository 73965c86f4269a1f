import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError } from '../common/errors.js';
import type { DetectorDef } from './detector.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Every file in detectors/ (not its tests) that exports `detector`: no list to edit (detection-rules style). */
export async function discoverDetectors(dir = join(here, 'detectors')): Promise<{ file: string; def: DetectorDef }[]> {
  const files = readdirSync(dir)
    .filter((f) => /\.(js|ts)$/.test(f) && !/\.test\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
    .filter((f, _i, all) => !(f.endsWith('.ts') && all.includes(f.replace(/\.ts$/, '.js'))))
    .sort();
  const out: { file: string; def: DetectorDef }[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { detector?: DetectorDef };
    if (!mod.detector) throw new ConfigError(`detectors/${f} does not export \`detector\`; every file there is a detector`);
    out.push({ file: f, def: mod.detector });
  }
  const names = new Set<string>();
  for (const { file, def } of out) {
    if (names.has(def.name)) throw new ConfigError(`two detectors are named ${def.name} (detectors/${file})`);
    names.add(def.name);
  }
  return out;
}
