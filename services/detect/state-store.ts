import type { Client } from '@elastic/elasticsearch';
import { TransientError, errorMessage } from '../common/errors.js';
import type { SnapshotBody } from './engine.js';

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
  save(s: Snapshot): Promise<void>;
}

/** For tests and the in-process eval: keeps serialized copies, as a real store would. */
export class MemoryStateStore implements StateStore {
  readonly docs = new Map<string, string>();
  saves = 0;
  async load(topic: string, partition: number): Promise<Snapshot | null> {
    const s = this.docs.get(`${topic}-${partition}`);
    return s ? (JSON.parse(s) as Snapshot) : null;
  }
  async save(s: Snapshot): Promise<void> {
    this.saves++;
    this.docs.set(`${s.topic}-${s.partition}`, JSON.stringify(s));
  }
}

/**
 * One document per partition, `_id` = `<topic>-<partition>`. The state is kept as a JSON string that is
 * stored but not indexed: nothing searches inside it, and dynamic mapping of per-key fields would explode.
 */
export class EsStateStore implements StateStore {
  private ready: Promise<void> | null = null;
  constructor(private readonly es: Client, readonly index: string) {}

  private ensureIndex(): Promise<void> {
    this.ready ??= (async () => {
      try {
        const exists = await this.es.indices.exists({ index: this.index });
        if (!exists) {
          await this.es.indices.create({
            index: this.index,
            settings: { number_of_shards: 1, number_of_replicas: 0 },
            mappings: {
              dynamic: false,
              properties: {
                '@timestamp': { type: 'date' },
                topic: { type: 'keyword' },
                partition: { type: 'integer' },
                offset: { type: 'long' },
                keys: { type: 'integer' },
                state: { type: 'text', index: false },
              },
            },
          });
        }
      } catch (err) {
        this.ready = null;
        if ((err as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type === 'resource_already_exists_exception') return;
        throw new TransientError(`cannot prepare detector state index ${this.index}: ${errorMessage(err)}`, err);
      }
    })();
    return this.ready;
  }

  async load(topic: string, partition: number): Promise<Snapshot | null> {
    await this.ensureIndex();
    try {
      const r = await this.es.get<{ topic: string; partition: number; offset: number; '@timestamp': string; state: string }>({ index: this.index, id: `${topic}-${partition}` }, { ignore: [404] });
      if (!r.found || !r._source) return null;
      const src = r._source;
      return { topic: src.topic, partition: src.partition, offset: src.offset, savedAt: Date.parse(src['@timestamp']), body: JSON.parse(src.state) as SnapshotBody };
    } catch (err) {
      throw new TransientError(`cannot load detector state ${topic}-${partition} from ${this.index}: ${errorMessage(err)}`, err);
    }
  }

  async save(s: Snapshot): Promise<void> {
    await this.ensureIndex();
    try {
      await this.es.index({
        index: this.index,
        id: `${s.topic}-${s.partition}`,
        document: { '@timestamp': new Date(s.savedAt).toISOString(), topic: s.topic, partition: s.partition, offset: s.offset, keys: Object.keys(s.body.keys).length, state: JSON.stringify(s.body) },
      });
    } catch (err) {
      throw new TransientError(`cannot save detector state ${s.topic}-${s.partition} to ${this.index}: ${errorMessage(err)}`, err);
    }
  }
}
