import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../services/common/paths.js';
import { discoverDocPages, render } from '../services/docs/page.js';
import { scanMetrics } from '../services/docs/pages/metrics.js';
import { loadAllConfigs } from '../services/common/config-registry.js';
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

  it('every environment variable a page names is one a config schema (or a local stack script) reads', async () => {
    const known = new Set([...(await loadAllConfigs()).values()].flatMap((c) => Object.values(c.spec).map((f) => f.env)).filter((e): e is string => !!e));
    for (const script of ['stack.sh', 'registry.sh']) {
      for (const m of readFileSync(join(repoRoot(), 'deploy', 'local', script), 'utf8').matchAll(/\$\{([A-Z][A-Z0-9_]*):-/g)) known.add(m[1]!);
    }
    const unknown: string[] = [];
    for (const f of markdownFiles()) {
      for (const m of readFileSync(join(repoRoot(), f), 'utf8').matchAll(/\b(?:LLM_AUDIT|SLACK|KAFKA|ELASTICSEARCH|KIBANA|SCHEMA_REGISTRY)_[A-Z0-9_]*[A-Z0-9]\b/g)) {
        if (!known.has(m[0]) && !known.has(m[0].replace(/_FILE$/, ''))) unknown.push(`${f}: ${m[0]}`);
      }
    }
    assert.deepEqual([...new Set(unknown)], []);
  });

  it('every metric a page names is one the code defines', () => {
    const known = new Set([...scanMetrics().map((m) => m.name), ...['received', 'sent', 'dropped', 'errored'].map((k) => `llm_audit_events_${k}_total`)]);
    // not metrics: the stage counters' common stem (llm_audit_events_<kind>_total) and Slack's metadata event type
    const notMetrics = new Set(['llm_audit_events', 'llm_audit_alert']);
    const unknown: string[] = [];
    for (const f of markdownFiles()) {
      for (const m of readFileSync(join(repoRoot(), f), 'utf8').matchAll(/llm_audit_[a-z_]*[a-z]/g)) if (!known.has(m[0]) && !notMetrics.has(m[0])) unknown.push(`${f}: ${m[0]}`);
    }
    assert.deepEqual(unknown, []);
  });
});

describe('the metrics scanner', () => {
  it('finds literal and constant names, help texts and labels, and skips tests', () => {
    const root = mkdtempSync(join(tmpdir(), 'llm-audit-metrics-'));
    try {
      mkdirSync(join(root, 'services', 'x'), { recursive: true });
      writeFileSync(join(root, 'services', 'x', 'a.ts'), [
        "const M = 'llm_audit_things_total';",
        "const H = 'Things done.';",
        "metrics.inc(M, H, { kind: 'a', outcome: 'ok' });",
        "this.o.metrics?.set('llm_audit_queue_depth', 'Items waiting.', { queue: q }, n);",
        "other.set('not_a_metric', 'x');",
      ].join('\n'));
      writeFileSync(join(root, 'services', 'x', 'a.test.ts'), "metrics.inc('llm_audit_test_only_total', 'no');");
      const found = scanMetrics(root).map((m) => ({ name: m.name, type: m.type, help: m.help, labels: [...m.labels].sort() }));
      assert.deepEqual(found, [
        { name: 'llm_audit_queue_depth', type: 'gauge', help: 'Items waiting.', labels: ['queue'] },
        { name: 'llm_audit_things_total', type: 'counter', help: 'Things done.', labels: ['kind', 'outcome'] },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
