import { errorMessage, isRetriable } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry, StageCounters } from '../common/metrics.js';
import { retry } from '../common/retry.js';
import type { Alert } from '../common/types.js';
import { recordId, type RecordStore } from './deliveries.js';
import { TokenBucket } from './ratecap.js';
import { channelSettings, route, type Routing } from './routing.js';
import { SinkError } from './sinks/errors.js';
import { newRecord, type DeliveryRecord, type Sink, type StatusChange, type Target } from './sinks/sink.js';

export interface DispatchHooks {
  /** Called between attempts while a sink is down (the consumer heartbeats here). */
  heartbeat?: () => Promise<void>;
  /** Aborts the retry loop (shutdown, lost partition). */
  signal?: AbortSignal;
}

export interface DispatcherOptions {
  routing: Routing;
  sinks: Map<string, Sink>;
  store: RecordStore;
  logger: Logger;
  metrics: MetricsRegistry;
  counters: StageCounters;
  retryInitialMs: number;
  retryMaxMs: number;
  summaryIntervalMs: number;
  now?: () => number;
}

export type Outcome = 'posted' | 'updated' | 'duplicate' | 'held' | 'failed';

interface DeliverMode {
  /** Each step once; retriable errors go back to the caller. Otherwise steps retry until they succeed or abort. */
  once?: boolean;
  maybeDelivered?: boolean;
  hooks?: DispatchHooks;
}

/**
 * Deliveries of different records run side by side (the queue never runs two of one record at once);
 * a summary flush rewrites held records of many incidents, so it waits for them and runs alone.
 */
class SharedGate {
  private active = 0;
  private drained?: () => void;
  private closed: Promise<void> | undefined;

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    while (this.closed) await this.closed;
    this.active++;
    try {
      return await fn();
    } finally {
      if (--this.active === 0) this.drained?.();
    }
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.closed) await this.closed;
    let open!: () => void;
    this.closed = new Promise<void>((r) => (open = r));
    try {
      if (this.active > 0) await new Promise<void>((r) => (this.drained = r));
      this.drained = undefined;
      return await fn();
    } finally {
      this.closed = undefined;
      open();
    }
  }
}

/** A fatal sink error: the service must stop (bad token) rather than skip alerts. */
export class FatalDeliveryError extends SinkError {}

const M_DELIVERIES = 'llm_audit_alert_deliveries_total';
const M_HELP = 'Alert deliveries by sink and outcome (posted, updated, duplicate, held, summarised, failed, fallback, filtered).';

/**
 * Routes each alert, consults its delivery records, posts or updates through the sinks, applies the
 * per-channel rate cap and writes the records. `handle` returns only when every target is delivered
 * (or recorded as held/failed): the consumer commits the offset after that.
 */
export class Dispatcher {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly held = new Map<string, DeliveryRecord[]>();
  private heldSince = new Map<string, number>();
  private readonly gate = new SharedGate();
  private readonly now: () => number;

  constructor(private readonly o: DispatcherOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Reloads alerts held back before a restart, so the next summary lists them. */
  async restoreHeld(): Promise<number> {
    const recs = await this.o.store.held();
    for (const r of recs) this.addHeld(r);
    return recs.length;
  }

  private addHeld(r: DeliveryRecord): void {
    const list = this.held.get(r.channel) ?? [];
    const i = list.findIndex((x) => x.alert_id === r.alert_id);
    if (i >= 0) list[i] = r;
    else list.push(r);
    this.held.set(r.channel, list);
    if (!this.heldSince.has(r.channel)) this.heldSince.set(r.channel, this.now());
  }

  heldCount(): number {
    let n = 0;
    for (const l of this.held.values()) n += l.length;
    return n;
  }

  private count(sink: string, outcome: string): void {
    this.o.metrics.inc(M_DELIVERIES, M_HELP, { sink, outcome });
  }

  /** Retries `fn` with the shared mechanism until it succeeds, fails for good, or the signal aborts; honours Retry-After. */
  private persist<T>(what: string, fn: (attempt: number) => Promise<T>, hooks: DispatchHooks, maxAttempts = Infinity): Promise<T> {
    return retry(fn, {
      retries: maxAttempts, initialDelayMs: this.o.retryInitialMs, maxDelayMs: this.o.retryMaxMs, jitter: 0.2, signal: hooks.signal,
      // heartbeat in slices so a long Retry-After does not cost the consumer its group membership
      hookEveryMs: 3000, beforeRetry: () => hooks.heartbeat?.(),
      onRetry: ({ attempt, err, delayMs }) => {
        if (attempt === 1 || attempt % 10 === 0) this.o.logger.warn({ what, attempt, delayMs, err: errorMessage(err) }, 'alert delivery waiting for a sink');
        this.o.metrics.inc('llm_audit_alert_retries_total', 'Attempts retried while a sink or Elasticsearch was down.', { what: what.split(' ')[0]! });
      },
    });
  }

  /**
   * One delivery of `alert` to one target, each step tried once: a retriable error comes back to the
   * caller (the delivery queue), which schedules the next attempt without blocking other work.
   * `maybeDelivered`: an earlier attempt (in this process or before a crash) may have reached the sink.
   */
  async attempt(alert: Alert, target: Target, maybeDelivered: boolean): Promise<Outcome> {
    return this.gate.shared(() => this.deliverTo(alert, target, { once: true, maybeDelivered }));
  }

  /** An alert no route wants (the queue's path; `handle` counts its own). */
  filtered(): void {
    this.o.counters.received++;
    this.o.counters.dropped++;
    this.count('none', 'filtered');
  }

  async handle(alert: Alert, hooks: DispatchHooks = {}): Promise<void> {
    this.o.counters.received++;
    const targets = route(this.o.routing, alert);
    if (targets.length === 0) {
      this.o.counters.dropped++;
      this.count('none', 'filtered');
      return;
    }
    let failed = false;
    for (const t of targets) {
      const out = await this.gate.shared(() => this.deliverTo(alert, t, { hooks }));
      failed ||= out === 'failed';
    }
    if (failed) this.o.counters.errored++;
    else this.o.counters.sent++;
  }

  private async deliverTo(alert: Alert, target: Target, mode: DeliverMode): Promise<Outcome> {
    const sink = this.o.sinks.get(target.sink);
    if (!sink) throw new FatalDeliveryError('fatal', `routing names sink ${target.sink}, which is not configured`);
    const hooks = mode.hooks ?? {};
    const run = <T>(what: string, fn: (attempt: number) => Promise<T>) => (mode.once ? fn(1) : this.persist(what, fn, hooks));
    const id = recordId(alert.id, target.sink, target.channel);
    const stored = await run('deliveries get', () => this.o.store.get(id));
    const put = (r: DeliveryRecord) => run('deliveries put', () => this.o.store.put(r));

    if (stored?.status === 'held') {
      // still waiting for the next summary: it will list the latest numbers
      if (alert.count > stored.last_count) {
        const r = { ...stored, last_count: alert.count, severity: alert.severity, updated_at: this.now(), alert };
        await put(r);
        this.addHeld(r);
      }
      this.count(target.sink, 'held');
      return 'held';
    }
    if (stored?.status === 'posted' || stored?.status === 'summarised') {
      if (alert.count <= stored.last_count) {
        this.count(target.sink, 'duplicate');
        return 'duplicate';
      }
    } else if (sink.summarise && stored?.status !== 'pending') {
      // a new incident on a chat channel: it takes a token or waits for the summary
      const cap = channelSettings(this.o.routing, target.channel).rateCap;
      let bucket = this.buckets.get(target.channel);
      if (!bucket) this.buckets.set(target.channel, (bucket = new TokenBucket(cap.burst, cap.perMinute, this.now())));
      if (!bucket.take(this.now())) {
        const r: DeliveryRecord = { ...newRecord(alert, target, this.now()), status: 'held', last_count: alert.count, alert };
        await put(r);
        this.addHeld(r);
        this.count(target.sink, 'held');
        return 'held';
      }
    }

    let prior = stored?.status === 'failed' ? undefined : stored;
    // a pending record: an attempt started and may have got through (a crash, a timeout): look first
    let uncertain = stored?.status === 'pending' && (mode.maybeDelivered ?? true);
    if (!prior) {
      prior = newRecord(alert, target, this.now());
      await put(prior);
      uncertain = false;
    } else if (prior.status !== 'pending') {
      prior = { ...prior, attempt_started_at: this.now() };
    }
    const isNew = prior.status === 'pending';
    try {
      const rec = await run(`${target.sink} deliver`, (attempt) => sink.deliver(alert, target, isNew && attempt === 1 && !uncertain ? undefined : prior, { uncertain: uncertain || attempt > 1 }));
      await put(rec);
      this.count(target.sink, isNew ? 'posted' : 'updated');
      return isNew ? 'posted' : 'updated';
    } catch (err) {
      if (err instanceof SinkError && err.failure === 'fatal') throw new FatalDeliveryError('fatal', err.message, { cause: err });
      if (err instanceof SinkError && err.failure === 'channel' && target.channel !== this.o.routing.defaultChannel && target.sink === 'slack') {
        this.o.logger.warn({ channel: target.channel, alert_id: alert.id, err: err.message }, 'channel unusable, falling back to the default channel');
        this.count(target.sink, 'fallback');
        await put({ ...prior, status: 'failed', error: err.message, updated_at: this.now() });
        return this.deliverTo(alert, { sink: target.sink, channel: this.o.routing.defaultChannel, reason: `fallback from ${target.channel}` }, mode);
      }
      if (isRetriable(err)) throw err; // aborted: leave the offset uncommitted
      this.o.logger.error({ sink: target.sink, channel: target.channel, alert_id: alert.id, rule: alert.rule, err: errorMessage(err) }, 'alert delivery failed for good');
      this.count(target.sink, 'failed');
      await put({ ...prior, status: isNew ? 'failed' : prior.status, error: errorMessage(err), updated_at: this.now() });
      return 'failed';
    }
  }

  /**
   * Posts one summary per channel listing alerts the rate cap held back. A failed summary stays held
   * and is tried again at the next tick (bounded attempts, so handle() is never blocked for long).
   */
  async flushSummaries(hooks: DispatchHooks = {}, force = false): Promise<number> {
    if (![...this.held.values()].some((l) => l.length > 0)) return 0;
    return this.gate.exclusive(async () => {
      let posted = 0;
      for (const [channel, list] of [...this.held]) {
        if (list.length === 0) continue;
        const since = this.heldSince.get(channel) ?? this.now();
        if (!force && this.now() - since < this.o.summaryIntervalMs) continue;
        const sink = this.o.sinks.get(list[0]!.sink);
        if (!sink?.summarise) continue;
        try {
          const { ts, channel_id } = await this.persist('slack summary', () => sink.summarise!(channel, list, this.now() - since), hooks, 4);
          for (const r of list) await this.persist('deliveries put', () => this.o.store.put({ ...r, status: 'summarised', ts, channel_id, delivered_at: this.now(), updated_at: this.now() }), hooks);
          this.o.metrics.inc(M_DELIVERIES, M_HELP, { sink: sink.name, outcome: 'summarised' }, list.length);
          this.held.delete(channel);
          this.heldSince.delete(channel);
          posted++;
        } catch (err) {
          this.o.logger.warn({ channel, held: list.length, err: errorMessage(err) }, 'summary not posted yet; will retry');
        }
      }
      return posted;
    });
  }

  /** Acknowledge/resolve: updates every delivered message of the alert and their records. */
  async changeStatus(records: DeliveryRecord[], change: StatusChange, hooks: DispatchHooks = {}): Promise<void> {
    for (const r of records) {
      const sink = this.o.sinks.get(r.sink);
      const updated: DeliveryRecord = {
        ...r, alert_status: change.status, updated_at: this.now(),
        ...(change.status === 'acknowledged' ? { acknowledged_by: change.by, acknowledged_at: change.at } : { resolved_by: change.by, resolved_at: change.at }),
      };
      if (sink?.updateStatus && r.alert) await this.persist(`${r.sink} status`, () => sink.updateStatus!(r.alert!, r, change), hooks, 3);
      await this.persist('deliveries put', () => this.o.store.put(updated), hooks, 3);
    }
  }
}
