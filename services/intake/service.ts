import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { schemaSourceFor } from '../common/avro.js';
import { TransientError, errorMessage } from '../common/errors.js';
import { TopicPartitions, createKafka, ensureTopics, sendByPartition } from '../common/kafka.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry } from '../common/metrics.js';
import type { CoreConfig } from '../common/settings.js';
import { usageEncoder } from '../common/usage.js';
import type { IntakeConfig } from './config.js';
import { Intake, type KeyedMessage } from './intake.js';
import { OtlpKafkaSource } from './kafka-source.js';
import { senderTokens, startIntakeServer } from './server.js';

export interface IntakeService {
  intake: Intake;
  port: number;
  health(): { ok: boolean; details: Record<string, unknown> };
  stop(): Promise<void>;
}

/**
 * The intake process: HTTP receiver, optional Kafka source, one producer to the usage topic.
 * Events are keyed by api_key_id with the Java-compatible partitioner, like the SDK emitter, so a
 * key's events from any source stay on one partition.
 */
export async function startIntake(opts: { core: CoreConfig; config: IntakeConfig; metrics: MetricsRegistry; logger?: Logger; kafka?: Kafka }): Promise<IntakeService> {
  const { core, config, metrics, logger } = opts;
  senderTokens(config); // a configuration mistake stops here, before anything connects
  const kafka = opts.kafka ?? createKafka(core.kafkaBrokers, config.clientId, logger);
  const encoder = usageEncoder(schemaSourceFor(core.schemaRegistryUrl));
  await encoder.schemaId();
  // not idempotent: kafkajs allows one request in flight for that, and concurrent exporters need more;
  // a retried send can duplicate, but the event id is derived from the span, so the document is the same
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false, retry: { retries: 5 } });
  try {
    await producer.connect();
  } catch (err) {
    throw new TransientError(`intake cannot connect to Kafka at ${core.kafkaBrokers.join(',')}: ${errorMessage(err)}`, err);
  }
  let lastKafkaError: string | undefined;
  // one produce call per partition, like the SDK emitter: a leader moving mid-send loses nothing (kafkajs#1303)
  const partitions = new TopicPartitions(kafka.admin());
  const send = async (messages: KeyedMessage[]) => {
    try {
      await sendByPartition(producer, (t) => partitions.count(t), { topicMessages: [{ topic: core.usageTopic, messages }], acks: -1, timeout: 30_000 });
      lastKafkaError = undefined;
    } catch (err) {
      lastKafkaError = errorMessage(err);
      throw err;
    }
  };
  const intake = new Intake(config, encoder, send, metrics, logger);
  let server: Awaited<ReturnType<typeof startIntakeServer>> | undefined;
  let source: OtlpKafkaSource | undefined;
  try {
    server = await startIntakeServer({ config, intake, metrics, logger });
    if (config.kafkaSource) {
      // the broker's auto-create is off: the Collector's topics are made here, like the project's own in setup
      const admin = kafka.admin();
      await admin.connect();
      const spec = { numPartitions: core.topicPartitions, replicationFactor: core.topicReplication };
      const topics = [config.otlpSpansTopic, ...(config.otlpLogsTopic === 'none' ? [] : [config.otlpLogsTopic])];
      await ensureTopics(admin, topics.map((topic) => ({ topic, ...spec }))).finally(() => admin.disconnect());
      source = new OtlpKafkaSource(kafka, config, intake, metrics, logger);
      await source.start();
    }
  } catch (err) {
    // a port in use or a source that cannot start must not leave a connected producer keeping the process alive
    await server?.close();
    await source?.stop().catch(() => undefined);
    intake.close();
    await producer.disconnect();
    await partitions.close();
    throw err;
  }
  const srv = server;
  return {
    intake,
    port: srv.port,
    health: () => ({ ok: lastKafkaError === undefined, details: { inflight: intake.inflight, joinEntries: intake.join.size, ...(lastKafkaError ? { kafka: lastKafkaError } : {}) } }),
    async stop() {
      await srv.close();
      await source?.stop();
      intake.close();
      await producer.disconnect();
      await partitions.close();
    },
  };
}
