import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../services/common/paths.js';
import { discoverDocPages, render } from '../services/docs/page.js';
import { markdownFiles } from './markdown.js';
import { MOVED_README_SECTIONS } from './helpers.js';

describe('the docs stay true to the code', async () => {
  const pages = await discoverDocPages();

  it('the README stays under 20 KB', () => {
    const size = statSync(join(repoRoot(), 'README.md')).size;
    assert.ok(size < 20 * 1024, `README.md is ${size} bytes; move reference material into docs/`);
  });

  it('generates the configuration, CLI, alert-rule and metrics reference pages', () => {
    const paths = pages.map((p) => p.path);
    for (const p of ['configuration', 'cli', 'alert-rules', 'metrics']) assert.ok(paths.includes(`docs/reference/${p}.md`), `no generator for docs/reference/${p}.md`);
  });

  for (const p of pages) {
    it(`${p.path} is what the code generates`, async () => {
      let onDisk = '';
      try {
        onDisk = readFileSync(join(repoRoot(), p.path), 'utf8');
      } catch {
        assert.fail(`${p.path} is missing: run \`npm run docs\``);
      }
      assert.equal(onDisk, await render(p), `${p.path} is stale: run \`npm run docs\``);
    });
  }

  it('the pages the README sections moved to exist (readmeSection reads them for older tests)', () => {
    for (const [title, paths] of Object.entries(MOVED_README_SECTIONS)) {
      for (const p of paths) assert.ok(existsSync(join(repoRoot(), p)), `${title} -> ${p}`);
    }
  });

  it('names the test, eval, demo, docs and bench commands that package.json defines', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const text = markdownFiles().map((f) => readFileSync(join(repoRoot(), f), 'utf8')).join('\n');
    for (const s of ['test', 'eval', 'demo', 'docs', ...Object.keys(pkg.scripts).filter((k) => k.startsWith('bench:'))]) {
      assert.ok(text.includes(`npm run ${s}`) || (s === 'test' && text.includes('npm test')), `no page mentions npm run ${s}`);
    }
  });
});
