import type { Client } from '@elastic/elasticsearch';
import { TransientError, errorMessage } from '../common/errors.js';
import type { SnapshotBody } from './engine.js';
import { createIndexIfMissing } from '../common/es.js';

export interface Snapshot {
  topic: string;
  partition: number;
  /** The last offset the state reflects: records at or below it are skipped on replay. */
  offset: number;
  savedAt: number;
  body: SnapshotBody;
}

/** Where per-partition detector state is checkpointed. */
export interface StateStore {
  load(topic: string, partition: number): Promise<Snapshot | null>;
  /**
   * Writes the snapshot unless the stored one already reflects the same or a later offset (another
   * instance owns the partition now and has moved on): returns false then, and nothing is written.
   */
  save(s: Snapshot): Promise<boolean>;
}

/** For tests and the in-process eval: keeps serialized copies, as a real store would. */
export class MemoryStateStore implements StateStore {
  readonly docs = new Map<string, string>();
  saves = 0;
  /** The offset of each document this store wrote, by the string written: a save reads it instead of parsing the whole snapshot again (a test may put a document of its own in `docs`: that one is parsed). */
  private readonly written = new Map<string, { doc: string; offset: number }>();
  async load(topic: string, partition: number): Promise<Snapshot | null> {
    const s = this.docs.get(`${topic}-${partition}`);
    return s ? (JSON.parse(s) as Snapshot) : null;
  }
  async save(s: Snapshot): Promise<boolean> {
    const id = `${s.topic}-${s.partition}`;
    const cur = this.docs.get(id);
    if (cur) {
      const w = this.written.get(id);
      const offset = w !== undefined && w.doc === cur ? w.offset : (JSON.parse(cur) as Snapshot).offset;
      if (offset >= s.offset) return false;
    }
    this.saves++;
    const doc = JSON.stringify(s);
    this.docs.set(id, doc);
    this.written.set(id, { doc, offset: s.offset });
    return true;
  }
}

/**
 * One document per partition, `_id` = `<group>:<topic>-<partition>`. The state is kept as a JSON string that is
 * stored but not indexed: nothing searches inside it, and dynamic mapping of per-key fields would explode.
 */
export class EsStateStore implements StateStore {
  private ready: Promise<void> | null = null;
  /** Version of each snapshot as we last read or wrote it: writes are conditional on it (optimistic concurrency). */
  private readonly versions = new Map<string, { seq: number; term: number; offset: number }>();
  /** `scope` (the consumer group) keeps two groups reading the same topic from sharing one state. */
  constructor(private readonly es: Client, readonly index: string, private readonly scope = '') {}

  private docId(topic: string, partition: number): string {
    return `${this.scope ? `${this.scope}:` : ''}${topic}-${partition}`;
  }

  private ensureIndex(): Promise<void> {
    this.ready ??= (async () => {
      try {
        await createIndexIfMissing(this.es, this.index, {
          dynamic: false,
          properties: {
            '@timestamp': { type: 'date' },
            topic: { type: 'keyword' },
            partition: { type: 'integer' },
            offset: { type: 'long' },
            keys: { type: 'integer' },
            state: { type: 'text', index: false },
          },
        });
      } catch (err) {
        this.ready = null;
        throw new TransientError(`cannot prepare detector state index ${this.index}: ${errorMessage(err)}`, err);
      }
    })();
    return this.ready;
  }

  async load(topic: string, partition: number): Promise<Snapshot | null> {
    await this.ensureIndex();
    try {
      const id = this.docId(topic, partition);
      const r = await this.es.get<{ topic: string; partition: number; offset: number; '@timestamp': string; state: string }>({ index: this.index, id }, { ignore: [404] });
      if (!r.found || !r._source) {
        this.versions.delete(id);
        return null;
      }
      const src = r._source;
      this.versions.set(id, { seq: r._seq_no!, term: r._primary_term!, offset: src.offset });
      return { topic: src.topic, partition: src.partition, offset: src.offset, savedAt: Date.parse(src['@timestamp']), body: JSON.parse(src.state) as SnapshotBody };
    } catch (err) {
      throw new TransientError(`cannot load detector state ${topic}-${partition} from ${this.index}: ${errorMessage(err)}`, err);
    }
  }

  async save(s: Snapshot): Promise<boolean> {
    await this.ensureIndex();
    const id = this.docId(s.topic, s.partition);
    const document = { '@timestamp': new Date(s.savedAt).toISOString(), topic: s.topic, partition: s.partition, offset: s.offset, keys: Object.keys(s.body.keys).length, state: JSON.stringify(s.body) };
    for (let attempt = 0; attempt < 3; attempt++) {
      const v = this.versions.get(id);
      if (v && v.offset >= s.offset) return false;
      try {
        const r = await this.es.index({ index: this.index, id, document, ...(v ? { if_seq_no: v.seq, if_primary_term: v.term } : { op_type: 'create' as const }) });
        this.versions.set(id, { seq: r._seq_no!, term: r._primary_term!, offset: s.offset });
        return true;
      } catch (err) {
        // someone else wrote it since we last looked: read their version and compare offsets
        if ((err as { meta?: { statusCode?: number } }).meta?.statusCode === 409) {
          await this.load(s.topic, s.partition);
          continue;
        }
        throw new TransientError(`cannot save detector state ${id} to ${this.index}: ${errorMessage(err)}`, err);
      }
    }
    throw new TransientError(`cannot save detector state ${id} to ${this.index}: it kept changing under us`);
  }
}
