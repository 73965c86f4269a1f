import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../services/common/paths.js';
import { checkLinks, markdownFiles } from './markdown.js';

describe('links between documentation pages', () => {
  const root = repoRoot();
  const read = (p: string) => {
    const abs = join(root, p);
    if (relative(root, abs).startsWith('..') || !existsSync(abs)) return undefined;
    return statSync(abs).isDirectory() ? '' : readFileSync(abs, 'utf8');
  };
  const files = markdownFiles();
  const { problems, reachable } = checkLinks(read, files);

  it('no dead relative link or anchor in README.md and docs/', () => {
    assert.deepEqual(problems, []);
  });

  it('every page under docs/ is reachable from README.md', () => {
    assert.deepEqual(files.filter((f) => !reachable.has(f)), []);
  });

  it('the checker finds a dead link, a dead anchor and an orphan page', () => {
    const pages: Record<string, string> = {
      'README.md': '# Top\n[a](docs/a.md) [gone](docs/gone.md) `[code](docs/not-a-link.md)`\n```\n[fenced](docs/x.md)\n```\n',
      'docs/a.md': '# A page\n## Two words, here\n[ok](#two-words-here) [bad](#nope) [up](../README.md#top)\n',
      'docs/orphan.md': '# Orphan\n',
    };
    const r = checkLinks((p) => pages[p], Object.keys(pages));
    assert.deepEqual(r.problems, ['README.md: dead link docs/gone.md', 'docs/a.md: no heading #nope in docs/a.md']);
    assert.deepEqual([...r.reachable].sort(), ['README.md', 'docs/a.md']);
  });
});
