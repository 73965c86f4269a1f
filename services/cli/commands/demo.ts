import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createEs } from '../../common/es.js';
import { createKafka, ensureTopics, projectTopics } from '../../common/kafka.js';
import { createLogger } from '../../common/logger.js';
import { MetricsRegistry } from '../../common/metrics.js';
import { repoRoot } from '../../common/paths.js';
import { coreConfig } from '../../common/settings.js';
import { pipelineConfig } from '../../pipeline/config.js';
import { Pipeline } from '../../pipeline/pipeline.js';
import { createUsageEmitter } from '../../sdk/emitter.js';
import { Simulation, type KeyFacts } from '../../simulate/traffic.js';
import { parseOptions, UsageError, type CliCommand } from '../command.js';
import { runStackScript } from './stack.js';

function identityYaml(keys: KeyFacts[]): string {
  // the simulator's own directory, minus one key, so the demo also shows an unattributed key
  const entries = keys.slice(1).map((k) => ({
    api_key_id: k.api_key_id,
    team: k.team,
    service: k.service,
    environment: k.environment,
    principal_type: k.principal_type,
    created: new Date(k.created).toISOString().slice(0, 10),
    status: k.status,
    slack_channel: k.slack_channel,
  }));
  return `# written by llm-audit demo from the simulator's key facts\n${stringify({ keys: entries })}`;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export const command: CliCommand = {
  name: 'demo',
  summary: 'Start a local stack if none is configured, stream simulated traffic through the whole pipeline, and show what landed',
  usage: 'llm-audit demo [--minutes 90] [--keys 40] [--seed 7] [--no-attacks]',
  async run(argv, io) {
    const { values } = parseOptions(argv, { minutes: { type: 'string' }, keys: { type: 'string' }, seed: { type: 'string' }, 'no-attacks': { type: 'boolean' } }, false);
    // 90 minutes: the geo detector learns each key's countries for its first hour of traffic
    const minutes = Number(values.minutes ?? 90);
    const keys = Number(values.keys ?? 40);
    const seed = Number(values.seed ?? 7);
    if (!(minutes >= 20 && keys >= 8)) throw new UsageError('--minutes must be >= 20 and --keys >= 8 (attacks need a baseline)');
    const out = (s: string) => io.stdout.write(`${s}\n`);

    const env: NodeJS.ProcessEnv = { ...io.env };
    if (!env.KAFKA_BROKERS && !env.ELASTICSEARCH_URL) {
      out('• KAFKA_BROKERS and ELASTICSEARCH_URL are not set: starting the local stack (deploy/local/stack.sh up; the first run downloads Kafka and Elasticsearch with Maven)');
      const code = await runStackScript(['up'], env);
      if (code !== 0) {
        io.stderr.write('llm-audit demo: the local stack did not start; see `llm-audit stack logs`\n');
        return code;
      }
    }
    const core = coreConfig.fromEnv(env, { logLevel: env.LOG_LEVEL ?? 'warn', httpPort: 0 });
    const demoDir = join(repoRoot(), '.cache', 'demo');
    mkdirSync(demoDir, { recursive: true });
    if (!env.LLM_AUDIT_TOKENIZE_KEYS && !env.LLM_AUDIT_TOKENIZE_KEYS_FILE) {
      // a throwaway key: tokens of this demo can't be linked to any later run, which is what a demo wants
      env.LLM_AUDIT_TOKENIZE_KEYS = `k1:${randomBytes(32).toString('base64')}`;
      out('• LLM_AUDIT_TOKENIZE_KEYS is not set: using a random, throwaway tokenization key for this run');
    }

    // a real key learns its countries for an hour of traffic; a demo has minutes, so it learns for 20
    env.LLM_AUDIT_GEO_LEARNING_MS ??= String(20 * 60_000);
    const sim = new Simulation({ seed, start: Date.now() - minutes * 60_000, minutes, keys, attacks: !values['no-attacks'], piiRate: 0.2 });
    if (!env.LLM_AUDIT_IDENTITY_FILE) {
      env.LLM_AUDIT_IDENTITY_FILE = join(demoDir, 'identities.yaml');
      writeFileSync(env.LLM_AUDIT_IDENTITY_FILE, identityYaml(sim.keys));
      out(`• identity directory: ${env.LLM_AUDIT_IDENTITY_FILE} (${sim.keys.length - 1} of ${sim.keys.length} keys; one left out on purpose)`);
    }

    const runStart = Date.now();
    const logger = createLogger({ name: 'llm-audit-demo', level: core.logLevel });
    const metrics = new MetricsRegistry();
    const es = createEs(core);
    const config = pipelineConfig.fromEnv(env, { groupId: `llm-audit-demo-${Date.now()}` });
    const kafka = createKafka(core.kafkaBrokers, `${core.kafkaClientId}-demo`, logger);
    // This run's group starts at the current end of the topic, so what it reports is this run's traffic only.
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, projectTopics(core));
      const ends = await admin.fetchTopicOffsets(core.usageTopic);
      await admin.setOffsets({ groupId: config.groupId, topic: core.usageTopic, partitions: ends.map((e) => ({ partition: e.partition, offset: e.high })) });
    } finally {
      await admin.disconnect();
    }
    const pipeline = new Pipeline({ core, config, env, es, logger, metrics, kafka });
    await pipeline.start();
    out(`• pipeline running: ${config.stages.join(' → ')} → Elasticsearch, consumer group ${config.groupId}`);

    const emitter = await createUsageEmitter({ env, core, logger });
    const ids: string[] = [];
    const perKey = new Map<string, number>();
    const t0 = Date.now();
    for (const e of sim.events()) {
      ids.push(e.event_id);
      perKey.set(e.api_key_id, (perKey.get(e.api_key_id) ?? 0) + 1);
      await emitter.emit(e);
    }
    await emitter.flush();
    // three malformed messages, to show the dead-letter topic at work
    const producer = createKafka(core.kafkaBrokers, `${core.kafkaClientId}-demo-bad`).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await producer.send({
      topic: core.usageTopic,
      messages: [
        { key: 'demo', value: Buffer.from('not avro') },
        { key: 'demo', value: Buffer.from([0, 0, 0, 0x7f, 0x7f, 1, 2, 3]) },
        { key: 'demo', value: Buffer.from([0, 0, 0, 0, 1, 0xff]) },
      ],
    });
    await producer.disconnect();
    await emitter.close();
    out(`• sent ${fmt(ids.length)} simulated usage events (${keys} keys, ${minutes} minutes of traffic, ${sim.labels.length} injected attacks) and 3 malformed messages to ${core.usageTopic}`);

    const expected = ids.length + 3;
    const deadline = Date.now() + 10 * 60_000;
    while (metrics.stage('index').sent + metrics.stage('decode').errored + metrics.stage('index').errored < expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (Date.now() - t0) / 1000;
    await pipeline.stop();

    await es.indices.refresh({ index: `${core.indexPrefix}-*` });
    const indexed = await es.count({ index: `${core.indexPrefix}-events-*`, query: { ids: { values: ids } } });
    const agg = await es.search({
      index: `${core.indexPrefix}-events-*`,
      size: 0,
      query: { ids: { values: ids } },
      aggs: {
        keys: { terms: { field: 'llm_audit.api_key.id', size: 10 }, aggs: { team: { terms: { field: 'llm_audit.owner.team', size: 1 } }, tokens: { sum: { field: 'gen_ai.usage.input_tokens' } } } },
        pii: { sum: { field: 'llm_audit.pii.count' } },
      },
    });
    const alerts = await es.search({
      index: `${core.indexPrefix}-alerts-*`,
      size: 50,
      // alerts this run raised (detected after it started), not those of an earlier demo on the same indices
      query: { range: { 'event.created': { gte: new Date(runStart).toISOString() } } },
      sort: [{ '@timestamp': 'asc' }],
      allow_no_indices: true,
    });
    await es.close();

    const dead = metrics.stage('decode').errored + metrics.stage('index').errored;
    out('');
    out(`What landed (${seconds.toFixed(1)} s from first event sent to last one indexed):`);
    out(`  events indexed:   ${fmt(indexed.count)} of ${fmt(ids.length)} in ${core.indexPrefix}-events-* (one document per event_id)`);
    out(`  dead letters:     ${fmt(dead)} in ${core.dlqTopic} (with reason headers)`);
    out(`  PII tokenized:    ${fmt((agg.aggregations?.pii as { value: number } | undefined)?.value ?? 0)} values replaced by keyed tokens`);
    out(`  alerts:           ${fmt((alerts.hits.total as { value: number }).value)} in ${core.indexPrefix}-alerts-* and ${core.alertsTopic}`);
    const raised = alerts.hits.hits.map((h) => h._source as { rule: { name: string }; llm_audit: { api_key: { id: string }; alert: { kind: string } } });
    const caught = sim.labels.filter((l) => raised.some((a) => a.rule.name === l.rule && a.llm_audit.api_key.id === l.api_key_id));
    out(`  injected attacks: ${caught.length} of ${sim.labels.length} raised an alert of their rule for their key`);
    for (const l of sim.labels.filter((x) => !caught.includes(x))) out(`    not caught: ${l.rule}${l.kind ? `/${l.kind}` : ''} on ${l.api_key_id}`);
    for (const h of alerts.hits.hits.slice(0, 15)) {
      const a = h._source as { rule: { name: string }; llm_audit: { api_key: { id: string }; alert: { kind: string; severity: string } }; message: string };
      out(`    ${a.llm_audit.alert.severity.padEnd(8)} ${a.rule.name.padEnd(24)} ${a.llm_audit.api_key.id}  ${a.message}`);
    }
    out('  top keys by calls:');
    const buckets = (agg.aggregations?.keys as { buckets: { key: string; doc_count: number; team: { buckets: { key: string }[] }; tokens: { value: number } }[] }).buckets;
    for (const b of buckets) out(`    ${b.key}  ${fmt(b.doc_count).padStart(6)} calls  ${fmt(b.tokens.value).padStart(10)} input tokens  team ${b.team.buckets[0]?.key ?? '(unattributed)'}`);
    out('');
    out('Query it:');
    out(`  curl -s '${core.elasticsearchUrl}/${core.indexPrefix}-events-*/_count?pretty'`);
    out(`  curl -s '${core.elasticsearchUrl}/${core.indexPrefix}-alerts-*/_search?pretty&q=event.kind:alert'`);
    out(`  curl -s '${core.elasticsearchUrl}/${core.indexPrefix}-events-*/_search?pretty&q=llm_audit.api_key.id:${buckets[0]?.key ?? 'KEY'}&size=3'`);
    out('  Kibana (docker compose up): data views "llm-audit-events" and "llm-audit-alerts" after `llm-audit setup --kibana http://localhost:5601`');
    return indexed.count === ids.length ? 0 : 1;
  },
};
