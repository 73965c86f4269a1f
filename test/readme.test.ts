import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fullConfigTable } from '../services/common/config-registry.js';
import { repoRoot } from '../services/common/paths.js';
import { configBlock } from '../services/cli/commands/config.js';
import { loadCommands } from '../services/cli/main.js';

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
    // the docs/ pages count too: a benchmark may be documented on its topic's page
    const pages = (readdirSync(join(repoRoot(), 'docs'), { recursive: true }) as string[]).filter((f) => f.endsWith('.md'));
    const all = [readme, ...pages.map((f) => readFileSync(join(repoRoot(), 'docs', f), 'utf8'))].join('\n');
    const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const s of ['test', 'eval', 'demo', ...Object.keys(pkg.scripts).filter((k) => k.startsWith('bench:'))]) {
      assert.ok(all.includes(`npm run ${s}`) || (s === 'test' && readme.includes('npm test')), `neither README nor docs/ mention npm run ${s}`);
    }
  });
});
