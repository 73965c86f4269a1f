import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../services/common/paths.js';
import type { Client } from '@elastic/elasticsearch';
import type { Kafka } from 'kafkajs';
import { createEs } from '../services/common/es.js';
import { createKafka } from '../services/common/kafka.js';
import { coreConfig, type CoreConfig } from '../services/common/settings.js';

/** Integration tests run against the real local stack (deploy/local/stack.sh up), or KAFKA_BROKERS / ELASTICSEARCH_URL. */
export function testCore(overrides: Partial<Record<keyof CoreConfig, unknown>> = {}): CoreConfig {
  return coreConfig.fromEnv(process.env, { logLevel: process.env.LOG_LEVEL ?? 'silent', httpPort: 0, ...overrides });
}

/** Every test gets its own topics, groups and indices. Lower case: index names must be. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export function testKafka(core = testCore()): Kafka {
  return createKafka(core.kafkaBrokers, uniqueName('test'));
}

export function testEs(core = testCore()): Client {
  return createEs(core);
}

export async function waitFor<T>(fn: () => Promise<T | undefined | false>, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
  throw new Error(`timed out waiting for ${opts.what ?? 'condition'}${last ? `: ${(last as Error).message}` : ''}`);
}

/**
 * A documentation page (path from the repository root, e.g. docs/detect/stage.md), or with `heading` only the
 * section under the first heading starting with it, up to the next heading of the same or a higher level:
 * tests hold the docs to the code by reading the page they need.
 */
export function docPage(path: string, heading?: string): string {
  const text = readFileSync(join(repoRoot(), path), 'utf8');
  if (heading === undefined) return text;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^#+ /.test(l) && l.replace(/^#+ /, '').startsWith(heading));
  if (start < 0) throw new Error(`${path} has no heading '${heading}'`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  let fence = false;
  const end = lines.findIndex((l, i) => {
    if (l.startsWith('```')) fence = !fence;
    const m = /^(#+) /.exec(l);
    return i > start && !fence && !!m && m[1]!.length <= level;
  });
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** Where each `## ` section of the README went when it was split into docs/ (its content, page by page). */
export const MOVED_README_SECTIONS: Record<string, string[]> = {
  'Commands': ['docs/reference/cli.md'],
  'The usage-event contract': ['docs/gateway/usage-event.md'],
  'The pipeline and its guarantees': ['docs/operators/pipeline.md', 'docs/soc/fields.md'],
  'SDK, OpenAI instrumentation, traffic simulator': ['docs/gateway/sdk.md', 'docs/gateway/openai.md', 'docs/gateway/simulate.md'],
  'Tokenize: PII and secrets': ['docs/pii/tokenize.md', 'docs/pii/tokenization-keys.md'],
  'Attribution and key hygiene': ['docs/platform/identity-directory.md', 'docs/platform/key-hygiene.md', 'docs/platform/budgets.md', 'docs/operators/jobs.md'],
  'Detect stage': ['docs/detect/stage.md', 'docs/contributors/adding-a-detector.md'],
  'Alert delivery: Slack and webhooks': ['docs/operators/alerting.md', 'docs/soc/alert-triage.md'],
  'For SOC analysts: llm-audit in Kibana': ['docs/soc/dashboards.md', 'docs/soc/hunts.md'],
  'For compliance: exports, integrity, data-subject requests, retention, legal hold': ['docs/compliance/README.md', 'docs/compliance/export.md', 'docs/compliance/integrity.md', 'docs/compliance/subject-requests.md', 'docs/compliance/retention.md', 'docs/compliance/legal-hold.md'],
  'Local stack: Kafka and Elasticsearch without Docker': ['docs/operators/local-stack.md'],
  'Benchmarks': ['docs/contributors/benchmarks.md'],
  'Configuration': ['docs/operators/configuration.md', 'docs/reference/configuration.md'],
  'Development': ['docs/contributors/architecture.md', 'docs/contributors/tests.md'],
};

/**
 * @deprecated The README's sections moved to docs/: read the page you need with docPage(path, heading). Kept so
 * a branch written before the split still builds and reads the same content: a section still in the README is
 * returned from there, a moved one as the pages it went to, one after the other.
 */
export function readmeSection(titleStart: string): string {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const h = readme.split('\n').find((l) => l.startsWith(`## ${titleStart}`));
  if (h) return docPage('README.md', h.slice(3));
  const moved = Object.entries(MOVED_README_SECTIONS).find(([title]) => title.startsWith(titleStart));
  if (!moved) throw new Error(`README.md has no section '## ${titleStart}', and no section of that name moved to docs/`);
  return moved[1].map((p) => docPage(p)).join('\n');
}

/** pino JSON lines at error or fatal, and any other line that says ERROR. */
export function errorLines(output: string): string[] {
  return output.split('\n').filter((l) => {
    if (!l.trim()) return false;
    try {
      return ((JSON.parse(l) as { level?: number }).level ?? 0) >= 50;
    } catch {
      return /\bERROR\b/.test(l);
    }
  });
}

/** Removes every index (hidden ones too) and index template of a test's prefix. */
export async function deletePrefix(es: Client, prefix: string): Promise<void> {
  const rows = (await es.cat.indices({ index: `${prefix}-*`, format: 'json', h: 'index', expand_wildcards: 'all' }).catch(() => [])) as { index?: string }[];
  for (const r of rows) if (r.index?.startsWith(`${prefix}-`)) await es.indices.delete({ index: r.index }).catch(() => undefined);
  const ts = await es.indices.getIndexTemplate({ name: `${prefix}-*` }).catch(() => ({ index_templates: [] }));
  for (const t of ts.index_templates) await es.indices.deleteIndexTemplate({ name: t.name }).catch(() => undefined);
}

/** A TCP port nobody listens on right now, for a service a test starts. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** `llm-audit <args>` as its own process, as an operator starts it: its whole output kept, its exit code awaited. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'services', 'cli', 'main.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}
