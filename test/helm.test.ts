import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { loadAllConfigs } from '../services/common/config-registry.js';
import { repoRoot } from '../services/common/paths.js';
import { loadCommands } from '../services/cli/main.js';
import { YOUNG_GENERATION_FLAG } from '../services/pipeline/node-flags.js';

const CHART = join(repoRoot(), 'deploy', 'helm', 'llm-audit');

/** helm from HELM_BIN, the project's cache (deploy/helm/install-helm.sh), or PATH. */
function findHelm(): string | undefined {
  const cands = [process.env.HELM_BIN, join(repoRoot(), '.cache', 'tools', 'bin', 'helm')];
  for (const c of cands) if (c && existsSync(c)) return c;
  const r = spawnSync('helm', ['version', '--short'], { encoding: 'utf8' });
  return r.status === 0 ? 'helm' : undefined;
}

// Validates each rendered object against the Kubernetes (and KEDA / prometheus-operator CRD) JSON schemas.
const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
}

const REQUIRED = ['--set', 'tokenize.keysSecret.name=tok', '--set', 'alert.slackSecret.name=slack'];

function render(helm: string, args: string[]): K8sObject[] {
  const out = execFileSync(helm, ['template', 'audit', CHART, ...REQUIRED, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out).map((d) => d.toJS() as K8sObject).filter(Boolean);
}

function validateAll(objs: K8sObject[]): void {
  for (const o of objs) {
    const Model = MODELS[`${o.apiVersion}/${o.kind}`];
    assert.ok(Model, `no schema check for ${o.apiVersion} ${o.kind}: add it to MODELS`);
    assert.doesNotThrow(() => new Model(o as never).validate(), `${o.kind} ${o.metadata.name} fails its schema`);
  }
}

const byKind = (objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind);
const containers = (o: K8sObject) => (o.spec.template.spec.containers ?? []) as { name: string; args: string[]; env?: { name: string; value?: string; valueFrom?: unknown }[]; livenessProbe?: any; readinessProbe?: any; ports?: { name: string; containerPort: number }[] }[];

const helm = findHelm();
const why = 'helm not found: run deploy/helm/install-helm.sh (builds it from the Go module proxy) or set HELM_BIN';

// skipped per test, not per suite: node 20 counts a skipped suite as nothing in its summary
const skip = { skip: helm ? false : why };

describe('Helm chart deploy/helm/llm-audit', async () => {
  const registry = await loadAllConfigs();
  const known = new Map<string, { secret?: boolean }>();
  for (const s of registry.values()) for (const f of Object.values(s.spec)) if (f.env) known.set(f.env, f);

  it('passes helm lint', skip, () => {
    const r = spawnSync(helm!, ['lint', CHART, ...REQUIRED, '--strict'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('renders objects that pass the Kubernetes schemas, with every service and its probes on /healthz', skip, async () => {
    const objs = render(helm!, ['--set', 'intake.enabled=true', '--set', 'intake.tokensSecret.name=senders', '--set', 'serviceMonitor.enabled=true']);
    validateAll(objs);
    const deps = byKind(objs, 'Deployment');
    assert.deepEqual(deps.map((d) => d.metadata.labels!['app.kubernetes.io/component']).sort(), ['alert', 'intake', 'pipeline']);
    const cmds = await loadCommands();
    for (const d of deps) {
      for (const c of containers(d)) {
        assert.ok(cmds.has(c.args[0]!), `${d.metadata.name}: ${c.args[0]} is not a CLI command`);
        for (const p of [c.livenessProbe, c.readinessProbe]) assert.equal(p?.httpGet?.path, '/healthz', `${d.metadata.name}: probe`);
        const portNames = (c.ports ?? []).map((p) => p.name);
        assert.ok(portNames.includes(c.livenessProbe.httpGet.port), `${d.metadata.name}: probe port is a container port`);
      }
    }
    // one PDB and one ServiceMonitor (on /metrics) per service
    assert.equal(byKind(objs, 'PodDisruptionBudget').length, 3);
    const sms = byKind(objs, 'ServiceMonitor');
    assert.equal(sms.length, 3);
    for (const sm of sms) assert.equal(sm.spec.endpoints[0].path, '/metrics');
  });

  it('every env var is a setting the code reads, and secrets arrive only by reference', skip, () => {
    const objs = render(helm!, [
      '--set', 'intake.enabled=true', '--set', 'intake.tokensSecret.name=senders',
      '--set', 'elasticsearch.username=elastic', '--set', 'elasticsearch.passwordSecret.name=es-pass',
      '--set', 'elasticsearch.apiKeySecret.name=es-key', '--set', 'elasticsearch.caSecret.name=es-ca',
      '--set', 'tokenize.revealKeySecret.name=reveal',
    ]);
    validateAll(objs);
    let secretRefs = 0;
    for (const o of [...byKind(objs, 'Deployment'), ...byKind(objs, 'Job')]) {
      for (const c of containers(o)) {
        for (const e of c.env ?? []) {
          // node's own variable (its value: the test below)
          if (e.name === 'NODE_OPTIONS') continue;
          const base = !known.has(e.name) && e.name.endsWith('_FILE') ? e.name.slice(0, -5) : e.name;
          const spec = known.get(base);
          assert.ok(spec, `${o.metadata.name}: ${e.name} is not read by any config schema`);
          if (spec.secret) {
            assert.equal(e.value === undefined || base !== e.name, true, `${o.metadata.name}: secret ${e.name} must come from a Secret or a file`);
            if (e.valueFrom) secretRefs++;
          }
        }
      }
    }
    assert.ok(secretRefs >= 2, 'the Elasticsearch password and API key come from secretKeyRef');
  });

  it('gives the pipeline the young-generation flag of services/pipeline/node-flags.ts, and lets it be changed', skip, () => {
    const nodeOptions = (objs: K8sObject[]) => containers(byKind(objs, 'Deployment').find((d) => d.metadata.name.endsWith('-pipeline'))!)[0]!.env!.find((e) => e.name === 'NODE_OPTIONS')?.value;
    assert.equal(nodeOptions(render(helm!, [])), YOUNG_GENERATION_FLAG);
    assert.equal(nodeOptions(render(helm!, ['--set', 'pipeline.nodeOptions=--max-semi-space-size=64 --max-old-space-size=700'])), '--max-semi-space-size=64 --max-old-space-size=700');
    // empty: no variable, the image's ENV applies
    assert.equal(nodeOptions(render(helm!, ['--set', 'pipeline.nodeOptions='])), undefined);
  });

  it('never runs more consumers than partitions, however the replicas or autoscaling are set', skip, () => {
    const fixed = render(helm!, ['--set', 'kafka.partitions=4', '--set', 'pipeline.replicas=9']);
    const pipe = byKind(fixed, 'Deployment').find((d) => d.metadata.name.endsWith('-pipeline'))!;
    assert.equal(pipe.spec.replicas, 4);

    const keda = render(helm!, ['--set', 'kafka.partitions=6', '--set', 'pipeline.autoscaling.enabled=true', '--set', 'pipeline.autoscaling.maxReplicas=20']);
    validateAll(keda);
    const so = byKind(keda, 'ScaledObject')[0]!;
    assert.equal(so.spec.maxReplicaCount, 6);
    assert.equal(so.spec.triggers[0].type, 'kafka');
    assert.equal(so.spec.triggers[0].metadata.consumerGroup, 'llm-audit-pipeline');
    // an autoscaled Deployment leaves replicas to the scaler
    assert.equal(byKind(keda, 'Deployment').find((d) => d.metadata.name.endsWith('-pipeline'))!.spec.replicas, undefined);

    const hpa = render(helm!, ['--set', 'kafka.partitions=3', '--set', 'pipeline.autoscaling.enabled=true', '--set', 'pipeline.autoscaling.kind=hpa', '--set', 'pipeline.autoscaling.maxReplicas=10', '--set', 'pipeline.autoscaling.minReplicas=5']);
    validateAll(hpa);
    const h = byKind(hpa, 'HorizontalPodAutoscaler')[0]!;
    assert.equal(h.spec.maxReplicas, 3);
    assert.ok(h.spec.minReplicas <= h.spec.maxReplicas);
  });

  it('refuses to render without the tokenize keys Secret, naming the value to set', skip, () => {
    const r = spawnSync(helm!, ['template', 'audit', CHART, '--set', 'tokenize.keysSecret.name=', '--set', 'alert.slackSecret.name=slack'], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /tokenize\.keysSecret\.name/);
  });

  it('renders the Strimzi and ECK examples of the docs', skip, () => {
    const objs = render(helm!, [
      '--set', 'kafka.brokers=my-cluster-kafka-bootstrap.kafka.svc:9092',
      '--set', 'elasticsearch.url=https://quickstart-es-http.elastic.svc:9200',
      '--set', 'elasticsearch.username=elastic',
      '--set', 'elasticsearch.passwordSecret.name=quickstart-es-elastic-user', '--set', 'elasticsearch.passwordSecret.key=elastic',
      '--set', 'elasticsearch.caSecret.name=quickstart-es-http-certs-public',
    ]);
    validateAll(objs);
    const env = containers(byKind(objs, 'Deployment')[0]!)[0]!.env!;
    assert.equal(env.find((e) => e.name === 'KAFKA_BROKERS')!.value, 'my-cluster-kafka-bootstrap.kafka.svc:9092');
    assert.ok(env.some((e) => e.name === 'ELASTICSEARCH_PASSWORD' && e.valueFrom));
  });
});
