/**
 * bench:alert-delivery — the alert service (`llm-audit alert run`, a child process) on the real local
 * Kafka and Elasticsearch, delivering to the fake Slack, which answers 10% of calls 429 with
 * Retry-After 1 s, 5% HTTP 500 and 3% hangs (half of the hung calls were applied). 100 incidents with
 * 600 updates over ~20 s, spread over 5 channels; the alert service is SIGKILLed once, mid-run, and
 * started again under the same instance id (so it removes its dead predecessor from the consumer group
 * instead of waiting out the session timeout). Prints: incidents posted exactly once, duplicate top-level posts, and the p50/p99
 * time from an incident's first alert on the topic to its first Slack post.
 * Usage: npm run bench:alert-delivery [-- --incidents 100 --updates 600 --seconds 20 --seed 7 --no-takeover]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { alertEncoder, toAvro } from '../services/common/alert.js';
import { LocalSchemaSource } from '../services/common/avro.js';
import { ensureTopics } from '../services/common/kafka.js';
import type { Alert } from '../services/common/types.js';
import { RULE_FIXTURES } from '../services/alert/fixtures.js';
import { FakeSlack } from '../test/fake-slack.js';
import { testCore, testEs, testKafka, uniqueName } from '../test/helpers.js';

const { values } = parseArgs({ options: { incidents: { type: 'string', default: '100' }, updates: { type: 'string', default: '600' }, seconds: { type: 'string', default: '20' }, seed: { type: 'string', default: '7' }, 'no-takeover': { type: 'boolean', default: false } } });
// --no-takeover: no instance id, so the restarted process waits out the dead member's session (the old behaviour)
const TAKEOVER = !values['no-takeover'];
const INCIDENTS = Number(values.incidents);
const UPDATES = Number(values.updates);
const SPREAD_MS = Number(values.seconds) * 1000;
const CHANNELS = ['#team-payments', '#team-search', '#team-ml', '#team-infra', '#team-data'];
const SLACK_TIMEOUT_MS = 2_000;

let seed = Number(values.seed) >>> 0;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const token = ['xoxb', 'bench', String(Date.now())].join('-');
const slack = new FakeSlack(token);
await slack.start();
const topic = uniqueName('bench-alerts');
const prefix = uniqueName('bench-alertdelivery');
const core = testCore({ alertsTopic: topic, indexPrefix: prefix });
const kafka = testKafka(core);
const admin = kafka.admin();
await admin.connect();
await ensureTopics(admin, [{ topic, numPartitions: 6, replicationFactor: 1 }]);
const producer = kafka.producer({ allowAutoTopicCreation: false });
await producer.connect();
const es = testEs(core);
const encoder = alertEncoder(new LocalSchemaSource());

const main = fileURLToPath(new URL('../services/cli/main.js', import.meta.url));
const childEnv = {
  ...process.env,
  KAFKA_BROKERS: core.kafkaBrokers.join(','), ELASTICSEARCH_URL: core.elasticsearchUrl, LLM_AUDIT_INDEX_PREFIX: prefix, LLM_AUDIT_ALERTS_TOPIC: topic,
  SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: 'b'.repeat(16) + 'c0d1e2f3a4b5c6d7', SLACK_API_URL: slack.url, SLACK_TIMEOUT_MS: String(SLACK_TIMEOUT_MS),
  LLM_AUDIT_ALERT_GROUP_ID: uniqueName('bench-alert-group'), LLM_AUDIT_ALERT_INTERACTION_PORT: '0', LLM_AUDIT_ALERT_INTERACTION_HOST: '127.0.0.1',
  LLM_AUDIT_ALERT_RATE_BURST: '1000', LLM_AUDIT_ALERT_RATE_PER_MIN: '1000', LLM_AUDIT_ALERT_SESSION_TIMEOUT_MS: '6000', LLM_AUDIT_ALERT_INSTANCE_ID: TAKEOVER ? 'bench-0' : '',
  LLM_AUDIT_ALERT_RETRY_INITIAL_MS: '250', LLM_AUDIT_ALERT_RETRY_MAX_MS: '4000', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
};
let child: ChildProcess | undefined;
// CPU seconds the alert service processes used (utime + stime from /proc, Linux): a load-independent figure
let childCpuS = 0;
const cpuOf = (c?: ChildProcess) => {
  try {
    const f = readFileSync(`/proc/${c?.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
};
let stderr = '';
function startChild(): ChildProcess {
  const c = spawn(process.execPath, [main, 'alert', 'run', '--no-digest'], { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  c.stderr!.on('data', (b: Buffer) => void (stderr = (stderr + b.toString()).slice(-4000)));
  return c;
}

// the plan: each incident's first alert, then its updates at random later times
const plan: { at: number; alert: Alert }[] = [];
const incidents: Alert[] = [];
for (let i = 0; i < INCIDENTS; i++) {
  const base = RULE_FIXTURES.token_spike!;
  const key = `key_bench_${String(i).padStart(4, '0')}`;
  const a: Alert = { ...base, id: `${base.id}#bench${i}`, api_key_id: key, count: 1, owner: { ...base.owner, slack_channel: CHANNELS[i % CHANNELS.length]! } };
  incidents.push(a);
  plan.push({ at: Math.floor(rnd() * SPREAD_MS * 0.8), alert: a });
}
const perIncident = new Map<string, number>();
for (let u = 0; u < UPDATES; u++) {
  const inc = incidents[Math.floor(rnd() * incidents.length)]!;
  const start = plan.find((p) => p.alert.id === inc.id)!.at;
  const n = (perIncident.get(inc.id) ?? 1) + 1;
  perIncident.set(inc.id, n);
  plan.push({ at: start + 50 + Math.floor(rnd() * (SPREAD_MS - start)), alert: { ...inc } });
}
plan.sort((a, b) => a.at - b.at);
// counts rise in topic order per incident
const counter = new Map<string, number>();
for (const p of plan) {
  const c = (counter.get(p.alert.id) ?? 0) + 1;
  counter.set(p.alert.id, c);
  p.alert = { ...p.alert, count: c, last_seen: p.alert.first_seen + c * 1000 };
}

try {
  child = startChild();
  // the service is up once a warm-up alert is posted
  const warm = { ...incidents[0]!, id: 'warmup', api_key_id: 'key_bench_warm' };
  await producer.send({ topic, messages: [{ key: warm.api_key_id, value: await encoder.encode(toAvro(warm)) }] });
  for (let t = Date.now(); !slack.topLevel().some((m) => m.metadata?.event_payload.alert_id === 'warmup'); await sleep(100)) {
    if (Date.now() - t > 60_000) throw new Error(`alert service did not start: ${stderr}`);
  }
  slack.randomFaults = { rateLimited: 0.1, retryAfterSec: 1, http500: 0.05, hang: 0.03, random: rnd };

  const onTopic = new Map<string, number>();
  const t0 = Date.now();
  const killAt = SPREAD_MS * 0.45;
  let killed = false;
  let restartedAt = 0;
  let respawned = 0;
  for (const p of plan) {
    const wait = t0 + p.at - Date.now();
    if (wait > 0) await sleep(wait);
    if (!killed && Date.now() - t0 >= killAt) {
      killed = true;
      childCpuS += cpuOf(child);
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      child = startChild();
      restartedAt = Date.now() - t0;
      respawned = Date.now();
    }
    await producer.send({ topic, acks: -1, messages: [{ key: p.alert.api_key_id, value: await encoder.encode(toAvro(p.alert)) }] });
    if (!onTopic.has(p.alert.id)) onTopic.set(p.alert.id, Date.now());
  }

  const last = new Map<string, number>();
  for (const p of plan) last.set(p.alert.id, p.alert.count);
  const tops = () => slack.topLevel().filter((m) => m.metadata?.event_payload.kind === 'alert' && m.metadata.event_payload.alert_id !== 'warmup');
  const delivered = (id: string) => {
    const top = tops().filter((m) => m.metadata?.event_payload.alert_id === id);
    if (top.length === 0) return 0;
    const counts = [Number(top[0]!.metadata?.event_payload.count), ...slack.replies(top[0]!.ts).map((m) => Number(m.metadata?.event_payload.count))];
    return Math.max(...counts);
  };
  // until every incident shows its latest count, or nothing has moved for 20 s
  const deadline = Date.now() + 180_000;
  let moved = Date.now();
  let seen = slack.requests.length;
  while (Date.now() < deadline && Date.now() - moved < 20_000 && incidents.some((a) => delivered(a.id) < last.get(a.id)!)) {
    await sleep(500);
    if (slack.requests.length !== seen) (seen = slack.requests.length), (moved = Date.now());
  }
  const drainedMs = Date.now() - t0;
  childCpuS += cpuOf(child);

  const latencies: number[] = [];
  const slowest: { arrived_s: number; ms: number }[] = [];
  let once = 0;
  let duplicates = 0;
  let missing = 0;
  let latestReached = 0;
  for (const a of incidents) {
    const top = tops().filter((m) => m.metadata?.event_payload.alert_id === a.id);
    if (top.length === 0) missing++;
    if (top.length === 1) once++;
    if (top.length > 1) duplicates += top.length - 1;
    if (top[0]) {
      latencies.push(top[0].at - onTopic.get(a.id)!);
      slowest.push({ arrived_s: Math.round((onTopic.get(a.id)! - t0) / 100) / 10, ms: top[0].at - onTopic.get(a.id)! });
    }
    if (delivered(a.id) >= last.get(a.id)!) latestReached++;
  }
  const behind = [];
  for (const a of incidents) {
    if (delivered(a.id) >= last.get(a.id)!) continue;
    const rec = await es.get({ index: `${prefix}-deliveries`, id: `${a.id}:slack:${a.owner!.slack_channel}` }, { ignore: [404] }).catch((e: Error) => ({ _source: e.message }));
    const { alert: _omit, ...r } = ((rec as { _source?: Record<string, unknown> })._source ?? {}) as Record<string, unknown>;
    const calls = slack.requests.filter((q) => JSON.stringify(q.args).includes(a.id) || (String(q.method).startsWith('conversations') && Math.abs(q.at - Number(r.attempt_started_at)) < 30_000 && q.args.channel === r.channel_id))
      .map((q) => `${q.at - t0} ${q.method} ${q.outcome} ${(q.args.metadata as { event_payload?: { count?: number } } | undefined)?.event_payload?.count ?? ''} ${q.args.oldest ?? ''}`);
    behind.push({ id: a.id, delivered: delivered(a.id), latest: last.get(a.id), record: r, calls });
  }
  if (behind.length) console.error(JSON.stringify({ behind, stderr: stderr.slice(-1500) }, null, 2));
  // how long the restarted process took to post again: its start-up, the takeover and the rebalance
  const firstAfter = slack.requests.find((q) => q.at > respawned && q.method === 'chat.postMessage' && q.outcome === 200);
  const threadPosts = slack.messages.filter((m) => m.thread_ts && m.metadata?.event_payload.alert_id !== 'warmup').length;
  const outcomes = new Map<string, number>();
  for (const r of slack.requests) outcomes.set(String(r.outcome), (outcomes.get(String(r.outcome)) ?? 0) + 1);
  const report = {
    bench: 'alert-delivery', date: new Date().toISOString(), machine: '2-core dev machine, shared load',
    setup: { incidents: INCIDENTS, updates: UPDATES, spread_s: SPREAD_MS / 1000, channels: CHANNELS.length, faults: '10% 429 (Retry-After 1 s), 5% HTTP 500, 3% hang', slack_timeout_ms: SLACK_TIMEOUT_MS, sigkill_at_s: killAt / 1000, restarted_at_s: restartedAt / 1000, load_average: loadavg().map((x) => Math.round(x * 10) / 10) },
    takeover: TAKEOVER, restart_to_first_post_ms: firstAfter ? firstAfter.at - respawned : null,
    posted_exactly_once: `${once}/${INCIDENTS}`, duplicate_top_level_posts: duplicates, missing_incidents: missing, latest_count_delivered: `${latestReached}/${INCIDENTS}`,
    first_post_latency_ms: { p50: pct(latencies, 50), p99: pct(latencies, 99), max: Math.max(...latencies) },
    slowest_first_posts: slowest.sort((a, b) => b.ms - a.ms).slice(0, 5),
    thread_posts: threadPosts, slack_calls: Object.fromEntries(outcomes), drained_after_s: Math.round(drainedMs / 100) / 10,
    alert_service_cpu_s: Math.round(childCpuS * 100) / 100, cpu_ms_per_slack_call: Math.round((childCpuS * 1000) / Math.max(1, slack.requests.length) * 10) / 10,
    target: { p99_ms: 10_000, met: pct(latencies, 99) <= 10_000 && duplicates === 0 && once === INCIDENTS },
  };
  console.log(JSON.stringify(report, null, 2));
  if (!report.target.met) process.exitCode = 1;
} finally {
  child?.kill('SIGTERM');
  await sleep(500);
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  await es.indices.delete({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true }).catch(() => undefined);
  await es.close();
  await slack.close();
}
