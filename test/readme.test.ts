import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fullConfigTable } from '../services/common/config-registry.js';
import { repoRoot } from '../services/common/paths.js';
import { configBlock } from '../services/cli/commands/config.js';
import { loadCommands } from '../services/cli/main.js';

describe('README stays true to the code', () => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  // commands and scripts may be documented on their own docs/ page instead of the README
  const pages: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.md')) pages.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(repoRoot(), 'docs'));
  const docs = [readme, ...pages].join('\n');

  it('the configuration table is the one the config schemas generate', async () => {
    const block = configBlock(readme);
    assert.ok(block, 'README.md has the configuration markers');
    assert.equal(block, (await fullConfigTable()).trim(), 'README configuration table is stale: run `npm run docs:config`');
  });

  it('names every CLI command', async () => {
    for (const name of (await loadCommands()).keys()) assert.ok(docs.includes(`llm-audit ${name}`), `neither README nor docs/ mention 'llm-audit ${name}'`);
  });

  it('names the test, eval, demo and bench commands that package.json defines', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const s of ['test', 'eval', 'demo', ...Object.keys(pkg.scripts).filter((k) => k.startsWith('bench:'))]) {
      assert.ok(docs.includes(`npm run ${s}`) || (s === 'test' && docs.includes('npm test')), `neither README nor docs/ mention npm run ${s}`);
    }
  });
});
