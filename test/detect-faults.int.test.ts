import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../services/common/paths.js';
import type { UsageEvent } from '../services/common/types.js';
import { Simulation } from '../services/simulate/traffic.js';
import { waitFor } from './helpers.js';
import { TestStack } from './pipeline-harness.js';

/**
 * The same alerts after any fault, through real Kafka and Elasticsearch: a long stream through `llm-audit run`
 * (the detect stage, every detector) once cleanly, once under a fault schedule: SIGKILL at several points,
 * one of them right after a state snapshot was written and before the offsets were committed; a broker stop and
 * start; an Elasticsearch stop and start. The alert sets (ids, counts, first and last seen) must be equal.
 *
 * It stops services, so it runs on its own stack (ports 19092/19093/19200/19300, files under
 * .cache/stack-detect-faults), which it starts and stops itself; never the shared one.
 */
const STACK = {
  LLM_AUDIT_STACK_DIR: join(repoRoot(), '.cache', 'stack-detect-faults'),
  KAFKA_PORT: '19092',
  KAFKA_CONTROLLER_PORT: '19093',
  ES_PORT: '19200',
  ES_TRANSPORT_PORT: '19300',
  ES_JAVA_OPTS: '-Xms512m -Xmx512m',
  KAFKA_HEAP_OPTS: '-Xmx512m -Xms128m',
};
const BROKERS = '127.0.0.1:19092';
const ES_URL = 'http://127.0.0.1:19200';

function stack(...args: string[]): void {
  // the shared stack's variables must not leak in: this script would otherwise leave "their" services alone
  const env: NodeJS.ProcessEnv = { ...process.env, ...STACK };
  delete env.KAFKA_BROKERS;
  delete env.ELASTICSEARCH_URL;
  const r = spawnSync(join(repoRoot(), 'deploy', 'local', 'stack.sh'), args, { env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`stack.sh ${args.join(' ')} failed (${r.status}): ${(r.stderr ?? '').slice(-2000)}`);
}

const t = new TestStack('detect-faults', { kafkaBrokers: [BROKERS], elasticsearchUrl: ES_URL, topicPartitions: 4 });

before(() => {
  mkdirSync(STACK.LLM_AUDIT_STACK_DIR, { recursive: true });
  stack('up');
});
after(async () => {
  await t.close().catch(() => {});
  stack('down');
});

const sim = new Simulation({ seed: 41, start: Date.UTC(2026, 10, 3, 6), minutes: 300, keys: 24, attacks: true });
const events: UsageEvent[] = [...sim.events()];

function service(group: string, prefix: string, extra: Record<string, string> = {}): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'services', 'cli', 'main.js'), 'run', '--group', group, '--http-port', '0'], {
    env: {
      ...process.env,
      KAFKA_BROKERS: BROKERS,
      ELASTICSEARCH_URL: ES_URL,
      LLM_AUDIT_USAGE_TOPIC: t.core.usageTopic,
      LLM_AUDIT_DLQ_TOPIC: t.core.dlqTopic,
      LLM_AUDIT_ALERTS_TOPIC: t.core.alertsTopic,
      LLM_AUDIT_INDEX_PREFIX: prefix,
      LLM_AUDIT_TOPIC_PARTITIONS: '4',
      LLM_AUDIT_STAGES: 'detect',
      LLM_AUDIT_IDENTITY_TOPIC_ENABLED: 'false',
      LLM_AUDIT_JOBS_ENABLED: 'false',
      LLM_AUDIT_DUPLICATE_FINGERPRINT_KEY: 'detect-faults-test-fingerprint-0000',
      LOG_LEVEL: 'warn',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
  return { child, exited: new Promise((r) => child.on('exit', (code) => r(code))), output: () => out };
}

/** Share of the topic's current end offsets that the group has committed. */
async function committedShare(group: string): Promise<number> {
  const admin = t.kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(t.core.usageTopic);
    const got = await admin.fetchOffsets({ groupId: group, topics: [t.core.usageTopic] });
    let done = 0;
    for (const p of got[0]!.partitions) done += Math.max(0, Number(p.offset));
    return done / ends.reduce((x, e) => x + Number(e.high), 0);
  } finally {
    await admin.disconnect();
  }
}

async function alertSet(prefix: string): Promise<string[]> {
  await t.es.indices.refresh({ index: `${prefix}-alerts-*`, allow_no_indices: true });
  const r = await t.es.search<{ rule: { name: string }; llm_audit: { api_key: { id: string }; alert: { id: string; kind: string; count: number; first_seen: string; last_seen: string } } }>({ index: `${prefix}-alerts-*`, size: 10_000, allow_no_indices: true });
  return r.hits.hits.map((h) => {
    const a = h._source!.llm_audit.alert;
    return `${a.id} ${h._source!.rule.name}/${a.kind} ${h._source!.llm_audit.api_key.id} count=${a.count} ${a.first_seen}..${a.last_seen}`;
  }).sort();
}

type Service = ReturnType<typeof service>;
const caughtUp = (group: string, s: Service) => waitFor(async () => (await committedShare(group)) >= 1, { what: `${group} consumed everything (${s.output().slice(-800)})`, timeoutMs: 600_000, intervalMs: 1_000 });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stop(s: Service): Promise<void> {
  s.child.kill('SIGTERM');
  assert.equal(await s.exited, 0, `clean exit (${s.output().slice(-800)})`);
}

test(`SIGKILLs, a broker and an Elasticsearch outage on ${events.length} events: the clean run's alerts exactly`, { timeout: 1_800_000 }, async () => {
  const group = `${t.core.usageTopic}.faulty`;
  const prefix = `${t.core.indexPrefix}-faulty`;
  const kill = async (s: Service, afterMs: number) => {
    await pause(afterMs);
    s.child.kill('SIGKILL');
    await s.exited;
    return service(group, prefix);
  };
  // the stream arrives in ten parts; each fault strikes while its part is being consumed
  const faults: ((s: Service) => Promise<Service>)[] = [
    async (s) => s,
    (s) => kill(s, 150),
    async (s) => {
      // an instance that kills itself right after its 3rd snapshot: state saved, offsets not yet committed
      s.child.kill('SIGKILL');
      await s.exited;
      const suicidal = service(group, prefix, { LLM_AUDIT_DETECT_FAULT_KILL_AFTER_SAVES: '3' });
      assert.equal(await suicidal.exited, null, `killed by its own fault injection (${suicidal.output().slice(-500)})`);
      return service(group, prefix);
    },
    (s) => kill(s, 400),
    async (s) => {
      await pause(100);
      stack('down', 'kafka');
      await pause(8_000);
      stack('up');
      return s;
    },
    (s) => kill(s, 50),
    async (s) => {
      await pause(100);
      stack('down', 'es');
      await pause(8_000);
      stack('up');
      return s;
    },
    (s) => kill(s, 250),
    async (s) => s,
    (s) => kill(s, 100),
  ];
  let s = service(group, prefix);
  const part = Math.ceil(events.length / faults.length);
  for (let i = 0; i < faults.length; i++) {
    await t.produceEvents(events.slice(i * part, (i + 1) * part));
    s = await faults[i]!(s);
    await caughtUp(group, s);
  }
  await stop(s);
  const faulty = await alertSet(prefix);

  // the clean run: the whole topic, another group and index prefix, no fault
  const cleanGroup = `${t.core.usageTopic}.clean`;
  const c = service(cleanGroup, `${t.core.indexPrefix}-clean`);
  await caughtUp(cleanGroup, c);
  await stop(c);
  const clean = await alertSet(`${t.core.indexPrefix}-clean`);

  assert.ok(clean.length >= 5, `the stream raises alerts: ${clean.length}`);
  assert.deepEqual(faulty, clean);
});
