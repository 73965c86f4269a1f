import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../common/paths.js';
import { cell, type DocPage } from '../page.js';

interface MetricUse {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  labels: Set<string>;
  files: Set<string>;
}

const KIND = { inc: 'counter', set: 'gauge', observe: 'histogram' } as const;

function sources(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/**
 * The metrics the code registers, found in the source: every `metrics.inc|set|observe('llm_audit_...', 'help', {labels})`
 * call, with names and help texts given as literals or as module constants. The registry creates metrics on first
 * use, so the calls are the definitions.
 */
export function scanMetrics(root = repoRoot()): MetricUse[] {
  const found = new Map<string, MetricUse>();
  for (const file of sources(join(root, 'services'))) {
    const src = readFileSync(file, 'utf8');
    const consts = new Map([...src.matchAll(/const (\w+) = '([^']*)'/g)].map((m) => [m[1]!, m[2]!]));
    const value = (tok: string) => (tok.startsWith("'") ? tok.slice(1, -1) : consts.get(tok));
    const re = /\.(inc|set|observe)\(\s*('llm_audit_\w+'|[A-Z_][A-Z0-9_]*)\s*,\s*('(?:[^'\\]|\\.)*'|[A-Z_][A-Z0-9_]*)\s*(?:,\s*\{([^}]*)\})?/g;
    for (const m of src.matchAll(re)) {
      const name = value(m[2]!);
      if (!name?.startsWith('llm_audit_')) continue;
      const help = value(m[3]!) ?? '';
      const labels = (m[4] ?? '').split(',').map((s) => s.split(':')[0]!.trim()).filter((s) => /^\w+$/.test(s));
      let u = found.get(name);
      if (!u) found.set(name, (u = { name, type: KIND[m[1] as keyof typeof KIND], help, labels: new Set(), files: new Set() }));
      labels.forEach((l) => u.labels.add(l));
      u.files.add(relative(root, file));
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export const page: DocPage = {
  path: 'docs/reference/metrics.md',
  source: 'the metrics calls in services/ (`metrics.inc`, `set`, `observe`)',
  async generate() {
    const rows = scanMetrics().map((m) =>
      `| \`${m.name}\` | ${m.type} | ${[...m.labels].sort().map((l) => `\`${l}\``).join(', ')} | ${cell(m.help)} | ${[...m.files].sort().map((f) => `\`${f}\``).join(', ')} |`);
    return [
      '# Metrics reference',
      '',
      'Every metric the services expose at `/metrics` (Prometheus text). Where they are served and what to alert on:',
      '[metrics and health](../operators/metrics.md).',
      '',
      '## Stage counters',
      '',
      'Every stage (`stage` label: decode, tokenize, attribute, detect, index, alert, sdk, ...) counts the same four things',
      '(`services/common/metrics.ts`):',
      '',
      '| metric | type | labels | help |',
      '|---|---|---|---|',
      ...(['received', 'sent', 'dropped', 'errored'] as const).map((k) => `| \`llm_audit_events_${k}_total\` | counter | \`stage\` | Events ${k} by a pipeline stage. |`),
      '',
      '## Other metrics',
      '',
      '| metric | type | labels | help | defined in |',
      '|---|---|---|---|---|',
      ...rows,
    ].join('\n');
  },
};
