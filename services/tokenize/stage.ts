import type { Client } from '@elastic/elasticsearch';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry, StageCounters } from '../common/metrics.js';
import type { StageDeps, Transform, TransformFactory } from '../common/stage.js';
import { setPath, type AuditRecord, type Doc, type Json, type UsageEvent } from '../common/types.js';
import { KNOWN_FIELDS } from '../decode/validate.js';
import { loadTokenizeSettings, type TokenizeSettings } from './config.js';
import type { EntityType } from './detect.js';
import { ALL_TYPES, METADATA_TYPES, tokenizeText } from './index.js';
import { recordInvisible } from './smuggling.js';
import { ensureVaultIndex, sealEntry, writeVault, type VaultEntry } from './vault.js';

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
 * the tokenize stage found without a second scan. A symbol is not serialised (Avro, JSON, dead letters), and
 * text shaped like a token cannot forge it.
 */
export const SECRET_FINDINGS: unique symbol = Symbol.for('llm-audit.tokenize.secret-findings');

/** What the tokenize stage found in this event (undefined when it did not run on it). */
export function secretFindings(ev: UsageEvent): readonly SecretFinding[] | undefined {
  return (ev as UsageEvent & { [SECRET_FINDINGS]?: SecretFinding[] })[SECRET_FINDINGS];
}

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

export class TokenizeStage implements Transform {
  readonly name = 'tokenize';
  readonly counters: StageCounters;
  private readonly seen = new SeenSet(200_000);
  /** Metadata values already scanned and found clean (model names, user agents, gateway ids repeat endlessly). */
  private readonly clean = new SeenSet(20_000);
  private readonly metaFields: StringField[];
  /**
   * A batch is retried whole when the vault write fails, but its records were already tokenized in place:
   * a second pass would find no originals left. So records are tokenized once, and sealed vault entries
   * wait here until they are written.
   */
  private readonly done = new WeakSet<AuditRecord>();
  private readonly unwritten = new Map<string, ReturnType<typeof sealEntry>>();

  constructor(
    private readonly settings: TokenizeSettings,
    private readonly es: Client | undefined,
    private readonly metrics: MetricsRegistry,
    private readonly logger?: Logger,
  ) {
    this.counters = metrics.stage('tokenize');
    this.metaFields = settings.config.metadataFields.filter((f) => !(TEXT_FIELDS as readonly string[]).includes(f)) as StringField[];
  }

  async start(): Promise<void> {
    if (this.settings.config.vault && this.es) await ensureVaultIndex(this.es, this.settings.config.vaultIndex);
  }

  /** Tokenizes one record in place; collects originals for the vault into `vault` when given. */
  tokenizeRecord(record: AuditRecord, vault?: Map<string, VaultEntry>): void {
    const { keyring, config } = this.settings;
    const ev = record.event as UsageEvent & Record<string, unknown>;
    const types = new Set<EntityType>();
    const tokens = new Set<string>();
    const fields: string[] = [];
    let count = 0;
    let truncated = false;
    const replaced = new Map<string, string>();
    const secrets: SecretFinding[] = [];
    const onValue = vault ? (token: string, type: EntityType, raw: string) => void (vault.has(token) || vault.set(token, { token, type, raw })) : undefined;
    const run = (field: string, wanted: ReadonlySet<EntityType>) => {
      const v = ev[field];
      if (typeof v !== 'string' || v.length === 0) return undefined;
      const meta = wanted === METADATA_TYPES && v.length <= 256;
      if (meta && this.clean.has(v)) return v;
      const r = tokenizeText(v, keyring, { types: wanted, maxBytes: config.maxFieldBytes, onValue });
      if (meta && r.entities.length === 0 && !r.truncated) this.clean.add(v);
      if (r.truncated) {
        truncated = true;
        this.metrics.inc('llm_audit_tokenize_truncated_total', 'Fields cut at the tokenize size cap.', { field: KNOWN_FIELDS.has(field) ? field : 'other' });
      }
      if (r.entities.length) {
        fields.push(field);
        count += r.entities.length;
        for (const e of r.entities) {
          types.add(e.type);
          tokens.add(e.token);
          this.metrics.inc('llm_audit_tokenize_entities_total', 'Entities replaced by tokens, by type.', { type: e.type });
          if (e.type === 'SECRET' && secrets.length < MAX_SECRETS_PER_EVENT && !secrets.some((x) => x.token === e.token && x.field === field)) {
            secrets.push({ field, token: e.token, subtype: e.subtype ?? 'unknown', provider: e.provider ?? 'generic', family: e.family ?? 'other' });
          }
        }
      }
      if (r.text !== v) {
        replaced.set(v, r.text);
        ev[field] = r.text;
      }
      return r.text;
    };
    // invisible code points are counted on the raw text: normalisation inside tokenizeText removes them
    recordInvisible(record.doc, ev, TEXT_FIELDS, (h) => tokenizeText(h, keyring, { types: ALL_TYPES, maxBytes: config.maxFieldBytes, onValue }).text);
    for (const f of TEXT_FIELDS) {
      const out = run(f, ALL_TYPES);
      if (out !== undefined) setPath(record.doc, `llm_audit.${f}`, out);
    }
    for (const f of this.metaFields) run(f, METADATA_TYPES);
    // a producer can send fields the contract does not know: they are scanned like metadata
    for (const f of Object.keys(ev)) if (!KNOWN_FIELDS.has(f) && typeof ev[f] === 'string') run(f, METADATA_TYPES);
    // a stage before us may already have copied raw values into the document
    if (replaced.size) replaceStrings(record.doc, replaced);
    setPath(record.doc, 'llm_audit.pii.types', [...types].sort());
    setPath(record.doc, 'llm_audit.pii.count', count);
    setPath(record.doc, 'llm_audit.pii.tokens', [...tokens].sort());
    setPath(record.doc, 'llm_audit.pii.fields', fields);
    setPath(record.doc, 'llm_audit.pii.truncated', truncated);
    setPath(record.doc, 'llm_audit.pii.secrets', secrets as unknown as Json);
    Object.defineProperty(ev, SECRET_FINDINGS, { value: secrets, enumerable: false, configurable: true, writable: true });
  }

  async process(records: AuditRecord[]): Promise<void> {
    const vaultOn = this.settings.config.vault && !!this.es;
    const pending = vaultOn ? new Map<string, VaultEntry>() : undefined;
    let failed = 0;
    let skipped = 0;
    let fresh = 0;
    for (const record of records) {
      if (this.done.has(record)) continue;
      this.done.add(record);
      fresh++;
      this.counters.received++;
      try {
        this.tokenizeRecord(record, pending);
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

function replaceStrings(doc: Doc | Json[], map: Map<string, string>): void {
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) {
      const v = doc[i];
      if (typeof v === 'string') {
        const r = map.get(v);
        if (r !== undefined) doc[i] = r;
      } else if (v && typeof v === 'object') replaceStrings(v as Doc | Json[], map);
    }
    return;
  }
  for (const k of Object.keys(doc)) {
    const v = doc[k];
    if (typeof v === 'string') {
      const r = map.get(v);
      if (r !== undefined) doc[k] = r;
    } else if (v && typeof v === 'object') replaceStrings(v as Doc | Json[], map);
  }
}

export function createTokenizeStageWith(settings: TokenizeSettings, deps: Pick<StageDeps, 'es' | 'metrics' | 'logger'>): TokenizeStage {
  return new TokenizeStage(settings, deps.es, deps.metrics, deps.logger);
}

/** Refuses to start without a tokenization key (ConfigError that says how to make one). */
export const createTokenizeStage: TransformFactory = (deps) => createTokenizeStageWith(loadTokenizeSettings(deps.env), deps);
