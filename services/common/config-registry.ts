import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { configRegistry, configTable } from './config.js';

/**
 * Loads every module that defines a config schema (found by scanning services/, not by a list),
 * so the generated configuration reference and the docker-compose check see all of them.
 */
export async function loadAllConfigs(): Promise<typeof configRegistry> {
  const servicesDir = dirname(dirname(fileURLToPath(import.meta.url)));
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.js$/.test(f) && !/\.test\.js$/.test(f) && !p.endsWith(join('common', 'config.js'))) files.push(p);
    }
  };
  walk(servicesDir);
  for (const f of files.sort()) {
    if (readFileSync(f, 'utf8').includes('defineConfig(')) await import(pathToFileURL(f).href);
  }
  return configRegistry;
}

export async function fullConfigTable(): Promise<string> {
  await loadAllConfigs();
  return configTable();
}
