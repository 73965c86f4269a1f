import { randomBytes } from 'node:crypto';
import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import { errorMessage, LlmAuditError } from '../common/errors.js';
import type { Keyring } from '../tokenize/keyring.js';
import { openDeadLetter } from '../tokenize/dlq.js';

/** A dead letter that carries the subject: where it is, never what else it says. */
export interface DeadLetterHit {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  encoding: string;
  /** 'token': a tokenized copy carries the subject's token; 'value': an encrypted copy holds the value itself. */
  match: 'token' | 'value';
}

export interface DeadLetterScan {
  topic: string;
  scanned: number;
  hits: DeadLetterHit[];
  /** Encrypted copies this configuration cannot open (no reveal key): they may hold the value. */
  unscannable: number;
}

const { ConfigResourceTypes } = kafkajs;

const header = (h: Record<string, unknown> | undefined, k: string) => {
  const v = h?.[k];
  return Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'string' ? v : undefined;
};

/**
 * Reads the dead-letter topic from its start to the end it has now, and reports every copy carrying
 * one of `tokens`, or, when the reveal key can open encrypted copies, the raw `value`.
 */
export async function scanDeadLetters(kafka: Kafka, o: { topic: string; tokens: string[]; value?: string; revealRing?: Keyring; timeoutMs?: number }): Promise<DeadLetterScan> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(o.topic);
    ends = new Map(offsets.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
  const out: DeadLetterScan = { topic: o.topic, scanned: 0, hits: [], unscannable: 0 };
  if (ends.size === 0) return out;
  const needles = o.tokens.map((t) => Buffer.from(t, 'latin1'));
  const value = o.value ? [Buffer.from(o.value, 'utf8'), Buffer.from(o.value.toLowerCase(), 'utf8')] : [];
  const consumer = kafka.consumer({ groupId: `llm-audit-subject-scan-${randomBytes(6).toString('hex')}`, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [o.topic], fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const left = new Map(ends);
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const end = left.get(partition);
        if (end === undefined || BigInt(message.offset) >= end) return;
        out.scanned++;
        const encoding = header(message.headers as Record<string, unknown>, 'dlq.payload.encoding') ?? 'raw';
        const bytes = message.value ?? Buffer.alloc(0);
        let match: DeadLetterHit['match'] | undefined;
        if (encoding.startsWith('aes-256-gcm')) {
          let open: Buffer | undefined;
          try {
            open = o.revealRing ? openDeadLetter(bytes, encoding, o.revealRing) : undefined;
          } catch {
            open = undefined;
          }
          if (!open) out.unscannable++;
          else if (value.some((v) => open!.includes(v)) || needles.some((n) => open!.includes(n))) match = 'value';
        } else if (needles.some((n) => bytes.includes(n))) match = 'token';
        else if (value.some((v) => bytes.includes(v))) match = 'value';
        if (match) out.hits.push({ topic: o.topic, partition, offset: message.offset, timestamp: new Date(Number(message.timestamp)).toISOString(), encoding, match });
        if (BigInt(message.offset) + 1n >= end) left.delete(partition);
        if (left.size === 0) done();
      },
    });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new LlmAuditError(`dead-letter scan of ${o.topic} did not reach the end in ${o.timeoutMs ?? 60_000} ms`, { retriable: true })), o.timeoutMs ?? 60_000).unref());
    await Promise.race([finished, timeout]);
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  out.hits.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  return out;
}

export interface RetentionBound {
  topic: string;
  retentionMs: number;
  segmentMs: number;
  changed: boolean;
  before: { retentionMs: number | null; segmentMs: number | null };
}

/**
 * Kafka cannot delete one record in the middle of a partition, so erasure bounds how long a copy can
 * live: retention.ms at most `maxMs` and segment.ms at most a tenth of it (retention deletes closed
 * segments only), so every copy is gone within maxMs + segment.ms of its write.
 */
export async function enforceDeadLetterRetention(admin: Admin, topic: string, maxMs: number): Promise<RetentionBound> {
  const segmentMax = Math.max(60_000, Math.floor(maxMs / 10));
  let current: Record<string, string | undefined> = {};
  // AlterConfigs (what kafkajs sends) replaces the topic's whole override set: carry the others along
  let overrides: { name: string; value: string }[] = [];
  try {
    const d = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: false });
    const entries = d.resources[0]!.configEntries;
    current = Object.fromEntries(entries.map((e) => [e.configName, e.configValue]));
    overrides = entries.filter((e) => !e.isDefault && !e.readOnly && e.configName !== 'retention.ms' && e.configName !== 'segment.ms').map((e) => ({ name: e.configName, value: e.configValue }));
  } catch (err) {
    throw new LlmAuditError(`cannot read the configuration of ${topic}: ${errorMessage(err)}`, { cause: err, retriable: true });
  }
  const num = (v: string | undefined) => (v === undefined ? null : Number(v));
  const before = { retentionMs: num(current['retention.ms']), segmentMs: num(current['segment.ms']) };
  const retentionMs = before.retentionMs === null || before.retentionMs < 0 || before.retentionMs > maxMs ? maxMs : before.retentionMs;
  const segmentMs = before.segmentMs === null || before.segmentMs > segmentMax ? segmentMax : before.segmentMs;
  const changed = retentionMs !== before.retentionMs || segmentMs !== before.segmentMs;
  if (changed) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [...overrides, { name: 'retention.ms', value: String(retentionMs) }, { name: 'segment.ms', value: String(segmentMs) }] }],
    });
  }
  return { topic, retentionMs, segmentMs, changed, before };
}
