import type { Client, estypes } from '@elastic/elasticsearch';
import { ConfigError, InvalidInputError } from '../common/errors.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { es, esError, scan, statusOf } from './es-util.js';
import type { Signature, Signer, Verifier } from './sign.js';

export const ALGORITHM = 'sha256-chain-v1';
/** Per-document hash kept in blocks: 128 bits locate a change; the chain head carries the full 256. */
const SHORT = 32;

export interface Leaf {
  id: string;
  /** event.id as Elasticsearch sorts it ('' when missing). */
  key: string;
  hash: string;
}

export interface IntegrityHead {
  kind: 'head';
  '@timestamp': string;
  index: string;
  date: string;
  algorithm: string;
  count: number;
  blocks: number;
  head: string;
  sealed_by: string;
  key_id?: string;
  signature?: string;
  signature_alg?: string;
  /** 2: the signature covers every field above. Seals without it signed only index/algorithm/count/blocks/head. */
  signature_version?: number;
}

interface StoredBlock {
  kind: 'block';
  index: string;
  block: number;
  first_id: string | null;
  last_id: string | null;
  block_hash: string;
  entries: { i: string; k?: string; h: string }[];
}

export const integrityIndex = (prefix: string) => `${prefix}-integrity`;

export function dailyEventsIndex(prefix: string, date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new InvalidInputError('bad_date', `--date ${JSON.stringify(date)} must be YYYY-MM-DD`);
  return `${prefix}-events-${date.replace(/-/g, '.')}`;
}

export const genesis = (index: string) => sha256Hex(`llm-audit-integrity-v1:${index}`);
export const docHash = (id: string, source: unknown) => sha256Hex(canonicalJson({ _id: id, _source: source }));
export const chainStep = (prev: string, hash: string) => sha256Hex(prev + hash);

/** Byte order of UTF-8, as Elasticsearch sorts keywords (JS `<` compares UTF-16 units). */
export function compareKeys(a: { key: string; id: string }, b: { key: string; id: string }): number {
  return Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) || Buffer.compare(Buffer.from(a.id), Buffer.from(b.id));
}

const SORT: estypes.SortCombinations[] = [{ 'event.id': { order: 'asc', missing: '_first', unmapped_type: 'keyword' } }];

/**
 * The index's documents as leaves in chain order: event.id, then _id for documents sharing an
 * event.id (Elasticsearch cannot sort on _id, so such groups, rare and small, are ordered here).
 */
export async function* leaves(client: Client, index: string, pageSize = 1000): AsyncGenerator<Leaf> {
  let group: Leaf[] = [];
  for await (const h of scan(client, { index, query: { match_all: {} }, sort: SORT, pageSize })) {
    const key = typeof h.sort[0] === 'string' ? h.sort[0] : h.sort[0] == null ? '' : String(h.sort[0]);
    const leaf = { id: h._id, key, hash: docHash(h._id, h._source) };
    if (group.length && group[0]!.key !== key) {
      if (group.length > 1) group.sort(compareKeys);
      yield* group;
      group = [];
    }
    group.push(leaf);
  }
  if (group.length > 1) group.sort(compareKeys);
  yield* group;
}

/** Every field of the seal but the signature itself: re-dating or re-attributing a seal breaks it. */
const signedPart = (h: IntegrityHead) => ({
  kind: h.kind, '@timestamp': h['@timestamp'], index: h.index, date: h.date, algorithm: h.algorithm, count: h.count, blocks: h.blocks, head: h.head,
  sealed_by: h.sealed_by, key_id: h.key_id ?? null, signature_alg: h.signature_alg ?? null, signature_version: SIGNATURE_VERSION,
});
const SIGNATURE_VERSION = 2;

export interface SealOptions {
  prefix: string;
  date: string;
  operator: string;
  blockSize?: number;
  pageSize?: number;
  signer?: Signer;
  /** Replace an existing seal (only after an investigated, accepted change: resealing hides tampering). */
  force?: boolean;
}

/**
 * Seals a closed day: the hash chain over its documents in event-id order, stored as a head
 * document plus blocks of per-document hashes (so verify can name each changed document).
 */
export async function sealDay(client: Client, o: SealOptions): Promise<IntegrityHead> {
  const index = dailyEventsIndex(o.prefix, o.date);
  const target = integrityIndex(o.prefix);
  if (!(await es(`HEAD ${index}`, () => client.indices.exists({ index })))) throw new InvalidInputError('no_index', `${index} does not exist`);
  const previous = await readHead(client, o.prefix, o.date);
  if (previous && !o.force) throw new ConfigError(`${index} is already sealed (${previous.count} documents, ${previous['@timestamp']}); resealing hides any change since, use --force only after review`);
  await es(`refresh ${index}`, () => client.indices.refresh({ index }));
  const blockSize = o.blockSize ?? 1000;
  let chain = genesis(index);
  let n = 0;
  let blocks = 0;
  let entries: StoredBlock['entries'] = [];
  const flush = async () => {
    const doc: StoredBlock = {
      kind: 'block', index, block: blocks, first_id: entries[0]?.i ?? null, last_id: entries[entries.length - 1]?.i ?? null, block_hash: chain, entries,
    };
    await es(`write integrity block ${blocks} of ${index}`, () => client.index({ index: target, id: `${index}#${blocks}`, document: doc }));
    blocks++;
    entries = [];
  };
  for await (const l of leaves(client, index, o.pageSize)) {
    chain = chainStep(chain, l.hash);
    entries.push({ i: l.id, ...(l.key !== l.id ? { k: l.key } : {}), h: l.hash.slice(0, SHORT) });
    n++;
    if (entries.length >= blockSize) await flush();
  }
  if (entries.length || blocks === 0) await flush();
  for (let b = blocks; b < (previous?.blocks ?? 0); b++) {
    await client.delete({ index: target, id: `${index}#${b}` }).catch((err: unknown) => {
      if (statusOf(err) !== 404) throw esError(`delete stale integrity block ${b} of ${index}`, err);
    });
  }
  const head: IntegrityHead = {
    kind: 'head', '@timestamp': new Date().toISOString(), index, date: o.date, algorithm: ALGORITHM, count: n, blocks, head: chain, sealed_by: o.operator,
  };
  if (o.signer) {
    Object.assign(head, { key_id: o.signer.keyId, signature_alg: o.signer.alg, signature_version: SIGNATURE_VERSION });
    const s = o.signer.sign(signedPart(head));
    head.signature = s.value;
  }
  await es(`write integrity head of ${index}`, () => client.index({ index: target, id: index, document: head, refresh: true }));
  return head;
}

export async function readHead(client: Client, prefix: string, date: string): Promise<IntegrityHead | undefined> {
  const index = dailyEventsIndex(prefix, date);
  try {
    const res = await client.get<IntegrityHead>({ index: integrityIndex(prefix), id: index });
    return res._source;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw esError(`read integrity head of ${index}`, err);
  }
}

async function* storedLeaves(client: Client, prefix: string, head: IntegrityHead): AsyncGenerator<Leaf> {
  for (let b = 0; b < head.blocks; b++) {
    const res = await es(`read integrity block ${b} of ${head.index}`, () => client.get<StoredBlock>({ index: integrityIndex(prefix), id: `${head.index}#${b}` }).catch((err: unknown) => {
      if (statusOf(err) === 404) return { _source: undefined };
      throw err;
    }));
    if (!res._source) throw new InvalidInputError('integrity_block_missing', `integrity block ${b} of ${head.index} is missing: the seal itself was altered`);
    for (const e of res._source.entries) yield { id: e.i, key: e.k ?? e.i, hash: e.h };
  }
}

export interface IntegrityReport {
  index: string;
  ok: boolean;
  sealed: { count: number; at: string; by: string };
  current: number;
  headMatches: boolean;
  /** With a verify key configured, anything but 'valid' fails the check (no downgrade to an unsigned or legacy seal). */
  signature: 'valid' | 'invalid' | 'unsigned' | 'legacy' | 'not checked';
  changed: string[];
  added: string[];
  deleted: string[];
}

/** Pure merge of two leaf streams in the same order: what changed, what appeared, what went. */
export async function diffLeaves(stored: AsyncIterable<Leaf>, current: AsyncIterable<Leaf>, onCurrent?: (l: Leaf) => void) {
  const changed: string[] = [];
  let added: string[] = [];
  let deleted: string[] = [];
  const s = stored[Symbol.asyncIterator]();
  const c = current[Symbol.asyncIterator]();
  let a = await s.next();
  let b = await c.next();
  if (!b.done) onCurrent?.(b.value);
  const nextC = async () => {
    b = await c.next();
    if (!b.done) onCurrent?.(b.value);
  };
  while (!a.done || !b.done) {
    const cmp = a.done ? 1 : b.done ? -1 : compareKeys(a.value, b.value);
    if (cmp === 0) {
      if (a.value.hash !== b.value!.hash.slice(0, a.value.hash.length)) changed.push(a.value.id);
      a = await s.next();
      await nextC();
    } else if (cmp < 0) {
      deleted.push(a.value!.id);
      a = await s.next();
    } else {
      added.push(b.value!.id);
      await nextC();
    }
  }
  // a document whose event.id was edited moves in the order: it shows as deleted and added under one _id
  const moved = new Set(deleted.filter((id) => added.includes(id)));
  if (moved.size) {
    changed.push(...moved);
    added = added.filter((id) => !moved.has(id));
    deleted = deleted.filter((id) => !moved.has(id));
  }
  return { changed, added, deleted };
}

/** Recomputes a sealed day's chain and reports every document changed, added or deleted since the seal. */
export async function verifyDay(client: Client, o: { prefix: string; date: string; verifier?: Verifier; pageSize?: number; record?: boolean }): Promise<IntegrityReport> {
  const index = dailyEventsIndex(o.prefix, o.date);
  const head = await readHead(client, o.prefix, o.date);
  if (!head) throw new InvalidInputError('not_sealed', `${index} has no integrity seal; run 'llm-audit integrity seal --date ${o.date}' after the day closes`);
  let signature: IntegrityReport['signature'] = 'not checked';
  if (!head.signature) signature = 'unsigned';
  else if (head.signature_version !== SIGNATURE_VERSION) signature = 'legacy';
  else if (o.verifier) {
    signature = o.verifier.verify(signedPart(head), { alg: head.signature_alg as Signature['alg'], key_id: head.key_id ?? '', value: head.signature }) ? 'valid' : 'invalid';
  }
  if (await es(`HEAD ${index}`, () => client.indices.exists({ index }))) await es(`refresh ${index}`, () => client.indices.refresh({ index }));
  let chain = genesis(index);
  let current = 0;
  const diff = await diffLeaves(storedLeaves(client, o.prefix, head), leaves(client, index, o.pageSize), (l) => {
    chain = chainStep(chain, l.hash);
    current++;
  });
  const headMatches = chain === head.head && current === head.count;
  const signatureOk = o.verifier ? signature === 'valid' : signature !== 'invalid';
  const ok = headMatches && signatureOk && !diff.changed.length && !diff.added.length && !diff.deleted.length;
  const report: IntegrityReport = { index, ok, sealed: { count: head.count, at: head['@timestamp'], by: head.sealed_by }, current, headMatches, signature, ...diff };
  if (o.record !== false) {
    await es(`record verify of ${index}`, () =>
      client.update({
        index: integrityIndex(o.prefix), id: index, refresh: true,
        doc: { last_verify: { at: new Date().toISOString(), status: ok ? 'ok' : 'failed', changed: diff.changed.length, added: diff.added.length, deleted: diff.deleted.length } },
      }),
    );
  }
  return report;
}
