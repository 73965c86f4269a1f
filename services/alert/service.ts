import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@elastic/elasticsearch';
import type { Consumer, Kafka } from 'kafkajs';
import { alertDecoder, fromAvro } from '../common/alert.js';
import { schemaSourceFor } from '../common/avro.js';
import { ConfigError, errorMessage, isRetriable } from '../common/errors.js';
import { retry, sleep } from '../common/retry.js';
import type { Alert } from '../common/types.js';
import { DeliveryQueue, OffsetTracker, type Ticket } from './queue.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry } from '../common/metrics.js';
import type { CoreConfig } from '../common/settings.js';
import type { AlertConfig } from './config.js';
import { DeliveryStore } from './deliveries.js';
import { Dispatcher, FatalDeliveryError } from './dispatch.js';
import { createInteractionServer } from './interactions.js';
import { AlertStatusStore } from './lifecycle.js';
import type { LinkSettings } from './message.js';
import type { Routing } from './routing.js';
import type { Sink } from './sinks/sink.js';
import { SlackSink } from './sinks/slack.js';
import { WebhookSink } from './sinks/webhook.js';
import { findPredecessors } from './takeover.js';

export const STAGE = 'alert';

export const linkSettings = (c: AlertConfig): LinkSettings => ({ kibanaUrl: c.kibanaUrl, kibanaDataView: c.kibanaDataView, runbookBaseUrl: c.runbookBaseUrl });
/** The alert service's Kafka client id; it carries the instance id, which is how a restart finds its predecessor. */
export const alertClientId = (core: Pick<CoreConfig, 'kafkaClientId'>, c: Pick<AlertConfig, 'instanceId'>) => `${core.kafkaClientId}-alert${c.instanceId ? `.${c.instanceId}` : ''}`;
export const deliveriesIndex = (core: Pick<CoreConfig, 'indexPrefix'>, c: Pick<AlertConfig, 'deliveriesIndex'>) => c.deliveriesIndex ?? `${core.indexPrefix}-deliveries`;

/** The sinks routing names: Slack (unless disabled) and one WebhookSink per webhook route. */
export function buildSinks(c: AlertConfig, routing: Routing, env: NodeJS.ProcessEnv): Map<string, Sink> {
  const sinks = new Map<string, Sink>();
  const links = linkSettings(c);
  if (routing.slack) {
    if (!c.slackBotToken) throw new ConfigError('alert: SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_FILE) is required: a Slack bot token starting with xoxb-');
    sinks.set('slack', new SlackSink({ token: c.slackBotToken, slackApiUrl: c.slackApiUrl, timeoutMs: c.slackTimeoutMs, links }));
  }
  for (const w of routing.webhooks) {
    const secret = env[w.secretEnv];
    if (!secret || secret.length < 16) throw new ConfigError(`alert: webhook ${w.name} needs its HMAC secret in ${w.secretEnv} (at least 16 characters)`);
    sinks.set(w.name, new WebhookSink({ name: w.name, url: w.url, secret, timeoutMs: w.timeoutMs, links }));
  }
  return sinks;
}

export interface AlertServiceDeps {
  core: CoreConfig;
  config: AlertConfig;
  routing: Routing;
  sinks: Map<string, Sink>;
  kafka: Kafka;
  es: Client;
  logger: Logger;
  metrics: MetricsRegistry;
  /** Called once when the service cannot go on (bad token): the process should exit non-zero. */
  onFatal?: (err: Error) => void;
  /** false: no interaction endpoint (e.g. a second instance behind the same Slack app). */
  interactions?: boolean;
}

export interface AlertService {
  dispatcher: Dispatcher;
  queue: DeliveryQueue;
  consumer: Consumer;
  store: DeliveryStore;
  /** Port of the interaction endpoint, when it runs. */
  port?: number;
  stop(): Promise<void>;
}

/**
 * Consumes `llm.alerts.v1` into the delivery queue (queue.ts): new incidents first, updates of one
 * incident coalesced, Retry-After per channel. An offset is committed once it and every offset before
 * it in its partition are delivered (or recorded as held/failed); a crash replays the rest, and the
 * delivery records in Elasticsearch turn what was already posted into duplicates. The pipeline keys
 * alerts by api_key_id, so the messages of one incident stay in one partition and in order; the
 * queue runs one delivery per record at a time.
 */
export async function startAlertService(d: AlertServiceDeps): Promise<AlertService> {
  const counters = d.metrics.stage(STAGE);
  const store = new DeliveryStore(d.es, deliveriesIndex(d.core, d.config));
  // d.kafka must carry alertClientId() for the takeover to find the predecessor (the CLI's does);
  // looked up beside the index checks: a restart is on the alerts' clock
  const finding = d.config.instanceId ? findPredecessors(d.kafka, d.config.groupId, alertClientId(d.core, d.config), d.logger) : undefined;
  await store.ensureIndex();
  const dispatcher = new Dispatcher({
    routing: d.routing, sinks: d.sinks, store, logger: d.logger, metrics: d.metrics, counters,
    retryInitialMs: d.config.retryInitialMs, retryMaxMs: d.config.retryMaxMs, summaryIntervalMs: d.config.summaryIntervalMs,
  });
  const restored = await dispatcher.restoreHeld();
  if (restored) d.logger.info({ held: restored }, 'held-back alerts restored for the next summary');

  const abort = new AbortController();
  const decoder = alertDecoder(schemaSourceFor(d.core.schemaRegistryUrl));
  const consumer = d.kafka.consumer({ groupId: d.config.groupId, sessionTimeout: d.config.sessionTimeoutMs, heartbeatInterval: Math.min(3_000, Math.floor(d.config.sessionTimeoutMs / 3)), allowAutoTopicCreation: false });
  let fatal = false;

  const failFatal = (err: Error) => {
    if (fatal) return;
    fatal = true;
    d.logger.fatal({ err: err.message }, 'alert service cannot deliver; stopping without committing');
    queue.stop();
    consumer.pause([{ topic: d.core.alertsTopic }]);
    setImmediate(() => d.onFatal?.(err));
  };

  // records known to be delivered: their pending alerts are updates, not new incidents (bounded)
  const known = new Set<string>();
  const remember = (key: string) => {
    known.add(key);
    if (known.size > 100_000) for (const k of known) { known.delete(k); if (known.size <= 90_000) break; }
  };
  const offsets = new OffsetTracker();
  let commitTimer: NodeJS.Timeout | undefined;
  let committing = Promise.resolve();
  // settled offsets not yet acknowledged by the group coordinator (kept until a commit succeeds)
  const uncommitted = new Map<number, string>();
  const commit = () => {
    commitTimer = undefined;
    if (fatal) return committing;
    for (const t of offsets.committable()) uncommitted.set(t.partition, t.offset);
    if (uncommitted.size === 0) return committing;
    const todo = [...uncommitted];
    committing = committing
      .then(async () => {
        await consumer.commitOffsets(todo.map(([partition, offset]) => ({ topic: d.core.alertsTopic, partition, offset })));
        for (const [p, o] of todo) if (uncommitted.get(p) === o) uncommitted.delete(p);
      })
      .catch((err) => {
        d.logger.warn({ err: errorMessage(err) }, 'offset commit failed; trying again');
        scheduleCommit(1_000);
      });
    return committing;
  };
  const scheduleCommit = (ms = 200) => {
    if (!abort.signal.aborted) commitTimer ??= setTimeout(commit, ms);
  };

  const queue: DeliveryQueue = new DeliveryQueue({
    dispatcher, routing: d.routing, logger: d.logger, metrics: d.metrics,
    backoff: { initialDelayMs: d.config.retryInitialMs, maxDelayMs: d.config.retryMaxMs, jitter: 0.2 },
    concurrency: d.config.deliveryConcurrency, channelConcurrency: d.config.channelConcurrency,
    onFatal: (err) => failFatal(err), isKnown: (k) => known.has(k), onDelivered: remember,
  });

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    const mine = (e.payload.memberAssignment as Record<string, number[]>)[d.core.alertsTopic] ?? [];
    offsets.retain(new Set(mine));
    for (const p of [...uncommitted.keys()]) if (!mine.includes(p)) uncommitted.delete(p);
  });

  const takeover = await finding;
  await consumer.connect();
  await consumer.subscribe({ topics: [d.core.alertsTopic], fromBeginning: true });
  // run() resolves once the join completes, which the removal lets happen now
  const removing = takeover?.removeWhileJoining();
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 4,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      const fresh: { alert: Alert; ticket: Ticket }[] = [];
      for (const m of batch.messages) {
        if (fatal || !isRunning() || isStale() || abort.signal.aborted) break;
        let alert;
        try {
          alert = fromAvro(await decoder.decode(m.value));
        } catch (err) {
          if (isRetriable(err)) throw err; // schema registry down: kafkajs retries the batch
          counters.received++;
          counters.errored++;
          d.metrics.inc('llm_audit_alert_undecodable_total', 'Messages on the alerts topic that do not decode as alerts (skipped).', {});
          d.logger.error({ partition: batch.partition, offset: m.offset, err: errorMessage(err) }, 'alert message does not decode; skipped');
          offsets.track(batch.partition, m.offset)?.done(true);
          scheduleCommit();
          resolveOffset(m.offset);
          continue;
        }
        const tracked = offsets.track(batch.partition, m.offset);
        resolveOffset(m.offset); // moves the fetch position only: autoCommit is off
        if (!tracked) continue; // already queued before a rebalance re-fetched it
        counters.received++;
        fresh.push({
          alert,
          ticket: {
            done: (failed) => {
              if (failed) counters.errored++;
              else counters.sent++;
              tracked.done(failed);
              scheduleCommit();
            },
          },
        });
      }
      if (fresh.length === 0) return;
      // one real-time mget tells which incidents were posted before (a restart): those are updates
      const unknown = [...new Set(fresh.flatMap((f) => queue.keysOf(f.alert)).filter((k) => !known.has(k)))];
      try {
        const recs = await retry(() => store.getMany(unknown), { retries: 3, initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0.2, signal: abort.signal });
        for (const [k, r] of recs) if (r.status !== 'pending' && r.status !== 'failed') remember(k);
      } catch (err) {
        if (abort.signal.aborted) return;
        d.logger.warn({ err: errorMessage(err) }, 'delivery records unreadable; queued alerts are ordered as new');
      }
      for (const f of fresh) queue.add(f.alert, f.ticket);
      // backpressure: stop fetching while the queue is full, heartbeating so the group keeps us
      while (queue.size > d.config.maxQueued && !fatal && isRunning() && !abort.signal.aborted) {
        await sleep(100, abort.signal).catch(() => undefined);
        await heartbeat();
      }
    },
  });

  await removing;
  const tickMs = Math.min(1_000, Math.max(50, Math.floor(d.config.summaryIntervalMs / 4)));
  const tick = setInterval(() => void dispatcher.flushSummaries({ signal: abort.signal }).catch(() => undefined), tickMs);

  let server: Server | undefined;
  if (d.interactions !== false) {
    if (!d.config.slackSigningSecret) throw new ConfigError('alert: SLACK_SIGNING_SECRET (or SLACK_SIGNING_SECRET_FILE) is required for the interaction endpoint');
    server = createInteractionServer({
      signingSecret: d.config.slackSigningSecret, maxAgeSec: d.config.signatureMaxAgeSec, store, dispatcher,
      alerts: new AlertStatusStore(d.es, d.core.indexPrefix), logger: d.logger, metrics: d.metrics,
    });
    await new Promise<void>((r) => server!.listen(d.config.interactionPort, d.config.interactionHost, r));
  }

  return {
    dispatcher, consumer, store, queue,
    port: server ? (server.address() as AddressInfo).port : undefined,
    async stop() {
      clearInterval(tick);
      abort.abort(new Error('alert service stopping'));
      queue.stop();
      if (commitTimer) clearTimeout(commitTimer);
      await commit();
      await consumer.disconnect().catch(() => undefined);
      // what is still held is in Elasticsearch; the next start summarises it
      if (server) await new Promise<void>((r) => server!.close(() => r()));
      for (const s of d.sinks.values()) await s.close?.();
    },
  };
}
