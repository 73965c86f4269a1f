import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fullConfigTable } from '../services/common/config-registry.js';
import { repoRoot } from '../services/common/paths.js';
import { configBlock } from '../services/cli/commands/config.js';
import { loadCommands } from '../services/cli/main.js';

function docsPages(dir = join(repoRoot(), 'docs')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? docsPages(join(dir, e.name)) : e.name.endsWith('.md') ? [readFileSync(join(dir, e.name), 'utf8')] : []);
}

describe('README stays true to the code', () => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');

  it('the configuration table is the one the config schemas generate', async () => {
    const block = configBlock(readme);
    assert.ok(block, 'README.md has the configuration markers');
    assert.equal(block, (await fullConfigTable()).trim(), 'README configuration table is stale: run `npm run docs:config`');
  });

  it('names every CLI command', async () => {
    for (const name of (await loadCommands()).keys()) assert.ok(readme.includes(`llm-audit ${name}`), `README does not mention 'llm-audit ${name}'`);
  });

  it('names the test, eval, demo and bench commands that package.json defines', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const s of ['test', 'eval', 'demo', ...Object.keys(pkg.scripts).filter((k) => k.startsWith('bench:'))]) {
      // a command may be documented on its topic page under docs/ instead
      const said = (text: string) => text.includes(`npm run ${s}`) || (s === 'test' && text.includes('npm test'));
      assert.ok(said(readme) || docsPages().some(said), `neither README nor docs/ mentions npm run ${s}`);
    }
  });
});
