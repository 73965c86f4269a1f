import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@elastic/elasticsearch';
import type { Consumer, Kafka } from 'kafkajs';
import { alertDecoder, fromAvro } from '../common/alert.js';
import { schemaSourceFor } from '../common/avro.js';
import { ConfigError, errorMessage, isRetriable } from '../common/errors.js';
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

export const STAGE = 'alert';

export const linkSettings = (c: AlertConfig): LinkSettings => ({ kibanaUrl: c.kibanaUrl, kibanaDataView: c.kibanaDataView, runbookBaseUrl: c.runbookBaseUrl });
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
  consumer: Consumer;
  store: DeliveryStore;
  /** Port of the interaction endpoint, when it runs. */
  port?: number;
  stop(): Promise<void>;
}

/**
 * Consumes `llm.alerts.v1` and delivers each alert before its offset is committed. Messages of one
 * partition are handled strictly in order (the pipeline keys alerts by api_key_id and an incident
 * belongs to one key, so its messages stay in one partition and in order). While a sink is down the batch waits, heartbeating.
 */
export async function startAlertService(d: AlertServiceDeps): Promise<AlertService> {
  const counters = d.metrics.stage(STAGE);
  const store = new DeliveryStore(d.es, deliveriesIndex(d.core, d.config));
  await store.ensureIndex();
  const dispatcher = new Dispatcher({
    routing: d.routing, sinks: d.sinks, store, logger: d.logger, metrics: d.metrics, counters,
    retryInitialMs: d.config.retryInitialMs, retryMaxMs: d.config.retryMaxMs, summaryIntervalMs: d.config.summaryIntervalMs,
  });
  const restored = await dispatcher.restoreHeld();
  if (restored) d.logger.info({ held: restored }, 'held-back alerts restored for the next summary');

  const abort = new AbortController();
  const decoder = alertDecoder(schemaSourceFor(d.core.schemaRegistryUrl));
  const consumer = d.kafka.consumer({ groupId: d.config.groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000, allowAutoTopicCreation: false });
  let fatal = false;

  const failFatal = (err: Error) => {
    if (fatal) return;
    fatal = true;
    d.logger.fatal({ err: err.message }, 'alert service cannot deliver; stopping without committing');
    consumer.pause([{ topic: d.core.alertsTopic }]);
    setImmediate(() => d.onFatal?.(err));
  };

  await consumer.connect();
  await consumer.subscribe({ topics: [d.core.alertsTopic], fromBeginning: true });
  await consumer.run({
    autoCommit: true,
    autoCommitInterval: 1_000,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      for (const m of batch.messages) {
        if (fatal || !isRunning() || isStale() || abort.signal.aborted) return;
        let alert;
        try {
          alert = fromAvro(await decoder.decode(m.value));
        } catch (err) {
          if (isRetriable(err)) throw err; // schema registry down: kafkajs retries the batch
          counters.received++;
          counters.errored++;
          d.metrics.inc('llm_audit_alert_undecodable_total', 'Messages on the alerts topic that do not decode as alerts (skipped).', {});
          d.logger.error({ partition: batch.partition, offset: m.offset, err: errorMessage(err) }, 'alert message does not decode; skipped');
          resolveOffset(m.offset);
          continue;
        }
        try {
          await dispatcher.handle(alert, { heartbeat, signal: abort.signal });
        } catch (err) {
          if (err instanceof FatalDeliveryError) return failFatal(err);
          if (abort.signal.aborted) return;
          throw err;
        }
        resolveOffset(m.offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
      }
    },
  });

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
    dispatcher, consumer, store,
    port: server ? (server.address() as AddressInfo).port : undefined,
    async stop() {
      clearInterval(tick);
      abort.abort(new Error('alert service stopping'));
      await consumer.disconnect().catch(() => undefined);
      // what is still held is in Elasticsearch; the next start summarises it
      if (server) await new Promise<void>((r) => server!.close(() => r()));
      for (const s of d.sinks.values()) await s.close?.();
    },
  };
}
