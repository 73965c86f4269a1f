import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../services/common/logger.js';
import type { UsageEvent } from '../services/common/types.js';
import { attributeConfig } from '../services/attribute/config.js';
import { scenarioDirectory } from '../services/attribute/fixtures.js';
import { AttributeStage } from '../services/attribute/stage.js';
import { waitFor } from '../test/helpers.js';
import { TestStack } from '../test/pipeline-harness.js';
import { readLabels, readTraffic } from './shared-data.js';

/**
 * The same scenario end to end: shared traffic onto Kafka, the pipeline with the attribute stage,
 * alerts and documents read back from Elasticsearch.
 */
describe('attribute findings end to end (Kafka -> pipeline -> Elasticsearch)', () => {
  const stack = new TestStack('evalattr', { topicPartitions: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'llm-audit-eval-'));
  const labels = readLabels();
  const scenario = scenarioDirectory(labels.keys, labels.start);
  let events: UsageEvent[];

  before(async () => {
    events = await readTraffic();
    const file = join(dir, 'identities.yaml');
    writeFileSync(file, JSON.stringify(scenario.doc));
    const stage = new AttributeStage({
      config: attributeConfig.parse({ identityFile: file, identityTopicEnabled: false }),
      logger: createLogger({ level: 'silent' }),
      metrics: stack.metrics,
      indexPrefix: stack.core.indexPrefix,
      es: stack.es,
    });
    await stack.startPipeline({ transforms: [stage] });
    const t0 = Date.now();
    await stack.produceEvents(events);
    await waitFor(async () => (await stack.countDocs('events')) >= events.length, { what: `${events.length} documents`, timeoutMs: 600_000, intervalMs: 2000 });
    console.log(`# ${events.length} events through Kafka, attribute and Elasticsearch in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  after(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the expected findings in Elasticsearch and no others', async () => {
    const want = [
      ...scenario.omitted.map((k) => `unattributed_key:${k}`),
      `revoked_key_used:${scenario.revoked}`,
      `environment_mismatch:${scenario.wrongEnv}`,
      `budget_exceeded:${scenario.budgeted}`,
      `budget_exceeded:${scenario.budgeted}`,
    ].sort();
    const got = await waitFor(async () => {
      await stack.es.indices.refresh({ index: `${stack.core.indexPrefix}-alerts-*`, allow_no_indices: true });
      const res = await stack.es.search<{ rule: { name: string }; llm_audit: { api_key: { id: string } } }>({ index: `${stack.core.indexPrefix}-alerts-*`, size: 100, allow_no_indices: true });
      const g = res.hits.hits.map((h) => `${h._source!.rule.name}:${h._source!.llm_audit.api_key.id}`).sort();
      return g.length >= want.length ? g : undefined;
    }, { what: 'alerts', timeoutMs: 60_000 });
    assert.deepEqual(got, want);
  });

  it('every audit document carries the owner fields, or says it is unattributed', async () => {
    const index = `${stack.core.indexPrefix}-events-*`;
    const count = async (query: object) => (await stack.es.count({ index, query })).count;
    const omitted = events.filter((e) => scenario.omitted.includes(e.api_key_id)).length;
    assert.equal(await count({ term: { 'llm_audit.api_key.attributed': true } }), events.length - omitted);
    assert.equal(await count({ term: { 'llm_audit.api_key.attributed': false } }), omitted);
    for (const f of ['service.name', 'service.environment', 'organization.name', 'llm_audit.owner.team', 'llm_audit.owner.principal_type', 'llm_audit.cost_center', 'llm_audit.slack_channel', 'llm_audit.api_key.created', 'llm_audit.api_key.age_days', 'llm_audit.api_key.status']) {
      assert.equal(await count({ bool: { filter: [{ term: { 'llm_audit.api_key.attributed': true } }, { exists: { field: f } }] } }), events.length - omitted, f);
    }
    assert.equal(await count({ exists: { field: 'llm_audit.cost.usd' } }), events.length);
  });
});
