import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root (where package.json and schemas/ live), whether running from services/ or dist/. */
export function repoRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'schemas'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the llm-audit package root (package.json beside schemas/)');
    dir = up;
  }
  return (root = dir);
}

export const schemasDir = (): string => join(repoRoot(), 'schemas');
export const deployDir = (): string => join(repoRoot(), 'deploy');
