import type { Client } from '@elastic/elasticsearch';
import { errorMessage, TransientError } from '../common/errors.js';
import { createIndexIfMissing } from '../common/es.js';
import { retry, type RetryOptions } from '../common/retry.js';

export interface KeyState {
  api_key_id: string;
  /** event time, epoch ms */
  last_seen: number;
  first_seen: number;
}

/**
 * Per-key first and last use, persisted in Elasticsearch (<prefix>-key-state, _id = api_key_id) so
 * dormancy survives restarts and is shared with the dormancy scan. Keys are partitioned by
 * api_key_id on the usage topic, so each key has one writer at a time; a plain index is enough.
 */
export class KeyStateStore {
  private readonly state = new Map<string, KeyState>();
  private readonly dirty = new Set<string>();

  constructor(private readonly es: Client | undefined, readonly index: string) {}

  /**
   * Retried: instances that start together see the index another one just created before its shard is
   * allocated (no_shard_available_action_exception), which must not stop a start.
   */
  async load(opts: Partial<RetryOptions> = {}): Promise<number> {
    return retry(() => this.loadOnce(), { retries: 8, initialDelayMs: 250, maxDelayMs: 5_000, jitter: 0.2, ...opts });
  }

  private async loadOnce(): Promise<number> {
    if (!this.es) return 0;
    try {
      const created = await createIndexIfMissing(this.es, this.index, {
        dynamic: false,
        properties: { api_key_id: { type: 'keyword' }, last_seen: { type: 'date', format: 'epoch_millis' }, first_seen: { type: 'date', format: 'epoch_millis' } },
      });
      if (created) return 0;
      let n = 0;
      let res = await this.es.search<KeyState>({ index: this.index, size: 5000, scroll: '1m', sort: ['_doc'], query: { match_all: {} } });
      try {
        while (res.hits.hits.length) {
          for (const h of res.hits.hits) if (h._source) this.state.set(h._source.api_key_id, h._source);
          n += res.hits.hits.length;
          res = await this.es.scroll<KeyState>({ scroll_id: res._scroll_id!, scroll: '1m' });
        }
      } finally {
        if (res._scroll_id) await this.es.clearScroll({ scroll_id: res._scroll_id }).catch(() => undefined);
      }
      return n;
    } catch (err) {
      throw new TransientError(`key state ${this.index} cannot be loaded: ${errorMessage(err)}`, err);
    }
  }

  get(keyId: string): KeyState | undefined {
    return this.state.get(keyId);
  }

  /** Records a use; returns the last use before it. */
  touch(keyId: string, at: number): number | undefined {
    const cur = this.state.get(keyId);
    if (!cur) {
      this.state.set(keyId, { api_key_id: keyId, last_seen: at, first_seen: at });
      this.dirty.add(keyId);
      return undefined;
    }
    const prev = cur.last_seen;
    if (at > cur.last_seen) {
      cur.last_seen = at;
      this.dirty.add(keyId);
    }
    if (at < cur.first_seen) {
      cur.first_seen = at;
      this.dirty.add(keyId);
    }
    return prev;
  }

  all(): KeyState[] {
    return [...this.state.values()];
  }

  async flush(): Promise<number> {
    if (!this.es || this.dirty.size === 0) return 0;
    const ids = [...this.dirty];
    const operations = ids.flatMap((id) => [{ index: { _index: this.index, _id: id } }, this.state.get(id)!]);
    let res;
    try {
      res = await this.es.bulk({ operations });
    } catch (err) {
      throw new TransientError(`key state flush to ${this.index} failed: ${errorMessage(err)}`, err);
    }
    if (res.errors) {
      const failed = res.items.filter((i) => i.index?.error);
      throw new TransientError(`key state flush: ${failed.length} of ${ids.length} failed: ${failed[0]?.index?.error?.reason ?? 'unknown'}`);
    }
    for (const id of ids) this.dirty.delete(id);
    return ids.length;
  }
}
