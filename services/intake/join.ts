import type { Content } from './genai.js';

interface Entry {
  content: Content;
  at: number;
}

/**
 * Holds prompt/completion content from log records until its span arrives (OTLP exporters send
 * logs and spans in separate requests, in either order). Bounded by entries and age; what falls
 * out is counted, never kept without limit.
 */
export class ContentJoin {
  private readonly entries = new Map<string, Entry>();
  private readonly waiters = new Map<string, { resolve: (c: Content | undefined) => void; timer: NodeJS.Timeout }[]>();
  /** Services seen sending GenAI log records, with when: only their spans wait for content. */
  private readonly senders = new Map<string, number>();
  evicted = 0;
  expired = 0;

  constructor(private readonly maxEntries: number, private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.entries.size;
  }

  /** Adds content for a span; wakes a span that waits for it once the completion side is in. */
  add(key: string, service: string, fill: (c: Content) => void): void {
    const t = this.now();
    this.senders.set(service, t);
    let e = this.entries.get(key);
    if (!e) {
      this.sweep(t);
      while (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next().value as string;
        this.entries.delete(oldest);
        this.evicted++;
      }
      e = { content: { prompt: [], completion: [], done: false }, at: t };
      this.entries.set(key, e);
    }
    fill(e.content);
    if (e.content.done) {
      const ws = this.waiters.get(key);
      if (ws) {
        this.waiters.delete(key);
        this.entries.delete(key);
        for (const w of ws) {
          clearTimeout(w.timer);
          w.resolve(e.content);
        }
      }
    }
  }

  take(key: string): Content | undefined {
    const e = this.entries.get(key);
    if (e) this.entries.delete(key);
    return e?.content;
  }

  /** Whether spans of this service should wait for log-record content (it sent some within the TTL). */
  sendsContent(service: string): boolean {
    const t = this.senders.get(service);
    return t !== undefined && this.now() - t < this.ttlMs * 10;
  }

  /** Content already here and complete, or what arrives within `ms` (partial content when time runs out). */
  wait(key: string, ms: number): Promise<Content | undefined> {
    const e = this.entries.get(key);
    if (e?.content.done || ms <= 0) return Promise.resolve(this.take(key));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const ws = this.waiters.get(key)?.filter((w) => w.timer !== timer) ?? [];
        if (ws.length) this.waiters.set(key, ws);
        else this.waiters.delete(key);
        resolve(this.take(key));
      }, ms);
      timer.unref?.();
      const list = this.waiters.get(key) ?? [];
      list.push({ resolve, timer });
      this.waiters.set(key, list);
    });
  }

  private sweep(t: number): void {
    for (const [k, e] of this.entries) {
      if (t - e.at < this.ttlMs) break;
      this.entries.delete(k);
      this.expired++;
    }
  }

  close(): void {
    for (const ws of this.waiters.values()) for (const w of ws) {
      clearTimeout(w.timer);
      w.resolve(undefined);
    }
    this.waiters.clear();
  }
}
