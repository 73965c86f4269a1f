import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createLogger } from '../services/common/logger.js';
import { IdentityDirectory } from '../services/attribute/directory.js';
import { ident } from '../services/attribute/fixtures.js';
import { KeyStateStore } from '../services/attribute/key-state.js';
import { jobsConfig } from '../services/jobs/config.js';
import { JobRunner } from '../services/jobs/scheduler.js';
import { testCore, testEs, uniqueName } from './helpers.js';

const es = testEs();
const prefix = uniqueName('jobsret');
const core = testCore({ indexPrefix: prefix });
const logger = createLogger({ level: 'silent' });
const DAY = 86_400_000;
after(async () => {
  await es.indices.delete({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
  await es.close();
});

const runner = (dir = new IdentityDirectory()) => new JobRunner({ es, core, logger, jobs: jobsConfig.parse({}), directory: async () => dir, owner: 'test' });

test('index-retention deletes expired daily indices, keeps recent ones, alerts longer, and honours legal holds', async () => {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '.');
  const now = Date.now();
  const names = {
    oldEvents: `${prefix}-events-${day(now - 500 * DAY)}`,
    heldEvents: `${prefix}-events-${day(now - 501 * DAY)}`,
    recentEvents: `${prefix}-events-${day(now - 10 * DAY)}`,
    oldAlerts: `${prefix}-alerts-${day(now - 500 * DAY)}`,
  };
  for (const index of Object.values(names)) await es.indices.create({ index, settings: { number_of_replicas: 0 } });
  await es.index({ index: `${prefix}-legal-hold`, id: 'h1', refresh: true, document: { hold_id: 'h1', scope: 'index', index_pattern: names.heldEvents, team: null, reason: 'case 42', active: true, created_by: 'test', created_at: new Date().toISOString() } });
  const dry = await runner().run('index-retention', { dryRun: true });
  assert.deepEqual(dry.summary?.deleted, [names.oldEvents]);
  assert.equal((await es.indices.exists({ index: names.oldEvents })), true, 'dry run deletes nothing');
  const r = await runner().run('index-retention');
  assert.deepEqual(r.summary?.deleted, [names.oldEvents]);
  assert.deepEqual(r.summary?.held, [names.heldEvents]);
  assert.equal(await es.indices.exists({ index: names.oldEvents }), false);
  for (const keep of [names.heldEvents, names.recentEvents, names.oldAlerts]) assert.equal(await es.indices.exists({ index: keep }), true, keep);
});

test('rotation-scan raises key_rotation_overdue once for overdue keys in use, not for idle or young ones', async () => {
  const now = Date.now();
  const dir = new IdentityDirectory();
  const keys = [
    ident({ api_key_id: 'k_overdue', created: now - 120 * DAY }),
    ident({ api_key_id: 'k_overdue_idle', created: now - 120 * DAY }),
    ident({ api_key_id: 'k_young', created: now - 10 * DAY }),
  ];
  dir.setFile({ keys: new Map(keys.map((k) => [k.api_key_id, k])), teams: new Map() });
  const state = new KeyStateStore(es, `${prefix}-key-state`);
  await state.load();
  state.touch('k_overdue', now - 100 * DAY);
  state.touch('k_overdue', now - DAY);
  state.touch('k_overdue_idle', now - 60 * DAY);
  state.touch('k_young', now - DAY);
  await state.flush();
  await es.indices.refresh({ index: state.index });
  const r1 = await runner(dir).run('rotation-scan');
  assert.equal(r1.summary?.overdue, 2);
  assert.deepEqual(r1.summary?.raised_keys, ['k_overdue']);
  const r2 = await runner(dir).run('rotation-scan');
  assert.equal(r2.summary?.alerts_raised, 0, 'already raised');
  const res = await es.search({ index: `${prefix}-alerts-*`, query: { term: { 'rule.name': 'key_rotation_overdue' } } });
  assert.equal((res.hits.total as { value: number }).value, 1);
});
