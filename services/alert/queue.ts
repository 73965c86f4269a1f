import { errorMessage, isRetriable, retryAfterMs } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry } from '../common/metrics.js';
import { retryDelay, type BackoffOptions } from '../common/retry.js';
import type { Alert } from '../common/types.js';
import { recordId } from './deliveries.js';
import type { Dispatcher, Outcome } from './dispatch.js';
import { route, type Routing } from './routing.js';
import type { Target } from './sinks/sink.js';

/** What the queue owes the consumer for one Kafka message: `done` runs once every target of it is settled. */
export interface Ticket {
  done(failed: boolean): void;
}

interface Job {
  key: string;
  /** Arrival order: oldest first within each class, kept across retries. */
  seq: number;
  target: Target;
  /** The latest alert of the incident: pending updates coalesce to the highest count. */
  alert: Alert;
  tickets: Ticket[];
  /** New incidents go before thread updates. */
  isNew: boolean;
  attempts: number;
  notBefore: number;
  /**
   * An earlier attempt (in this process, or before a crash) may have reached the sink: look before
   * posting again. Sticky: a 429 on the lookup itself says nothing about the post before it.
   */
  maybeDelivered: boolean;
}

export interface DeliveryQueueOptions {
  dispatcher: Dispatcher;
  routing: Routing;
  logger: Logger;
  metrics: MetricsRegistry;
  backoff: BackoffOptions;
  /** Deliveries in flight at once, over all channels. */
  concurrency: number;
  /** Deliveries in flight at once on one channel (Slack allows about one post per second per channel). */
  channelConcurrency: number;
  /** A fatal error (bad token): the service must stop. */
  onFatal: (err: Error) => void;
  /** Keys known to be delivered already (their pending alerts are updates). */
  isKnown?: (key: string) => boolean;
  /** A record that is now delivered (posted, updated or found a duplicate). */
  onDelivered?: (key: string) => void;
  now?: () => number;
}

const M_QUEUE = 'llm_audit_alert_queue_depth';

/**
 * Alert delivery that keeps a new incident in front of on-call while Slack throttles:
 * - one job per (incident, sink, channel); a pending update is replaced by a later one (latest count wins);
 * - new incidents are picked before updates, oldest first within each class;
 * - a 429's Retry-After pauses that channel only; other channels go on;
 * - one job of a record at a time, so the delivery records (and so exactly-once) stay as in the serial path.
 * Retries use the shared backoff (`retryDelay`) and classification (`isRetriable`) without sleeping:
 * a waiting job just isn't picked until its time.
 */
export class DeliveryQueue {
  private readonly queued = new Map<string, Job>();
  private readonly running = new Map<string, Job>();
  private readonly channelBusy = new Map<string, number>();
  private readonly channelBlockedUntil = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private seq = 0;
  private readonly now: () => number;

  constructor(private readonly o: DeliveryQueueOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.queued.size + this.running.size;
  }

  /** The delivery-record ids an alert would touch. */
  keysOf(alert: Alert): string[] {
    return route(this.o.routing, alert).map((t) => recordId(alert.id, t.sink, t.channel));
  }

  /** Routes the alert and queues one job per target; `ticket.done()` once all are settled. */
  add(alert: Alert, ticket: Ticket): void {
    const targets = route(this.o.routing, alert);
    if (targets.length === 0) {
      this.o.dispatcher.filtered();
      ticket.done(false);
      return;
    }
    let left = targets.length;
    let failed = false;
    const part: Ticket = {
      done: (f) => {
        failed ||= f;
        if (--left === 0) ticket.done(failed);
      },
    };
    for (const target of targets) this.enqueue(alert, target, part);
    this.pump();
  }

  private enqueue(alert: Alert, target: Target, ticket: Ticket): void {
    const key = recordId(alert.id, target.sink, target.channel);
    const waiting = this.queued.get(key);
    if (waiting) {
      if (alert.count > waiting.alert.count) waiting.alert = alert;
      waiting.tickets.push(ticket);
      this.o.metrics.inc('llm_audit_alert_coalesced_total', 'Pending alert updates replaced by a later count of the same incident.', {});
      return;
    }
    const inFlight = this.running.get(key);
    if (inFlight && alert.count <= inFlight.alert.count) {
      inFlight.tickets.push(ticket);
      return;
    }
    const known = Boolean(inFlight) || (this.o.isKnown?.(key) ?? false);
    this.queued.set(key, { key, seq: this.seq++, target, alert, tickets: [ticket], isNew: !known, attempts: 0, notBefore: 0, maybeDelivered: true });
  }

  private ready(j: Job, now: number): boolean {
    return j.notBefore <= now && !this.running.has(j.key)
      && (this.channelBlockedUntil.get(j.target.channel) ?? 0) <= now
      && (this.channelBusy.get(j.target.channel) ?? 0) < this.o.channelConcurrency;
  }

  private pick(now: number): Job | undefined {
    let fresh: Job | undefined;
    let update: Job | undefined;
    for (const j of this.queued.values()) {
      if (!this.ready(j, now)) continue;
      if (j.isNew) {
        if (!fresh || j.seq < fresh.seq) fresh = j;
      } else if (!update || j.seq < update.seq) update = j;
    }
    return fresh ?? update;
  }

  /** Starts what may start now, and sets a timer for the earliest job still waiting. */
  private pump(): void {
    if (this.stopped) return;
    const now = this.now();
    while (this.running.size < this.o.concurrency) {
      const j = this.pick(now);
      if (!j) break;
      this.queued.delete(j.key);
      this.running.set(j.key, j);
      this.channelBusy.set(j.target.channel, (this.channelBusy.get(j.target.channel) ?? 0) + 1);
      void this.run(j);
    }
    this.o.metrics.set(M_QUEUE, 'Alert deliveries queued or in flight.', {}, this.size);
    if (this.size === 0) for (const w of this.idleWaiters.splice(0)) w();
    let next = Infinity;
    for (const j of this.queued.values()) {
      if (this.running.has(j.key)) continue;
      next = Math.min(next, Math.max(j.notBefore, this.channelBlockedUntil.get(j.target.channel) ?? 0));
    }
    if (next === Infinity || next <= now || next >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(1, next - now));
  }

  private async run(j: Job): Promise<void> {
    let settled = false;
    let failed = false;
    try {
      const out: Outcome = await this.o.dispatcher.attempt(j.alert, j.target, j.maybeDelivered);
      settled = true;
      failed = out === 'failed';
      if (out === 'posted' || out === 'updated' || out === 'duplicate') this.o.onDelivered?.(j.key);
    } catch (err) {
      if (!isRetriable(err) || this.stopped) {
        if (!this.stopped) this.o.onFatal(err instanceof Error ? err : new Error(String(err)));
        this.stopped = true;
      } else {
        j.attempts++;
        const delay = retryDelay(err, j.attempts, this.o.backoff);
        j.notBefore = this.now() + delay;
        const pause = retryAfterMs(err);
        if (pause > 0) this.channelBlockedUntil.set(j.target.channel, Math.max(this.channelBlockedUntil.get(j.target.channel) ?? 0, this.now() + pause));
        if (j.attempts === 1 || j.attempts % 10 === 0) this.o.logger.warn({ channel: j.target.channel, alert_id: j.alert.id, attempt: j.attempts, delayMs: delay, err: errorMessage(err) }, 'alert delivery waiting for a sink');
        this.o.metrics.inc('llm_audit_alert_retries_total', 'Attempts retried while a sink or Elasticsearch was down.', { what: j.target.sink });
      }
    } finally {
      this.running.delete(j.key);
      this.channelBusy.set(j.target.channel, (this.channelBusy.get(j.target.channel) ?? 1) - 1);
    }
    if (settled) {
      for (const t of j.tickets) t.done(failed);
      const next = this.queued.get(j.key);
      if (next && !failed) next.isNew = false;
    } else if (!this.stopped) {
      // back in the queue: merge with anything that arrived meanwhile, keep the job's seq and state
      const later = this.queued.get(j.key);
      if (later) {
        if (later.alert.count > j.alert.count) j.alert = later.alert;
        j.tickets.push(...later.tickets);
        this.queued.delete(j.key);
      }
      this.queued.set(j.key, j);
    }
    this.pump();
  }

  /** Resolves once nothing is queued or running (tests, shutdown). */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Stops starting jobs; running ones finish. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

/**
 * Which offsets of each partition are settled. Kafka commits one offset per partition, so the
 * committable point is the end of the settled prefix: a crash replays everything after it, and the
 * delivery records turn what was already delivered into duplicates.
 */
export class OffsetTracker {
  private readonly parts = new Map<number, { offsets: bigint[]; done: Set<bigint>; committed?: bigint }>();

  /** Registers an offset; undefined when it is already tracked (a re-fetch after a rebalance). */
  track(partition: number, offset: string): Ticket | undefined {
    let p = this.parts.get(partition);
    if (!p) this.parts.set(partition, (p = { offsets: [], done: new Set() }));
    const o = BigInt(offset);
    const last = p.offsets[p.offsets.length - 1];
    if ((last !== undefined && o <= last) || (p.committed !== undefined && o < p.committed)) return undefined;
    p.offsets.push(o);
    const part = p;
    return { done: () => void part.done.add(o) };
  }

  /** Next offset to commit per partition (one past the settled prefix), for partitions that moved. */
  committable(): { partition: number; offset: string }[] {
    const out: { partition: number; offset: string }[] = [];
    for (const [partition, p] of this.parts) {
      let n = 0;
      while (n < p.offsets.length && p.done.has(p.offsets[n]!)) p.done.delete(p.offsets[n++]!);
      if (n === 0) continue;
      const next = p.offsets[n - 1]! + 1n;
      p.offsets.splice(0, n);
      p.committed = next;
      out.push({ partition, offset: next.toString() });
    }
    return out;
  }

  /** Forgets partitions this member no longer owns. */
  retain(partitions: Set<number>): void {
    for (const k of [...this.parts.keys()]) if (!partitions.has(k)) this.parts.delete(k);
  }
}
