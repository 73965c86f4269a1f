import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Client, estypes } from '@elastic/elasticsearch';
import { ConfigError, InvalidInputError } from '../common/errors.js';
import { parseJsonNoDuplicates } from './canonical.js';
import { csvHeader, csvRow, templateFields } from './csv.js';
import { count, scan } from './es-util.js';
import type { Signature, Signer, Verifier } from './sign.js';

export type ExportFormat = 'ndjson' | 'csv';

export interface ExportOptions {
  prefix: string;
  /** YYYY-MM-DD (whole UTC days, `to` included) or ISO timestamps (`to` excluded). */
  from: string;
  to: string;
  team?: string;
  format: ExportFormat;
  outDir: string;
  signer: Signer;
  operator?: string;
  pageSize?: number;
  fileMaxDocs?: number;
  keepAlive?: string;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ManifestFile {
  name: string;
  documents: number;
  bytes: number;
  sha256: string;
  first_timestamp: string | null;
  last_timestamp: string | null;
}

export interface Manifest {
  manifest_version: 1;
  tool: string;
  created_at: string;
  created_by: string;
  query: { index: string; from: string; to: string; team: string | null; es_query: estypes.QueryDslQueryContainer; sort: estypes.SortCombinations[] };
  format: ExportFormat;
  counts: { documents: number; files: number; matched_at_start: number };
  files: ManifestFile[];
  signature?: Signature;
}

export const MANIFEST = 'manifest.json';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The export's time range as [gte, lt) ISO bounds. */
export function timeRange(from: string, to: string): { gte: string; lt: string } {
  const parse = (s: string, what: string, endOfDay: boolean): Date => {
    const d = new Date(DAY.test(s) ? `${s}T00:00:00.000Z` : s);
    if (Number.isNaN(d.getTime())) throw new InvalidInputError('bad_date', `--${what} ${JSON.stringify(s)} is neither YYYY-MM-DD nor an ISO timestamp`);
    if (endOfDay && DAY.test(s)) d.setUTCDate(d.getUTCDate() + 1);
    return d;
  };
  const gte = parse(from, 'from', false);
  const lt = parse(to, 'to', true);
  if (lt <= gte) throw new InvalidInputError('bad_date', `--to ${to} is not after --from ${from}`);
  return { gte: gte.toISOString(), lt: lt.toISOString() };
}

export function exportQuery(o: Pick<ExportOptions, 'from' | 'to' | 'team'>): estypes.QueryDslQueryContainer {
  const filter: estypes.QueryDslQueryContainer[] = [{ range: { '@timestamp': { ...timeRange(o.from, o.to), format: 'strict_date_optional_time' } } }];
  if (o.team) filter.push({ term: { 'llm_audit.owner.team': o.team } });
  return { bool: { filter } };
}

class OutFile {
  readonly hash = createHash('sha256');
  readonly stream: WriteStream;
  bytes = 0;
  documents = 0;
  first: string | null = null;
  last: string | null = null;
  constructor(readonly name: string, path: string) {
    this.stream = createWriteStream(path, { flags: 'wx' });
  }
  async write(s: string): Promise<void> {
    const b = Buffer.from(s, 'utf8');
    this.hash.update(b);
    this.bytes += b.length;
    if (!this.stream.write(b)) await once(this.stream, 'drain');
  }
  async close(): Promise<ManifestFile> {
    this.stream.end();
    await once(this.stream, 'finish');
    return { name: this.name, documents: this.documents, bytes: this.bytes, sha256: this.hash.digest('hex'), first_timestamp: this.first, last_timestamp: this.last };
  }
}

const dayOf = (ts: unknown): string => {
  const d = new Date(typeof ts === 'string' || typeof ts === 'number' ? ts : NaN);
  return Number.isNaN(d.getTime()) ? 'undated' : d.toISOString().slice(0, 10);
};

/**
 * Streams every audit document of the range out of Elasticsearch into one file per UTC day
 * (split again after fileMaxDocs), hashing as it writes, then signs a manifest of the lot.
 * Memory holds one search page, whatever the range.
 */
export async function exportAudit(client: Client, o: ExportOptions): Promise<Manifest> {
  if (existsSync(o.outDir) && readdirSync(o.outDir).length > 0) throw new ConfigError(`--out ${o.outDir} is not empty; an export never overwrites another`);
  mkdirSync(o.outDir, { recursive: true });
  const index = `${o.prefix}-events-*`;
  const query = exportQuery(o);
  const sort: estypes.SortCombinations[] = [{ '@timestamp': 'asc' }, { 'event.id': { order: 'asc', unmapped_type: 'keyword' } }];
  const total = await count(client, index, query);
  const columns = o.format === 'csv' ? templateFields('events') : [];
  const maxDocs = o.fileMaxDocs ?? 500_000;
  const files: ManifestFile[] = [];
  let cur: OutFile | undefined;
  let curDay = '';
  let part = 0;
  let done = 0;
  o.onProgress?.(0, total);
  try {
    for await (const h of scan(client, { index, query, sort, pageSize: o.pageSize, keepAlive: o.keepAlive, signal: o.signal })) {
      const ts = h._source['@timestamp'];
      const day = dayOf(ts);
      if (!cur || day !== curDay || cur.documents >= maxDocs) {
        if (cur) files.push(await cur.close());
        part = day === curDay ? part + 1 : 0;
        curDay = day;
        const name = `events-${day}${part ? `-${String(part).padStart(3, '0')}` : ''}.${o.format}`;
        cur = new OutFile(name, join(o.outDir, name));
        if (o.format === 'csv') await cur.write(csvHeader(columns));
      }
      await cur.write(o.format === 'csv' ? csvRow(h._index, h._id, h._source, columns) : JSON.stringify({ _index: h._index, _id: h._id, _source: h._source }) + '\n');
      cur.documents++;
      cur.first ??= typeof ts === 'string' ? ts : null;
      cur.last = typeof ts === 'string' ? ts : cur.last;
      done++;
      if (done % 500 === 0) o.onProgress?.(done, Math.max(total, done));
    }
    if (cur) files.push(await cur.close());
    cur = undefined;
  } finally {
    cur?.stream.destroy();
  }
  o.onProgress?.(done, Math.max(total, done));
  const { gte, lt } = timeRange(o.from, o.to);
  const manifest: Manifest = {
    manifest_version: 1,
    tool: 'llm-audit export',
    created_at: new Date().toISOString(),
    created_by: o.operator ?? 'unknown',
    query: { index, from: gte, to: lt, team: o.team ?? null, es_query: query, sort },
    format: o.format,
    counts: { documents: done, files: files.length, matched_at_start: total },
    files,
  };
  manifest.signature = o.signer.sign(manifest);
  writeFileSync(join(o.outDir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { flag: 'wx' });
  return manifest;
}

export interface VerifyReport {
  ok: boolean;
  documents: number;
  files: number;
  problems: string[];
}

async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), bytes };
}

/** Checks an export directory: the manifest's signature, then every file's size and SHA-256, and that no file was added. */
export async function verifyExport(dir: string, verifier: Verifier): Promise<VerifyReport> {
  const problems: string[] = [];
  let m: Manifest;
  try {
    m = parseJsonNoDuplicates<Manifest>(readFileSync(join(dir, MANIFEST), 'utf8'));
  } catch (err) {
    return { ok: false, documents: 0, files: 0, problems: [`${MANIFEST}: cannot read: ${(err as Error).message}`] };
  }
  const { signature, ...unsigned } = m;
  if (!signature) problems.push(`${MANIFEST}: not signed`);
  else if (!verifier.verify(unsigned, signature)) problems.push(`${MANIFEST}: signature does not verify (manifest changed, or wrong key: signed with ${signature.alg} key '${signature.key_id}')`);
  const listed = new Set<string>();
  for (const f of m.files ?? []) {
    listed.add(f.name);
    const path = join(dir, f.name);
    if (f.name.includes('/') || f.name.includes('\\') || !existsSync(path) || !statSync(path).isFile()) {
      problems.push(`${f.name}: missing`);
      continue;
    }
    const got = await sha256File(path);
    if (got.bytes !== f.bytes) problems.push(`${f.name}: ${got.bytes} bytes, manifest says ${f.bytes}`);
    if (got.sha256 !== f.sha256) problems.push(`${f.name}: SHA-256 ${got.sha256} differs from the manifest's ${f.sha256}`);
  }
  for (const name of readdirSync(dir)) if (name !== MANIFEST && !listed.has(name)) problems.push(`${name}: not in the manifest`);
  const documents = (m.files ?? []).reduce((n, f) => n + f.documents, 0);
  if (documents !== m.counts?.documents) problems.push(`${MANIFEST}: files hold ${documents} documents, counts say ${m.counts?.documents}`);
  return { ok: problems.length === 0, documents, files: m.files?.length ?? 0, problems };
}
