import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadAllConfigs } from '../services/common/config-registry.js';
import { repoRoot } from '../services/common/paths.js';
import { coreConfig } from '../services/common/settings.js';
import { loadCommands } from '../services/cli/main.js';
import { FLAGGED_COMMANDS, YOUNG_GENERATION_FLAG } from '../services/pipeline/node-flags.js';

/** node's own variable: not a setting of ours, so not in the config registry (its value is checked below). */
const NODE_VARS = new Set(['NODE_OPTIONS']);

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  secrets?: string[];
}

/** docker-compose.yml can't be run here (no Docker engine); this keeps it true to the code instead. */
describe('docker-compose.yml matches the code', async () => {
  const compose = parse(readFileSync(join(repoRoot(), 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService>; secrets: Record<string, { file: string }> };
  const registry = await loadAllConfigs();
  const known = new Map<string, { secret?: boolean }>();
  for (const s of registry.values()) for (const f of Object.values(s.spec)) if (f.env) known.set(f.env, f);
  const ours = Object.entries(compose.services).filter(([, s]) => s.build);

  it('has Kafka, Elasticsearch, Kibana and the pipeline and alert services', () => {
    for (const name of ['kafka', 'elasticsearch', 'kibana', 'pipeline', 'alert']) assert.ok(compose.services[name], `service ${name}`);
    assert.ok(ours.length >= 2);
  });

  it('every env var of our services is one the code reads (or the _FILE form of a secret)', () => {
    for (const [name, svc] of ours) {
      for (const v of Object.keys(svc.environment ?? {})) {
        if (NODE_VARS.has(v)) continue;
        const base = !known.has(v) && v.endsWith('_FILE') ? v.slice(0, -5) : v;
        const spec = known.get(base);
        assert.ok(spec, `${name}: ${v} is not read by any config schema (llm-audit config lists them)`);
        if (v !== base) assert.ok(spec.secret, `${name}: ${v}: only secrets are read from files`);
      }
    }
  });

  it('every command is a real CLI command', async () => {
    const cmds = await loadCommands();
    for (const [name, svc] of ours) assert.ok(cmds.has(svc.command?.[0] ?? 'run'), `${name}: unknown command ${svc.command?.[0]}`);
  });

  it('brokers and Elasticsearch URL point at the compose services and their ports', () => {
    const kafkaPort = compose.services.kafka!.environment!.KAFKA_LISTENERS!.match(/PLAINTEXT:\/\/:(\d+)/)![1];
    for (const [name, svc] of ours) {
      const env = svc.environment ?? {};
      const brokers = coreConfig.parse({ kafkaBrokers: env.KAFKA_BROKERS }).kafkaBrokers;
      for (const b of brokers) assert.equal(b, `kafka:${kafkaPort}`, `${name}: KAFKA_BROKERS`);
      const es = new URL(env.ELASTICSEARCH_URL!);
      assert.equal(es.hostname, 'elasticsearch', `${name}: ELASTICSEARCH_URL host`);
      assert.ok(compose.services.elasticsearch!.ports!.some((p) => p.endsWith(`:${es.port}`)), `${name}: Elasticsearch port ${es.port} is the one it serves`);
    }
  });

  it('the pipeline gets the young-generation flag of services/pipeline/node-flags.ts in the image, here and in the Helm chart', () => {
    const flags = (opts: string | undefined) => (opts ?? '').split(/\s+/).filter(Boolean);
    // the image: the ENV the runtime stage sets (the last NODE_OPTIONS line of the Dockerfile)
    const dockerfile = readFileSync(join(repoRoot(), 'deploy', 'docker', 'Dockerfile'), 'utf8');
    const imageEnv = [...dockerfile.matchAll(/^ENV NODE_OPTIONS=(.*)$/gm)].pop()?.[1];
    assert.ok(flags(imageEnv).includes(YOUNG_GENERATION_FLAG), `Dockerfile: ENV NODE_OPTIONS=${YOUNG_GENERATION_FLAG}`);
    // compose: a service running a flagged command that sets NODE_OPTIONS (which replaces the image's) keeps the flag
    const pipeline = compose.services.pipeline!;
    assert.ok(FLAGGED_COMMANDS.includes(pipeline.command?.[0] ?? 'run'), 'the compose pipeline runs a command node-flags.ts flags');
    for (const [name, svc] of ours) {
      const opts = svc.environment?.NODE_OPTIONS;
      if (opts !== undefined || name === 'pipeline') assert.ok(flags(opts).includes(YOUNG_GENERATION_FLAG), `${name}: NODE_OPTIONS has ${YOUNG_GENERATION_FLAG}`);
    }
    // the chart: its default value, and the pipeline template that passes it on as NODE_OPTIONS
    const chart = join(repoRoot(), 'deploy', 'helm', 'llm-audit');
    const values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8')) as { pipeline: { nodeOptions?: string } };
    assert.ok(flags(values.pipeline.nodeOptions).includes(YOUNG_GENERATION_FLAG), `values.yaml: pipeline.nodeOptions has ${YOUNG_GENERATION_FLAG}`);
    const template = readFileSync(join(chart, 'templates', 'pipeline.yaml'), 'utf8');
    assert.match(template, /with \.Values\.pipeline\.nodeOptions \}\}\s*- name: NODE_OPTIONS\s*value: \{\{ \. \| quote \}\}/, 'pipeline.yaml renders pipeline.nodeOptions as NODE_OPTIONS');
  });

  it('ops ports published are the ones the services listen on, and secrets exist', () => {
    for (const [name, svc] of ours) {
      const port = svc.environment?.LLM_AUDIT_HTTP_PORT;
      if (port) {
        assert.ok(svc.ports?.some((p) => p.endsWith(`:${port}`)), `${name}: /metrics port ${port} published`);
        assert.equal(svc.environment?.LLM_AUDIT_HTTP_HOST, '0.0.0.0', `${name}: binds beyond loopback inside the container`);
      }
      for (const s of svc.secrets ?? []) assert.ok(compose.secrets[s], `${name}: secret ${s} declared`);
      for (const [v, path] of Object.entries(svc.environment ?? {})) {
        if (v.endsWith('_FILE') && String(path).startsWith('/run/secrets/')) assert.ok(svc.secrets?.includes(path.split('/').pop()!), `${name}: ${v} mounts a declared secret`);
      }
    }
  });
});
