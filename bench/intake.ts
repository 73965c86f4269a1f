/**
 * bench:intake — GenAI spans per second through `llm-audit intake` to Kafka: OTLP/HTTP protobuf
 * requests (each span with usage, identity and a captured prompt/completion) posted by a few
 * concurrent senders, timed from the first request to the last 200, which the intake sends only
 * after Kafka acknowledged (acks=all) every usage event of the request. Real local Kafka, own topic.
 * Usage: npm run bench:intake [-- --spans 100000 --batch 500 --concurrency 4]
 */
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { LocalSchemaSource } from '../services/common/avro.js';
import { ensureTopics, projectTopics } from '../services/common/kafka.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import { intakeConfig } from '../services/intake/config.js';
import { ExportTraceServiceRequest } from '../services/intake/otlp-proto.js';
import { Intake } from '../services/intake/intake.js';
import { decodeTraces } from '../services/intake/otlp.js';
import { startIntake } from '../services/intake/service.js';
import { usageEncoder } from '../services/common/usage.js';
import { testCore, testKafka, uniqueName } from '../test/helpers.js';

const { values } = parseArgs({ options: { spans: { type: 'string', default: '100000' }, batch: { type: 'string', default: '500' }, concurrency: { type: 'string', default: '4' } } });
const SPANS = Number(values.spans);
const BATCH = Number(values.batch);
const CONC = Number(values.concurrency);
const TOKEN = ['bench', '-intake-', 'token-', Date.now().toString(36)].join('');

const kv = (key: string, v: string | number) => ({ key, value: typeof v === 'string' ? { stringValue: v } : { intValue: v } });
let seq = 0;
function body(n: number): Buffer {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: n }, () => {
    const i = ++seq;
    return {
      traceId: Buffer.from(i.toString(16).padStart(32, '0'), 'hex'),
      spanId: Buffer.from(i.toString(16).padStart(16, '0'), 'hex'),
      name: 'chat gpt-4o-mini', kind: 3,
      startTimeUnixNano: now.toString(), endTimeUnixNano: (now + 350_000_000n).toString(),
      attributes: [
        kv('gen_ai.operation.name', 'chat'), kv('gen_ai.provider.name', 'openai'), kv('gen_ai.request.model', 'gpt-4o-mini'),
        kv('gen_ai.response.model', 'gpt-4o-mini-2024-07-18'), kv('gen_ai.usage.input_tokens', 120 + (i % 50)), kv('gen_ai.usage.output_tokens', 40),
        kv('gen_ai.response.id', `chatcmpl-${i}`), kv('llm_audit.api_key_id', `key_${i % 64}`), kv('enduser.id', `user-${i % 500}`),
        kv('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `Summarise ticket ${i} for the customer, please keep it short.` }] }])),
        kv('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'The customer asks for a refund of a duplicate charge.' }] }])),
      ],
    };
  });
  const msg = { resourceSpans: [{ resource: { attributes: [kv('service.name', 'bench-gateway'), kv('deployment.environment.name', 'production')] }, scopeSpans: [{ scope: { name: 'bench' }, spans }] }] };
  return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(msg)).finish());
}

function post(port: number, b: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', agent: false, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-protobuf', 'content-length': b.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(b);
  });
}

const id = uniqueName('bench-intake');
const core = testCore({ usageTopic: `${id}.usage`, dlqTopic: `${id}.dlq`, alertsTopic: `${id}.alerts`, topicPartitions: 6 });
const kafka = testKafka(core);
const admin = kafka.admin();
await admin.connect();
await ensureTopics(admin, projectTopics(core));
const metrics = new MetricsRegistry();
const svc = await startIntake({ core, config: intakeConfig.parse({ port: 0, senderTokens: `bench:${TOKEN}` }), metrics, kafka });
try {
  // requests are built before the clock starts: the bench times the intake, not the sender
  const bodies = Array.from({ length: Math.ceil(SPANS / BATCH) }, (_, i) => body(Math.min(BATCH, SPANS - i * BATCH)));
  await post(svc.port, body(50));
  const base = svc.intake.counters.sent;
  let next = 0;
  let refused = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONC }, async () => {
    while (next < bodies.length) {
      const b = bodies[next++]!;
      for (;;) {
        const code = await post(svc.port, b);
        if (code === 200) break;
        refused++;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }));
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const sent = svc.intake.counters.sent - base;
  console.log(`bench:intake  ${sent} GenAI spans in ${bodies.length} OTLP/HTTP protobuf requests of ${BATCH}, ${CONC} concurrent senders`);
  console.log(`  ${Math.round(sent / s)} spans/s through the intake to Kafka (acks=all), ${s.toFixed(2)} s; ${refused} requests answered 503 and retried`);
  // on a shared machine wall-clock rates follow the load; CPU per span (intake and senders, this process) does not
  const usPerSpan = (cpu.user + cpu.system) / sent;
  console.log(`  ${usPerSpan.toFixed(1)} us CPU per span in this process (intake + the senders' HTTP clients): ${Math.round(1e6 / usPerSpan)} spans per CPU-second; load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`);
  console.log(`  target >= 10000 spans/s: ${sent / s >= 10_000 ? 'met' : 'NOT met'}`);
  // the same requests without HTTP or Kafka: the intake's own code per span, and what the rest costs
  const dry = new Intake(intakeConfig.parse({ port: 0, senderTokens: `bench:${TOKEN}`, contentWaitMs: 0 }), usageEncoder(new LocalSchemaSource()), async () => undefined, new MetricsRegistry());
  let decodeUs = 0;
  let mapUs = 0;
  const between = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => b.user - a.user + b.system - a.system;
  for (const b of bodies) {
    const c0 = process.cpuUsage();
    const groups = decodeTraces(b, 'protobuf');
    const c1 = process.cpuUsage();
    await dry.traces(groups, 'bench', false);
    const c2 = process.cpuUsage();
    decodeUs += between(c0, c1);
    mapUs += between(c1, c2);
  }
  dry.close();
  const own = (decodeUs + mapUs) / SPANS;
  console.log(`  of which the intake's own code: ${(decodeUs / SPANS).toFixed(1)} us protobuf decode + ${(mapUs / SPANS).toFixed(1)} us GenAI mapping, validation and Avro; the other ${(usPerSpan - own).toFixed(1)} us are HTTP (server and senders), kafkajs and GC`);
  if (sent !== SPANS) throw new Error(`expected ${SPANS} events on Kafka, the intake counted ${sent}`);
} finally {
  await svc.stop();
  await admin.deleteTopics({ topics: [core.usageTopic, core.dlqTopic, core.alertsTopic] }).catch(() => undefined);
  await admin.disconnect();
}
