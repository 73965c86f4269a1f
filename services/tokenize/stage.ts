import type { Client } from '@elastic/elasticsearch';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry, StageCounters } from '../common/metrics.js';
import type { StageDeps, Transform, TransformFactory } from '../common/stage.js';
import { child, type AuditRecord, type Doc, type Json, type UsageEvent } from '../common/types.js';
import { KNOWN_FIELDS } from '../decode/validate.js';
import { loadTokenizeSettings, type TokenizeSettings } from './config.js';
import type { EntityType } from './detect.js';
import { ALL_TYPES, METADATA_TYPES, tokenizeText, type Entity, type TokenizeResult } from './index.js';
import { recordInvisible } from './smuggling.js';
import { ensureVaultIndex, sealEntry, writeVault, type VaultEntry } from './vault.js';
import { isDigit } from './entities/registry.js';
import { IBAN_LENGTHS, ibanOk } from './validators.js';

const TEXT_FIELDS = ['prompt', 'completion'] as const;
type StringField = 'prompt' | 'completion' | 'principal_id' | 'user_agent' | 'request_id' | 'model' | 'model_version' | 'error_code' | 'gateway_id' | 'api_key_id';
/** Secrets recorded per event for the credential_exposure detector (token, type, provider; never the value). */
const MAX_SECRETS_PER_EVENT = 50;

export interface SecretFinding {
  field: string;
  token: string;
  subtype: string;
  provider: string;
  family: string;
}

/**
 * The SECRET findings of an event ride on the event object itself under this symbol, so the detect stage sees what
 * the tokenize stage found without a second scan. A symbol key is not serialised (Avro, JSON, dead letters) nor
 * listed by for-in or Object.keys, and text shaped like a token cannot forge it. (Set by plain assignment:
 * Object.defineProperty cost a fifth of a microsecond per event.)
 */
export const SECRET_FINDINGS: unique symbol = Symbol.for('llm-audit.tokenize.secret-findings');

/** What the tokenize stage found in this event (undefined when it did not run on it). */
export function secretFindings(ev: UsageEvent): readonly SecretFinding[] | undefined {
  return (ev as UsageEvent & { [SECRET_FINDINGS]?: SecretFinding[] })[SECRET_FINDINGS];
}

/** Marks a record this stage has tokenized (a retried batch is not tokenized twice); cheaper than a WeakSet. */
const TOKENIZED: unique symbol = Symbol('llm-audit.tokenize.done');

/** Tokens known to be in the vault already; bounded so memory stays flat over a month of traffic. */
class SeenSet {
  private readonly set = new Set<string>();
  constructor(private readonly max: number) {}
  has(k: string): boolean {
    return this.set.has(k);
  }
  add(k: string): void {
    if (this.set.size >= this.max) this.set.clear();
    this.set.add(k);
  }
}

/** What tokenizeText answered for one string, and the values it reported to onValue (replayed for the vault). */
interface Memo {
  text: string;
  entities: Entity[];
  truncated: false;
  /** token, type, raw value: one triple per onValue call, in order */
  values: [string, EntityType, string][];
}

type Answer = Pick<TokenizeResult, 'text' | 'entities' | 'truncated'> & { bounded?: TokenizeResult['bounded'] };

/**
 * A bounded cache of answers for one field, in two generations: a hit costs one or two Map lookups, an entry
 * unused for `max` insertions is dropped, and a field whose values never repeat (request ids) evicts only its own.
 * A field whose hit rate over a sample is below 1 in 16 is not looked up for the next `skip` values (then sampled
 * again): for ids the lookups and insertions are pure cost. Skipping only ever means asking the tokenizer.
 */
export class MemoCache<V> {
  private hot = new Map<string, V>();
  private cold = new Map<string, V>();
  private lookups = 0;
  private hits = 0;
  private skipping = 0;
  constructor(
    private readonly max: number,
    private readonly sample = 4096,
    private readonly skip = 15 * 4096,
  ) {}
  get(k: string): V | undefined {
    if (this.skipping > 0) {
      this.skipping--;
      return undefined;
    }
    let v = this.hot.get(k);
    if (v === undefined) {
      v = this.cold.get(k);
      if (v !== undefined) this.put(k, v);
    }
    if (v !== undefined) this.hits++;
    if (++this.lookups >= this.sample) {
      if (this.hits * 16 < this.lookups) this.skipping = this.skip;
      this.lookups = this.hits = 0;
    }
    return v;
  }
  set(k: string, v: V): void {
    if (this.skipping === 0) this.put(k, v);
  }
  private put(k: string, v: V): void {
    if (this.hot.size >= this.max) {
      this.cold = this.hot;
      this.hot = new Map();
    }
    this.hot.set(k, v);
  }
  get size(): number {
    return this.hot.size + this.cold.size;
  }
  /** Whether lookups are being skipped (a field whose values do not repeat). */
  get skippingLookups(): boolean {
    return this.skipping > 0;
  }
}

/**
 * Request and trace ids of one harmless shape are not scanned: a fixed word (`req`, `request`, `trace`, `span`,
 * `resp`), `_`, then 8-64 lower-case hex digits or a lower-case UUID (`req_be24b30021cf6019`; 5-9 µs each in the
 * tokenizer, and an id never repeats). No detector can find a true value in one:
 * - only a-f, digits, `_` and UUID dashes: nothing for normalisation to rewrite; no upper-case letter, so no base64
 *   segment; no `<` (token slots), `@`, `.`, `:`, `/`, `+`, `=`, quote or white space, so no e-mail, URL, IP or MAC
 *   address, date, street address, assignment, spaced run or wrapped line, and no key word for a context rule;
 * - the word is no provider's prefix (provider tokens of hex, `shpat_…`, `sbp_…`, are found by their own prefix);
 * - any number (card, phone, SSN, national id) would be glued to `_`, a dash or a letter, which every number
 *   finder refuses; an IBAN is found after `_` or `-` (`iban_DE89…` is a real value), so `-` after the word is
 *   not in the shape, a body that starts like an IBAN (two letters, two digits) is scanned, and no UUID group
 *   is long enough for an IBAN.
 * What is left is chance: a random id whose hex happens to pass a wallet's 30- or 32-bit checksum (base58check,
 * bech32 take `_` as a boundary) would be a false positive. stage.test.ts runs every detector over ids of this
 * shape built around valid cards, phones of every country, SSNs, IBANs, Aadhaar numbers and hex secrets, and
 * fails if one is found.
 */
const HARMLESS_ID = /^(?:req|request|trace|span|resp)_(?:[0-9a-f]{8,64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function harmlessId(v: string): boolean {
  const c = v.charCodeAt(0);
  // r, s, t: a field whose value starts otherwise (models, user agents, principals) costs one comparison
  if (!(v.length >= 12 && v.length <= 72 && (c === 114 || c === 115 || c === 116) && HARMLESS_ID.test(v))) return false;
  const b = v.indexOf('_') + 1;
  if (!(isHexLetter(v.charCodeAt(b)) && isHexLetter(v.charCodeAt(b + 1)) && isDigit(v.charCodeAt(b + 2)) && isDigit(v.charCodeAt(b + 3)))) return true;
  // `req_de89…`: an IBAN may start right after `_`; the finder would take the whole hex body as one, so a body
  // that is exactly a valid IBAN is scanned like any other value
  const body = v.slice(b).toUpperCase();
  return !(IBAN_LENGTHS[body.slice(0, 2)] === body.length && ibanOk(body));
}

const isHexLetter = (c: number): boolean => c >= 97 && c <= 102;

/** Metadata values this long or shorter are cached (model names, user agents, principals and gateway ids repeat endlessly). */
const MEMO_MAX_CHARS = 256;
const MEMO_ENTRIES_PER_FIELD = 4096;

/** What one record's fields yielded, gathered across its fields. */
interface Found {
  types?: Set<EntityType>;
  tokens?: Set<string>;
  fields?: string[];
  count: number;
  truncated: boolean;
  replaced?: Map<string, string>;
  secrets: SecretFinding[];
  vault?: Map<string, VaultEntry>;
}

export class TokenizeStage implements Transform {
  readonly name = 'tokenize';
  readonly counters: StageCounters;
  private readonly seen = new SeenSet(200_000);
  /** Answers for repeated metadata values, per field: the tokenizer's result depends only on the string here. */
  private readonly memo = new Map<string, MemoCache<Memo>>();
  private readonly metaFields: StringField[];
  /** The cache of each of metaFields, in the same order (one Map lookup less per field and event). */
  private readonly metaMemos: MemoCache<Memo>[];
  /**
   * A batch is retried whole when the vault write fails, but its records were already tokenized in place:
   * a second pass would find no originals left. So records are tokenized once (marked TOKENIZED), and sealed
   * vault entries wait here until they are written.
   */
  private readonly unwritten = new Map<string, ReturnType<typeof sealEntry>>();
  /** Entities found in the batch being processed, by type: the metric is bumped once per type and batch. */
  private entityCounts = new Map<EntityType, number>();
  /** The own keys of the last event that had no field outside the contract, in order (see scanUnknown). */
  private knownShape: string[] = [];

  constructor(
    private readonly settings: TokenizeSettings,
    private readonly es: Client | undefined,
    private readonly metrics: MetricsRegistry,
    private readonly logger?: Logger,
  ) {
    this.counters = metrics.stage('tokenize');
    this.metaFields = settings.config.metadataFields.filter((f) => !(TEXT_FIELDS as readonly string[]).includes(f)) as StringField[];
    this.metaMemos = this.metaFields.map((f) => this.memoFor(f));
  }

  private memoFor(field: string): MemoCache<Memo> {
    const key = KNOWN_FIELDS.has(field) ? field : '';
    let cache = this.memo.get(key);
    if (!cache) this.memo.set(key, (cache = new MemoCache<Memo>(MEMO_ENTRIES_PER_FIELD)));
    return cache;
  }

  async start(): Promise<void> {
    if (this.settings.config.vault && this.es) await ensureVaultIndex(this.es, this.settings.config.vaultIndex);
  }

  private tokenize(v: string, wanted: ReadonlySet<EntityType>, vault: Map<string, VaultEntry> | undefined): TokenizeResult {
    const onValue = vault ? (token: string, type: EntityType, raw: string) => void (vault.has(token) || vault.set(token, { token, type, raw })) : undefined;
    return tokenizeText(v, this.settings.keyring, { types: wanted, maxBytes: this.settings.config.maxFieldBytes, onValue });
  }

  /** A metadata value's answer, from the field's cache when it was seen; the vault sees its values either way. */
  private tokenizeMeta(cache: MemoCache<Memo>, v: string, vault: Map<string, VaultEntry> | undefined): Answer {
    if (v.length > MEMO_MAX_CHARS) return this.tokenize(v, METADATA_TYPES, vault);
    let m = cache.get(v);
    if (m === undefined) {
      const values: Memo['values'] = [];
      const r = tokenizeText(v, this.settings.keyring, { types: METADATA_TYPES, maxBytes: this.settings.config.maxFieldBytes, onValue: (token, type, raw) => void values.push([token, type, raw]) });
      // (an answer that was cut or hit a bound is counted every time it is seen: not kept)
      if (r.truncated || r.bounded.length) {
        if (vault) replay(values, vault);
        return r;
      }
      m = { text: r.text, entities: r.entities, truncated: false, values };
      cache.set(v, m);
    }
    if (vault && m.values.length) replay(m.values, vault);
    return m;
  }

  private scan(ev: Record<string, unknown>, field: string, meta: MemoCache<Memo> | undefined, acc: Found): string | undefined {
    const v = ev[field];
    if (typeof v !== 'string' || v.length === 0) return undefined;
    if (meta && harmlessId(v)) return v;
    const r = meta ? this.tokenizeMeta(meta, v, acc.vault) : this.tokenize(v, ALL_TYPES, acc.vault);
    // nothing found, nothing cut, no bound hit (most values): the answer's text is v itself, or a cached string equal to it
    if (r.entities.length === 0 && !r.truncated && !r.bounded?.length) return v;
    if (r.truncated) {
      acc.truncated = true;
      this.metrics.inc('llm_audit_tokenize_truncated_total', 'Fields cut at the tokenize size cap.', { field: KNOWN_FIELDS.has(field) ? field : 'other' });
    }
    if (r.bounded) for (const bound of r.bounded) this.metrics.inc('llm_audit_tokenize_bounded_total', 'Fields where a normalisation bound (LIMITS in normalize.ts) stopped work: part of the field was read as written, not through its disguise.', { bound });
    if (r.entities.length) {
      (acc.fields ??= []).push(field);
      acc.count += r.entities.length;
      const types = (acc.types ??= new Set());
      const tokens = (acc.tokens ??= new Set());
      const counts = this.entityCounts;
      for (const e of r.entities) {
        types.add(e.type);
        tokens.add(e.token);
        counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
        if (e.type === 'SECRET' && acc.secrets.length < MAX_SECRETS_PER_EVENT && !acc.secrets.some((x) => x.token === e.token && x.field === field)) {
          acc.secrets.push({ field, token: e.token, subtype: e.subtype ?? 'unknown', provider: e.provider ?? 'generic', family: e.family ?? 'other' });
        }
      }
    }
    if (r.text !== v) {
      (acc.replaced ??= new Map()).set(v, r.text);
      ev[field] = r.text;
    }
    return r.text;
  }

  /** Tokenizes one record in place; collects originals for the vault into `vault` when given. */
  tokenizeRecord(record: AuditRecord, vault?: Map<string, VaultEntry>): void {
    this.tokenizeOne(record, vault);
    this.countEntities();
  }

  private countEntities(): void {
    if (this.entityCounts.size === 0) return;
    for (const [type, n] of this.entityCounts) this.metrics.inc('llm_audit_tokenize_entities_total', 'Entities replaced by tokens, by type.', { type }, n);
    this.entityCounts = new Map();
  }

  private tokenizeOne(record: AuditRecord, vault: Map<string, VaultEntry> | undefined): void {
    const ev = record.event as UsageEvent & Record<string, unknown>;
    // every slot in one literal: one object shape for all records, whichever fields had findings
    const acc: Found = { types: undefined, tokens: undefined, fields: undefined, count: 0, truncated: false, replaced: undefined, secrets: [], vault };
    // invisible code points are counted on the raw text: normalisation inside tokenizeText removes them
    const text = !!(ev.prompt || ev.completion);
    if (text) {
      recordInvisible(record.doc, ev, TEXT_FIELDS, (h) => this.tokenize(h, ALL_TYPES, vault).text);
      for (const f of TEXT_FIELDS) {
        const out = this.scan(ev, f, undefined, acc);
        if (out !== undefined) child(record.doc, 'llm_audit')[f] = out;
      }
    }
    for (let i = 0; i < this.metaFields.length; i++) this.scan(ev, this.metaFields[i]!, this.metaMemos[i], acc);
    // a producer can send fields the contract does not know: they are scanned like metadata
    this.scanUnknown(ev, acc);
    // a stage before us may already have copied raw values into the document
    if (acc.replaced) replaceStrings(record.doc, acc.replaced);
    const audit = child(record.doc, 'llm_audit');
    const types = acc.types ? [...acc.types].sort() : [];
    const tokens = acc.tokens ? [...acc.tokens].sort() : [];
    const secrets = acc.secrets as unknown as Json;
    const had = audit.pii;
    if (typeof had === 'object' && had !== null && !Array.isArray(had)) {
      // set field by field on an object already there (its other keys and their order stay)
      const pii = had as Doc;
      pii.types = types;
      pii.count = acc.count;
      pii.tokens = tokens;
      pii.fields = acc.fields ?? [];
      pii.truncated = acc.truncated;
      pii.secrets = secrets;
    } else {
      // the usual case: one literal, in the order the assignments above would make
      audit.pii = { types, count: acc.count, tokens, fields: acc.fields ?? [], truncated: acc.truncated, secrets };
    }
    (ev as { [SECRET_FINDINGS]?: SecretFinding[] })[SECRET_FINDINGS] = acc.secrets;
  }

  /**
   * Scans the event's own fields outside the contract. Events of one schema have the same own keys in the same
   * order, so they are compared by identity with those of the last event that had none, and a Set lookup per key
   * is made only when they differ. (Own keys: an Avro-decoded event's class has seven enumerable methods that
   * for-in would list too.)
   */
  private scanUnknown(ev: Record<string, unknown>, acc: Found): void {
    const keys = Object.keys(ev);
    const shape = this.knownShape;
    if (keys.length === shape.length) {
      let i = 0;
      while (i < keys.length && keys[i] === shape[i]) i++;
      if (i === keys.length) return;
    }
    let unknown = false;
    for (const f of keys) {
      if (KNOWN_FIELDS.has(f)) continue;
      unknown = true;
      if (typeof ev[f] === 'string') this.scan(ev, f, this.memoFor(f), acc);
    }
    if (!unknown) this.knownShape = keys;
  }

  async process(records: AuditRecord[]): Promise<void> {
    const vaultOn = this.settings.config.vault && !!this.es;
    const pending = vaultOn ? new Map<string, VaultEntry>() : undefined;
    let failed = 0;
    let skipped = 0;
    let fresh = 0;
    for (const record of records) {
      const r = record as AuditRecord & { [TOKENIZED]?: true };
      if (r[TOKENIZED]) continue;
      r[TOKENIZED] = true;
      fresh++;
      this.counters.received++;
      try {
        this.tokenizeOne(record, pending);
        if (record.deadLetter) skipped++;
      } catch (err) {
        failed++;
        // nothing raw may travel on: blank the free text before the record is dead-lettered
        record.event.prompt = null;
        record.event.completion = null;
        record.deadLetter = { reason: 'tokenize_failed', message: `tokenize failed: ${(err as Error).name}`, stage: 'tokenize' };
        this.logger?.error({ err: { name: (err as Error).name }, offset: record.offset, partition: record.partition }, 'tokenize failed for a record');
      }
    }
    this.counters.errored += failed;
    this.counters.dropped += skipped;
    this.counters.sent += fresh - failed - skipped;
    this.countEntities();
    if (pending) {
      for (const e of pending.values()) {
        if (!this.seen.has(e.token) && !this.unwritten.has(e.token)) this.unwritten.set(e.token, sealEntry(e, this.settings.keyring, this.settings.revealRing!));
      }
    }
    if (this.unwritten.size) {
      const docs = [...this.unwritten].map(([token, doc]) => ({ token, doc }));
      // throws TransientError while ES is away: the batch is retried and nothing is indexed before its vault entries
      await writeVault(this.es!, this.settings.config.vaultIndex, docs);
      for (const d of docs) {
        this.seen.add(d.token);
        this.unwritten.delete(d.token);
      }
      this.metrics.inc('llm_audit_tokenize_vault_writes_total', 'Encrypted originals written to the vault.', {}, docs.length);
    }
  }
}

/** Hands the vault the values a cached answer reported when it was computed. */
function replay(values: Memo['values'], vault: Map<string, VaultEntry>): void {
  for (const [token, type, raw] of values) if (!vault.has(token)) vault.set(token, { token, type, raw });
}

/** Larger replacement sets are looked up by hash; smaller ones by comparison (see replaceStrings). */
const REPLACE_SCAN_MAX = 4;

/**
 * Rewrites every string of `doc` that is a key of `map`. An event has one to three replaced values: comparing a
 * document string to each is cheaper than hashing every (freshly decoded, unhashed) document string for a Map
 * lookup, since strings of unequal length or the same object compare at once. Plain objects are walked by for-in
 * (documents are JSON literals with no inherited enumerable keys): Object.keys allocated an array per object.
 * One walker for both ways of finding (no callback per string: a callback shared by two closures is not inlined).
 */
function replaceStrings(doc: Doc | Json[], map: Map<string, string>): void {
  if (map.size > REPLACE_SCAN_MAX) replaceIn(doc, undefined, undefined, map);
  else replaceIn(doc, [...map.keys()], [...map.values()], map);
}

function replacement(v: string, from: string[] | undefined, to: string[] | undefined, map: Map<string, string>): string | undefined {
  if (from === undefined) return map.get(v);
  for (let i = 0; i < from.length; i++) if (v === from[i]) return to![i];
  return undefined;
}

function replaceIn(doc: Doc | Json[], from: string[] | undefined, to: string[] | undefined, map: Map<string, string>): void {
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) {
      const v = doc[i];
      if (typeof v === 'string') {
        const r = replacement(v, from, to, map);
        if (r !== undefined) doc[i] = r;
      } else if (v && typeof v === 'object') replaceIn(v as Doc | Json[], from, to, map);
    }
    return;
  }
  for (const k in doc) {
    const v = doc[k];
    if (typeof v === 'string') {
      const r = replacement(v, from, to, map);
      if (r !== undefined) doc[k] = r;
    } else if (v && typeof v === 'object') replaceIn(v as Doc | Json[], from, to, map);
  }
}

export function createTokenizeStageWith(settings: TokenizeSettings, deps: Pick<StageDeps, 'es' | 'metrics' | 'logger'>): TokenizeStage {
  return new TokenizeStage(settings, deps.es, deps.metrics, deps.logger);
}

/** Refuses to start without a tokenization key (ConfigError that says how to make one). */
export const createTokenizeStage: TransformFactory = (deps) => createTokenizeStageWith(loadTokenizeSettings(deps.env), deps);
