import type { Consumer, Kafka } from 'kafkajs';
import { InvalidInputError, errorMessage } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry } from '../common/metrics.js';
import type { IntakeConfig } from './config.js';
import type { Intake } from './intake.js';
import { decodeLogs, decodeTraces, type OtlpSpan, type ResourceGroup } from './otlp.js';

/**
 * OTLP from Kafka, as the Collector's kafka exporter writes it with encoding otlp_proto: each
 * message is one ExportTraceServiceRequest (otlp_spans) or ExportLogsServiceRequest (otlp_logs).
 * A batch's usage events are produced before its offsets are committed; a message that does not
 * decode is counted and skipped, so it never stalls its partition.
 */
export class OtlpKafkaSource {
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly cfg: IntakeConfig,
    private readonly intake: Intake,
    private readonly metrics: MetricsRegistry,
    private readonly logger?: Logger,
  ) {}

  private bad(topic: string, err: unknown): void {
    this.metrics.inc('llm_audit_intake_kafka_bad_messages_total', 'Kafka messages that are not OTLP protobuf, skipped.', { topic });
    this.logger?.warn({ topic, err: errorMessage(err) }, 'skipping a Kafka message that is not OTLP protobuf');
  }

  async start(): Promise<void> {
    const topics = [this.cfg.otlpSpansTopic, ...(this.cfg.otlpLogsTopic === 'none' ? [] : [this.cfg.otlpLogsTopic])];
    const consumer = this.kafka.consumer({ groupId: this.cfg.groupId, allowAutoTopicCreation: false });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        const groups: ResourceGroup<OtlpSpan>[] = [];
        const isLogs = batch.topic !== this.cfg.otlpSpansTopic;
        for (const m of batch.messages) {
          if (!m.value) {
            this.bad(batch.topic, 'empty value');
            continue;
          }
          try {
            if (isLogs) this.intake.logs(decodeLogs(m.value, 'protobuf'));
            else groups.push(...decodeTraces(m.value, 'protobuf'));
          } catch (err) {
            if (!(err instanceof InvalidInputError)) throw err;
            this.bad(batch.topic, err);
          }
        }
        // a Kafka failure throws here: nothing is committed and kafkajs redelivers the batch
        if (groups.length) await this.intake.traces(groups, `kafka:${batch.topic}`, false);
        const last = batch.messages[batch.messages.length - 1];
        if (last) {
          resolveOffset(last.offset);
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
        }
        await heartbeat();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
