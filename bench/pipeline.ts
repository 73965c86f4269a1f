/**
 * bench:pipeline — events per second through the pipeline, in one run:
 * 1. The in-process chain (bench/chain.ts measureChain): node CPU per event of decode, validate, tokenize, attribute,
 *    detect and the bulk body, by step, on the same events (one core, no I/O).
 * 2. End to end on the shared single-node stack, in process: the same pre-loaded events (traffic-dev-v2 from
 *    ../shared/data when present, else the simulator with text on one event in five) through the pipeline
 *    without transform stages and with tokenize, attribute and detect, in the order none, all, all, none (so a
 *    load that drifts during the run weighs on both alike). Timed from the first event decoded to the last one
 *    indexed; the CPU of those seconds is printed per event too (steadier than the rate on a busy machine): node's,
 *    Elasticsearch's and the broker's (from /proc when each runs once on this machine; Elasticsearch's otherwise
 *    from the nodes stats API), and what Elasticsearch burned in the second before the run (it is shared: others'
 *    work shows there). Those three share the cores, so their sum bounds each rate and the ratio, printed too.
 * 3. Instances on the multi-node stack (deploy/local/cluster.sh: 3 brokers, 2 Elasticsearch nodes): 1, 2 and 3
 *    `llm-audit run` processes with all stages in one group; once the group is stable with every member, the
 *    same events are produced (all at once) and timed from the first produce call to the last event indexed. The
 *    instances see a stream, not a pre-loaded topic: a member joining later would take partitions mid-run. The bench starts
 *    the cluster when it is not up and stops it again afterwards (`--no-cluster` skips this part).
 * The pipeline's fetch, bulk and concurrency settings and the index refresh interval come from the environment, as
 * for `llm-audit run` (LLM_AUDIT_PARTITION_CONCURRENCY, LLM_AUDIT_FETCH_*, LLM_AUDIT_BULK_MAX_EVENTS,
 * LLM_AUDIT_ES_REFRESH_INTERVAL ...), so one setting can be compared with another run against run. The single-node
 * runs refresh every 30 s unless LLM_AUDIT_ES_REFRESH_INTERVAL says otherwise (a bulk load's setting).
 * Usage: npm run bench:pipeline [-- --events 30000 --no-cluster --cpu-only (the in-process chain only) --instances-only --instances-on single]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { measureChain } from './chain.js';
import { pino } from 'pino';
import { LocalSchemaSource } from '../services/common/avro.js';
import { deployDir } from '../services/common/paths.js';
import { usageEncoder } from '../services/common/usage.js';
import { Simulation } from '../services/simulate/traffic.js';
import { setupConfig } from '../services/setup/config.js';
import { TestStack } from '../test/pipeline-harness.js';
import { pipelineTuning } from './tuning.js';
import { freePort, spawnCli, uniqueName, waitFor } from '../test/helpers.js';
import type { UsageEvent } from '../services/common/types.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '30000' },
    'cpu-only': { type: 'boolean', default: false },
    'no-cluster': { type: 'boolean', default: false },
    partitions: { type: 'string', default: '6' },
    // where the 1/2/3-instance runs go: the multi-node stack, or the shared single-node one (no replication)
    'instances-on': { type: 'string', default: 'cluster' },
    'instances-only': { type: 'boolean', default: false },
    // the single-node trials, in order (none: no stages, all: tokenize, attribute, detect)
    runs: { type: 'string', default: 'none,all,all,none' },
    'no-chain': { type: 'boolean', default: false },
    // per index of the run: documents, indexing and merge time (where Elasticsearch's CPU goes)
    'es-stats': { type: 'boolean', default: false },
  },
});
const N = Number(values.events);
const PARTITIONS = Number(values.partitions);
const ALL_STAGES = ['tokenize', 'attribute', 'detect'];
const TUNING = pipelineTuning();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
// Elastic's advice for a bulk load, which a pre-loaded topic is: no refresh every second while it drains (each
// refresh makes a segment to merge). The product leaves the events' interval to Elasticsearch, which stops the
// refreshes of an index no one searches, but only 30 s after its last search or its creation: a run of seconds
// into a new index would refresh every second, which no lasting load does. LLM_AUDIT_ES_REFRESH_INTERVAL wins.
const REFRESH = process.env.LLM_AUDIT_ES_REFRESH_INTERVAL ?? '30s';

async function loadEvents(n: number): Promise<{ events: UsageEvent[]; source: string }> {
  const { dataDir } = await import('../eval/detect-data.js');
  if (existsSync(join(dataDir(), 'traffic-dev-v2.events.jsonl.gz'))) {
    const { loadTraffic } = await import('../eval/detect-data.js');
    const all = loadTraffic('traffic-dev-v2').events;
    if (all.length >= n) return { events: all.slice(0, n), source: 'traffic-dev-v2' };
  }
  const sim = new Simulation({ seed: 42, start: Date.UTC(2026, 10, 1), minutes: 24 * 60, keys: 100, text: true, piiRate: 0.1 });
  const out: UsageEvent[] = [];
  for (const e of sim.events()) {
    // the gateway mix: about one event in five carries prompt and completion text
    if (out.length % 5 !== 0) {
      e.prompt = null;
      e.completion = null;
    }
    out.push(e);
    if (out.length >= n) break;
  }
  return { events: out, source: 'simulator (text on one event in five)' };
}

interface Run { eps: number; seconds: number; cpuUsPerEvent: number; bulks?: number; bulkMs?: number; esCpuUsPerEvent?: number; kafkaCpuUsPerEvent?: number; esIdleMsPerS?: number; replayed?: number }

/** The local stack's JVMs on this machine (Elasticsearch, the Kafka broker): their CPU shares the cores with node's. */
function localPid(pattern: string): number | undefined {
  const r = spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' });
  const pids = r.stdout.split('\n').filter(Boolean).map(Number);
  // more than one (a multi-node stack is up too) and the figure could not say whose: none then
  return pids.length === 1 ? pids[0] : undefined;
}
const ES_PID = localPid('org.elasticsearch.bootstrap');
const KAFKA_PID = localPid('kafka\\.Kafka');

/** Elasticsearch's process CPU so far (ms, all nodes): what one indexed event costs it, other users of the node included. */
async function esCpuMs(stack: TestStack): Promise<number> {
  if (ES_PID) return cpuSeconds(ES_PID) * 1000;
  const r = (await stack.es.nodes.stats({ metric: 'process', filter_path: 'nodes.*.process.cpu.total_in_millis' })) as { nodes?: Record<string, { process: { cpu: { total_in_millis: number } } }> };
  return Object.values(r.nodes ?? {}).reduce((s, n) => s + n.process.cpu.total_in_millis, 0);
}

/** Count and mean latency of the bulk requests so far, from the registry's histogram. */
function bulkStats(text: string): { count: number; sum: number } {
  const count = Number(/^llm_audit_bulk_latency_ms_count\{stage="index"\} (\S+)/m.exec(text)?.[1] ?? 0);
  const sum = Number(/^llm_audit_bulk_latency_ms_sum\{stage="index"\} (\S+)/m.exec(text)?.[1] ?? 0);
  return { count, sum };
}

/** One in-process pipeline on its own topics over the pre-loaded events; timed from the first decode to the last index. */
async function singleNode(events: UsageEvent[], stages: string[]): Promise<Run> {
  const stack = new TestStack('bench-pipeline', { topicPartitions: PARTITIONS });
  try {
    await stack.produceEvents(events);
    const decode = stack.metrics.stage('decode');
    const index = stack.metrics.stage('index');
    // Elasticsearch is shared: what it burns with nothing of ours running says how much of its CPU below is others'
    const idle0 = await esCpuMs(stack);
    await new Promise((r) => setTimeout(r, 1000));
    const esIdleMsPerS = (await esCpuMs(stack)) - idle0;
    let t0 = 0;
    let cpu0 = process.cpuUsage();
    let es0 = Promise.resolve(0);
    let kafka0 = 0;
    const first = setInterval(() => {
      if (!t0 && decode.received > 0) {
        t0 = performance.now();
        cpu0 = process.cpuUsage();
        es0 = esCpuMs(stack);
        kafka0 = KAFKA_PID ? cpuSeconds(KAFKA_PID) : 0;
      }
    }, 2);
    const p = await stack.startPipeline({ config: { ...TUNING, stages }, env: { LLM_AUDIT_ES_REFRESH_INTERVAL: REFRESH }, logger: pino({ level: 'warn' }) });
    await waitFor(async () => index.sent >= events.length, { timeoutMs: 300_000, intervalMs: 10, what: 'all events indexed' });
    // a batch redelivered (a session that expired on a starved machine, say) is counted twice: then the count of
    // documents, not the counter, says when everything is in
    if ((await stack.countDocs('events')) < events.length) {
      await waitFor(async () => (await stack.countDocs('events')) >= events.length, { timeoutMs: 300_000, intervalMs: 200, what: 'all documents in Elasticsearch' });
    }
    const seconds = (performance.now() - t0) / 1000;
    const replayed = index.sent - events.length;
    const cpu = process.cpuUsage(cpu0);
    const esMs = (await esCpuMs(stack)) - (await es0);
    const kafkaS = KAFKA_PID ? cpuSeconds(KAFKA_PID) - kafka0 : NaN;
    clearInterval(first);
    await p.stop();
    const indexed = await stack.countDocs('events');
    if (indexed !== events.length) throw new Error(`indexed ${indexed} of ${events.length}`);
    const b = bulkStats(stack.metrics.render());
    if (values['es-stats']) {
      const st = (await stack.es.indices.stats({ index: `${stack.core.indexPrefix}*`, metric: 'indexing,refresh,merge,flush', expand_wildcards: 'all' })) as unknown as { indices: Record<string, { total: { indexing: { index_total: number; index_time_in_millis: number }; refresh: { total: number }; merges: { total_time_in_millis: number } } }> };
      for (const [name, v] of Object.entries(st.indices)) console.log(`    ${name.slice(stack.core.indexPrefix.length)}: ${v.total.indexing.index_total} docs, ${v.total.indexing.index_time_in_millis} ms indexing, ${v.total.refresh.total} refreshes, ${v.total.merges.total_time_in_millis} ms merging`);
    }
    return { eps: events.length / seconds, seconds, cpuUsPerEvent: (cpu.user + cpu.system) / events.length, bulks: b.count, bulkMs: b.sum / Math.max(1, b.count), esCpuUsPerEvent: (esMs * 1000) / events.length, kafkaCpuUsPerEvent: (kafkaS * 1e6) / events.length, esIdleMsPerS, replayed };
  } finally {
    await stack.close();
  }
}

const clusterSh = join(deployDir(), 'local', 'cluster.sh');
const cluster = (...args: string[]) => spawnSync('bash', [clusterSh, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** User+system CPU seconds of a process so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const r = spawnSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' });
  const f = r.stdout.slice(r.stdout.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function indexedBy(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = /^llm_audit_events_sent_total\{stage="index"\} (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/** `instances` processes in one group on the cluster; the events are produced once all of them hold partitions. */
async function onCluster(events: UsageEvent[], instances: number, env: Record<string, string>, replication: number, replicas: string): Promise<Run> {
  const stack = new TestStack('bench-cluster', { kafkaBrokers: env.KAFKA_BROKERS!.split(','), elasticsearchUrl: env.ELASTICSEARCH_URLS, topicPartitions: PARTITIONS, topicReplication: replication });
  const group = uniqueName('bench-group');
  const procs: { port: number; cli: ReturnType<typeof spawnCli> }[] = [];
  const admin = stack.kafka.admin();
  try {
    await stack.produceRaw([]); // creates the topics
    await admin.connect();
    const serviceEnv = { ...stack.serviceEnv(), LLM_AUDIT_STAGES: ALL_STAGES.join(','), LLM_AUDIT_ES_REPLICAS: replicas, LOG_LEVEL: 'warn' };
    for (let i = 0; i < instances; i++) {
      const port = await freePort();
      procs.push({ port, cli: spawnCli(['run', '--group', group, '--http-port', String(port)], serviceEnv) });
    }
    let seen = '';
    await waitFor(async () => {
      for (const p of procs) if (p.cli.child.exitCode !== null) throw new Error(`an instance exited: ${p.cli.output().slice(-2000)}`);
      const g = (await admin.describeGroups([group])).groups[0];
      seen = `${g?.state} with ${g?.members.length} member(s)`;
      return g?.state === 'Stable' && g.members.length === instances;
    }, { timeoutMs: 240_000, intervalMs: 200, what: `${instances} instances in a stable group` }).catch((err) => {
      const tail = procs.map((p, i) => `instance ${i + 1}: ${p.cli.output().split('\n').filter(Boolean).slice(-3).join(' | ').slice(0, 600)}`).join('\n');
      throw new Error(`${(err as Error).message} (last seen: ${seen})\n${tail}`);
    });
    const enc = usageEncoder(new LocalSchemaSource());
    const messages = await Promise.all(events.map(async (e) => ({ key: e.api_key_id, value: await enc.encode(e) })));
    // all chunks at once (not idempotent: nothing is retried here), so the topic fills far faster than it drains
    const producer = stack.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const cpu0 = procs.map((p) => cpuSeconds(p.cli.child.pid!));
    const t0 = performance.now();
    const chunks = [];
    for (let i = 0; i < messages.length; i += 1000) chunks.push(messages.slice(i, i + 1000));
    await Promise.all(chunks.map((c) => producer.send({ topic: stack.core.usageTopic, acks: -1, messages: c })));
    await producer.disconnect();
    await waitFor(async () => (await Promise.all(procs.map((p) => indexedBy(p.port)))).reduce((a, b) => a + b, 0) >= events.length, { timeoutMs: 300_000, intervalMs: 50, what: 'all events indexed' });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = procs.reduce((s, p, i) => s + cpuSeconds(p.cli.child.pid!) - cpu0[i]!, 0);
    const indexed = await stack.countDocs('events');
    if (indexed !== events.length) throw new Error(`indexed ${indexed} of ${events.length}`);
    return { eps: events.length / seconds, seconds, cpuUsPerEvent: (cpu * 1e6) / events.length };
  } finally {
    for (const p of procs) p.cli.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => Promise.race([p.cli.exited, new Promise((r) => setTimeout(r, 20_000))])));
    for (const p of procs) if (p.cli.child.exitCode === null) p.cli.child.kill('SIGKILL');
    await admin.disconnect();
    await stack.close();
  }
}

async function instanceRuns(events: UsageEvent[], env: Record<string, string>, replication: number, replicas: string): Promise<void> {
  const rates: number[] = [];
  for (const n of [1, 2, 3]) {
    const r = await onCluster(events, n, env, replication, replicas).catch((err: Error) => err);
    if (r instanceof Error) {
      console.log(`  ${n} instances: no figure: ${r.message}`);
      continue;
    }
    rates.push(r.eps);
    console.log(`  ${n} instance${n > 1 ? 's' : ' '}: ${fmt(r.eps)} events/s (${r.seconds.toFixed(1)} s), ${(r.eps / rates[0]!).toFixed(2)}x one instance, node CPU ${r.cpuUsPerEvent.toFixed(1)} µs/event (all instances)`);
  }
}

const { events, source } = await loadEvents(N);
const withText = events.filter((e) => e.prompt || e.completion).length;
console.log(`${events.length} events from ${source}, ${((100 * withText) / events.length).toFixed(1)}% with text, ${PARTITIONS} partitions; ${JSON.stringify(TUNING)}, single-node index refresh ${setupConfig.fromEnv({ LLM_AUDIT_ES_REFRESH_INTERVAL: REFRESH }).refreshInterval}`);
// the in-process chain on the same count of events (bench/chain.ts: node CPU by process.cpuUsage, warm pass)
const chain = values['no-chain'] ? undefined : await measureChain({ events: events.length });
if (chain) console.log(`in-process chain (decode+validate+tokenize+attribute+detect+bulk body, ${chain.source}, ${chain.events} events): ${chain.cpuUsPerEvent.toFixed(1)} µs CPU/event = ${fmt(chain.eventsPerCoreSecond)} events/s per core (target <= 25 µs); by step ${Object.entries(chain.breakdown).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')} µs`);
if (!values['cpu-only']) {
  const none: Run[] = [];
  const all: Run[] = [];
  const runs = values['instances-only'] ? [] : values.runs.split(',').filter(Boolean).map((r) => (r === 'all' ? ALL_STAGES : []));
  for (const stages of runs) {
    const r = await singleNode(events, stages);
    (stages.length ? all : none).push(r);
    console.log(`  single node, ${stages.length ? 'stages tokenize,attribute,detect' : 'no stages'}: ${fmt(r.eps)} events/s (${r.seconds.toFixed(1)} s), node CPU ${r.cpuUsPerEvent.toFixed(1)} µs/event, Elasticsearch CPU ${r.esCpuUsPerEvent?.toFixed(1)} µs/event (the node used ${fmt(r.esIdleMsPerS ?? 0)} ms/s before the run), Kafka CPU ${r.kafkaCpuUsPerEvent?.toFixed(1)} µs/event, ${r.bulks} bulk requests of ${fmt(events.length / Math.max(1, r.bulks ?? 1))} events, ${fmt(r.bulkMs ?? 0)} ms each${r.replayed ? `, ${fmt(r.replayed)} events indexed twice (a batch redelivered)` : ''}`);
  }
  const mean = (rs: Run[], k: keyof Run) => rs.reduce((s, r) => s + (r[k] ?? 0), 0) / rs.length;
  if (none.length && all.length) {
    console.log(`Kafka -> pipeline -> Elasticsearch, single-node stack, one in-process instance (mean of ${none.length} and ${all.length} runs):`);
    // node, Elasticsearch and the broker share this machine's cores: when they are the bottleneck, a rate is at most
    // cores / (CPU per event of the three), and the ratio all/none at most the inverse ratio of those sums
    const total = (rs: Run[]) => mean(rs, 'cpuUsPerEvent') + mean(rs, 'esCpuUsPerEvent') + (Number.isFinite(mean(rs, 'kafkaCpuUsPerEvent')) ? mean(rs, 'kafkaCpuUsPerEvent') : 0);
    const cores = availableParallelism();
    const line = (rs: Run[]) => `${fmt(mean(rs, 'eps'))} events/s; CPU per event: node ${mean(rs, 'cpuUsPerEvent').toFixed(1)} + Elasticsearch ${mean(rs, 'esCpuUsPerEvent').toFixed(1)} + Kafka ${mean(rs, 'kafkaCpuUsPerEvent').toFixed(1)} = ${total(rs).toFixed(1)} µs, so at most ${fmt((cores * 1e6) / total(rs))} events/s on ${cores} cores`;
    console.log(`  no stages:   ${line(none)} (target >= 20,000 events/s)`);
    console.log(`  all stages:  ${line(all)}`);
    console.log(`  ratio all/none: ${(mean(all, 'eps') / mean(none, 'eps')).toFixed(2)} (target >= 0.9); if the cores were the only limit, the CPU per event would bound it at ${(total(none) / total(all)).toFixed(2)} (a run below its cores' rate waited on something else)`);
  }

  if (values['instances-on'] === 'single') {
    const core = new TestStack('probe').core;
    console.log(`llm-audit run instances on the single-node stack (replication 1, no replica); all stages, events produced once the group is stable:`);
    await instanceRuns(events, { KAFKA_BROKERS: core.kafkaBrokers.join(','), ELASTICSEARCH_URLS: core.elasticsearchUrl }, 1, '0');
  } else if (!values['no-cluster']) {
    const wasUp = cluster('status').status === 0;
    if (!wasUp) {
      console.log('multi-node stack not running: starting it (deploy/local/cluster.sh up --brokers 3 --es-nodes 2) ...');
      if (cluster('up', '--brokers', '3', '--es-nodes', '2').status !== 0) throw new Error('cluster.sh up failed');
    }
    try {
      const env = Object.fromEntries(cluster('env').stdout.split('\n').filter(Boolean).map((l) => l.split('=', 2) as [string, string]));
      console.log(`multi-node stack (${wasUp ? 'already running' : 'started by this bench'}): 3 brokers, 2 Elasticsearch nodes, replication 3, 1 replica; all stages, events produced once the group is stable:`);
      await instanceRuns(events, env, 3, '1');
    } finally {
      if (!wasUp) cluster('down');
    }
  }
}
