import { InvalidInputError, TransientError, errorMessage } from '../common/errors.js';
import type { FramedEncoder } from '../common/avro.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry, StageCounters } from '../common/metrics.js';
import type { UsageEvent } from '../common/types.js';
import { validateEvent } from '../decode/validate.js';
import type { IntakeConfig } from './config.js';
import { contentOfLog, isGenAiSpan, isModelCall, spanContent, spanToEvent, type Content } from './genai.js';
import { ContentJoin } from './join.js';
import { liteLlmToEvent } from './litellm.js';
import type { OtlpLog, OtlpSpan, ResourceGroup } from './otlp.js';

export interface KeyedMessage {
  key: string;
  value: Buffer;
}

/** Where encoded usage events go: resolves once Kafka acknowledged them all (acks=all). */
export type UsageSend = (messages: KeyedMessage[]) => Promise<void>;

export interface IntakeResult {
  accepted: number;
  rejected: number;
  dropped: number;
  /** First reasons for rejected items, for the OTLP partial_success error_message. */
  errors: string[];
}

const DROP_HELP = 'Items the intake received and did not turn into usage events, by reason.';

/**
 * Turns decoded telemetry into usage events and hands them to Kafka. Transport-free: the HTTP
 * server and the Kafka source both call it. A rejected item (invalid, absurd) is counted and
 * reported; a Kafka failure throws TransientError so the sender retries the whole request.
 */
export class Intake {
  readonly counters: StageCounters;
  readonly join: ContentJoin;
  private inflightEvents = 0;

  constructor(
    private readonly cfg: IntakeConfig,
    private readonly encoder: FramedEncoder<UsageEvent>,
    private readonly send: UsageSend,
    private readonly metrics: MetricsRegistry,
    private readonly logger?: Logger,
  ) {
    this.counters = metrics.stage('intake');
    this.join = new ContentJoin(cfg.joinMaxEntries, cfg.joinTtlMs);
  }

  get inflight(): number {
    return this.inflightEvents;
  }

  /** Whether new requests should be told to come back later. */
  get saturated(): boolean {
    return this.inflightEvents >= this.cfg.maxInflightEvents;
  }

  private drop(reason: string, n = 1): void {
    this.counters.dropped += n;
    this.metrics.inc('llm_audit_intake_dropped_total', DROP_HELP, { reason }, n);
  }

  private note(note: string): void {
    this.metrics.inc('llm_audit_intake_defaulted_total', 'GenAI calls with a missing attribute that was defaulted, by attribute.', { note });
  }

  /** Content log records: held in the join buffer for their span. Never produce events themselves. */
  logs(groups: ResourceGroup<OtlpLog>[]): IntakeResult {
    const res: IntakeResult = { accepted: 0, rejected: 0, dropped: 0, errors: [] };
    for (const g of groups) {
      const service = typeof g.resource['service.name'] === 'string' ? (g.resource['service.name'] as string) : '';
      for (const log of g.items) {
        if (!log.eventName.startsWith('gen_ai.') || !/^[0-9a-f]{32}$/.test(log.traceId) || !/^[0-9a-f]{16}$/.test(log.spanId)) {
          res.dropped++;
          continue;
        }
        this.join.add(`${log.traceId}:${log.spanId}`, service, (c) => contentOfLog(log, c));
        res.accepted++;
      }
    }
    if (res.dropped) this.metrics.inc('llm_audit_intake_log_records_ignored_total', 'Log records that are not GenAI content of a span.', {}, res.dropped);
    this.metrics.inc('llm_audit_intake_log_records_total', 'GenAI content log records held for their span.', {}, res.accepted);
    this.metrics.set('llm_audit_intake_join_entries', 'Spans whose content waits in the join buffer.', {}, this.join.size);
    this.metrics.set('llm_audit_intake_join_evicted', 'Content entries evicted from the full join buffer (since start).', {}, this.join.evicted);
    this.metrics.set('llm_audit_intake_join_expired', 'Content entries whose span never came within the TTL (since start).', {}, this.join.expired);
    return res;
  }

  /** GenAI spans to usage events. `waitForContent`: HTTP may hold a span for its log records; Kafka must not stall. */
  async traces(groups: ResourceGroup<OtlpSpan>[], sender: string, waitForContent: boolean): Promise<IntakeResult> {
    const res: IntakeResult = { accepted: 0, rejected: 0, dropped: 0, errors: [] };
    const pending: Promise<UsageEvent | undefined>[] = [];
    let agentSpans = 0;
    for (const g of groups) {
      const service = typeof g.resource['service.name'] === 'string' ? (g.resource['service.name'] as string) : sender;
      for (const span of g.items) {
        this.counters.received++;
        if (!isGenAiSpan(span)) {
          res.dropped++;
          continue;
        }
        if (!isModelCall(span)) {
          agentSpans++;
          continue;
        }
        pending.push(this.spanEvent(span, g.resource, service, sender, waitForContent).catch((err) => {
          if (!(err instanceof InvalidInputError)) throw err;
          res.rejected++;
          this.drop(err.reason);
          if (res.errors.length < 5) res.errors.push(`span ${span.spanId || '?'}: ${err.message}`);
          return undefined;
        }));
      }
    }
    if (res.dropped) this.drop('not_genai', res.dropped);
    if (agentSpans) this.drop('not_model_call', agentSpans);
    res.dropped += agentSpans;
    const events = (await Promise.all(pending)).filter((e): e is UsageEvent => e !== undefined);
    await this.produce(events, res);
    return res;
  }

  private async spanEvent(span: OtlpSpan, resource: ResourceGroup<OtlpSpan>['resource'], service: string, sender: string, wait: boolean): Promise<UsageEvent> {
    const own = spanContent(span);
    const key = `${span.traceId}:${span.spanId}`;
    let joined: Content | undefined;
    if (own.done) joined = this.join.take(key);
    else if (wait && this.cfg.contentWaitMs > 0 && this.join.sendsContent(service)) joined = await this.join.wait(key, this.cfg.contentWaitMs);
    else joined = this.join.take(key);
    const content: Content = joined ? { prompt: [...own.prompt, ...joined.prompt], completion: [...own.completion, ...joined.completion], done: true } : own;
    const { event, notes } = spanToEvent(span, resource, content, {
      apiKeyAttribute: this.cfg.apiKeyAttribute, defaultEnvironment: this.cfg.defaultEnvironment, maxContentChars: this.cfg.maxContentChars, sender,
    });
    for (const n of notes) this.note(n);
    return validateEvent(event);
  }

  /** LiteLLM StandardLoggingPayload, one or a list. */
  async litellm(body: unknown, sender: string): Promise<IntakeResult> {
    const res: IntakeResult = { accepted: 0, rejected: 0, dropped: 0, errors: [] };
    const items = Array.isArray(body) ? body : [body];
    const events: UsageEvent[] = [];
    items.forEach((item, i) => {
      this.counters.received++;
      try {
        const m = liteLlmToEvent(item, { apiKeyField: this.cfg.litellmApiKey, defaultEnvironment: this.cfg.defaultEnvironment, maxContentChars: this.cfg.maxContentChars, sender });
        for (const n of m.notes) this.note(n);
        if (m.cost !== null) this.metrics.inc('llm_audit_intake_litellm_cost_usd_total', 'response_cost LiteLLM reported, in USD, by team.', { team: m.team ?? 'none' }, m.cost);
        events.push(validateEvent(m.event));
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        res.rejected++;
        this.drop(err.reason);
        if (res.errors.length < 5) res.errors.push(`item ${i}: ${err.message}`);
      }
    });
    await this.produce(events, res);
    return res;
  }

  private async produce(events: UsageEvent[], res: IntakeResult): Promise<void> {
    if (events.length === 0) return;
    const messages: KeyedMessage[] = [];
    for (const e of events) {
      try {
        messages.push({ key: e.api_key_id, value: await this.encoder.encode(e) });
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        res.rejected++;
        this.drop(err.reason);
        if (res.errors.length < 5) res.errors.push(err.message);
      }
    }
    this.inflightEvents += messages.length;
    try {
      await this.send(messages);
      this.counters.sent += messages.length;
      res.accepted += messages.length;
    } catch (err) {
      this.counters.errored += messages.length;
      this.logger?.error({ events: messages.length, err: { name: (err as Error).name, message: errorMessage(err) } }, 'usage events not acknowledged by Kafka');
      throw new TransientError(`${messages.length} usage event(s) could not be written to Kafka: ${errorMessage(err)}`, err);
    } finally {
      this.inflightEvents -= messages.length;
    }
  }

  close(): void {
    this.join.close();
  }
}
