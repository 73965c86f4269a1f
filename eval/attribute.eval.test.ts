import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../services/common/logger.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import { getPath, type Alert, type AuditRecord, type UsageEvent } from '../services/common/types.js';
import { attributeConfig } from '../services/attribute/config.js';
import { scenarioDirectory } from '../services/attribute/fixtures.js';
import { AttributeStage } from '../services/attribute/stage.js';
import { testEs, uniqueName } from '../test/helpers.js';
import { readLabels, readTraffic } from './shared-data.js';

/**
 * The dev traffic through the attribute stage in process, with a directory built from the labels'
 * keys (three left out, one revoked, one in the wrong environment, one with a small daily budget):
 * exactly the expected findings, and owner fields on every document.
 */
describe('attribute stage on the shared dev traffic', () => {
  const es = testEs();
  const prefix = uniqueName('eval-attr');
  const dir = mkdtempSync(join(tmpdir(), 'llm-audit-eval-'));
  const labels = readLabels();
  const scenario = scenarioDirectory(labels.keys, labels.start);
  let events: UsageEvent[];
  let records: AuditRecord[];
  let stage: AttributeStage;
  const alerts = new Map<string, Alert>();

  before(async () => {
    events = (await readTraffic()).sort((a, b) => a.occurred_at - b.occurred_at);
    const file = join(dir, 'identities.json');
    writeFileSync(file, JSON.stringify(scenario.doc));
    stage = new AttributeStage({
      config: attributeConfig.parse({ identityFile: file, identityTopicEnabled: false }),
      logger: createLogger({ level: 'silent' }),
      metrics: new MetricsRegistry(),
      indexPrefix: prefix,
      es,
    });
    await stage.start();
    records = events.map((e, i) => ({ event: e, doc: {}, alerts: [], partition: 0, offset: String(i) }));
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < records.length; i += 1000) {
      const b = records.slice(i, i + 1000);
      await stage.process(b, { topic: 'usage', partition: 0, firstOffset: b[0]!.offset, lastOffset: b[b.length - 1]!.offset });
      for (const r of b) for (const a of r.alerts) alerts.set(a.id, a);
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`# attribute stage: ${records.length} events in ${ms.toFixed(0)} ms (${Math.round(records.length / (ms / 1000))} events/s, one core, incl. ES lookups of new incidents)`);
  });

  after(async () => {
    await stage.close();
    rmSync(dir, { recursive: true, force: true });
    await es.indices.delete({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
    await es.close();
  });

  it('raises exactly the expected findings and no others', () => {
    const got = [...alerts.values()].map((a) => `${a.rule}:${a.kind.startsWith('daily_usd') ? a.kind : '*'}:${a.api_key_id}`).sort();
    const want = [
      ...scenario.omitted.map((k) => `unattributed_key:*:${k}`),
      `revoked_key_used:*:${scenario.revoked}`,
      `environment_mismatch:*:${scenario.wrongEnv}`,
      `budget_exceeded:daily_usd_80:${scenario.budgeted}`,
      `budget_exceeded:daily_usd_100:${scenario.budgeted}`,
    ].sort();
    assert.deepEqual(got, want);
  });

  it('counts every event of an incident and names its owner', () => {
    const calls = (k: string) => events.filter((e) => e.api_key_id === k).length;
    for (const a of alerts.values()) {
      if (a.rule === 'budget_exceeded') continue;
      assert.equal(a.count, calls(a.api_key_id), `${a.rule} ${a.api_key_id}`);
    }
    const revoked = [...alerts.values()].find((a) => a.rule === 'revoked_key_used')!;
    assert.equal(revoked.owner?.slack_channel?.startsWith('#'), true);
    assert.equal(revoked.severity, 'critical', 'the dev traffic still answers 200 for it');
    const over = [...alerts.values()].find((a) => a.kind === 'daily_usd_100')!;
    assert.ok((over.evidence.spent as number) >= scenario.smallBudgetUsd);
    assert.equal(over.evidence.period_key, new Date(labels.start).toISOString().slice(0, 10));
  });

  it('every document carries owner fields (or says it is unattributed) and a cost', () => {
    const omitted = new Set(scenario.omitted);
    const byKey = new Map(scenario.doc.keys.map((k) => [k.api_key_id, k]));
    for (const r of records) {
      const d = r.doc;
      assert.equal(typeof getPath(d, 'llm_audit.cost.usd'), 'number', `cost on ${r.event.event_id}`);
      if (omitted.has(r.event.api_key_id)) {
        assert.equal(getPath(d, 'llm_audit.api_key.attributed'), false);
        assert.equal(getPath(d, 'llm_audit.api_key.status'), 'unknown');
        continue;
      }
      const k = byKey.get(r.event.api_key_id)!;
      assert.equal(getPath(d, 'llm_audit.api_key.attributed'), true);
      assert.equal(getPath(d, 'service.name'), k.service);
      assert.equal(getPath(d, 'service.environment'), k.environment);
      assert.equal(getPath(d, 'organization.name'), k.team);
      assert.equal(getPath(d, 'llm_audit.owner.team'), k.team);
      assert.equal(getPath(d, 'llm_audit.owner.principal_type'), k.principal_type);
      assert.equal(getPath(d, 'llm_audit.cost_center'), k.cost_center);
      assert.equal(getPath(d, 'llm_audit.slack_channel'), `#${k.team}-oncall`);
      assert.equal(getPath(d, 'llm_audit.api_key.status'), k.status);
      assert.equal(getPath(d, 'llm_audit.api_key.age_days'), 30);
    }
  });

  it('persists last-seen per key for dormancy', async () => {
    await stage.checkpoint();
    await es.indices.refresh({ index: `${prefix}-key-state` });
    const res = await es.count({ index: `${prefix}-key-state` });
    assert.equal(res.count, labels.keys.length);
  });
});
