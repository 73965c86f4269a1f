import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createLogger } from '../services/common/logger.js';
import { IdentityDirectory } from '../services/attribute/directory.js';
import { jobsConfig } from '../services/jobs/config.js';
import type { Job } from '../services/jobs/job.js';
import { EsLock } from '../services/jobs/lock.js';
import { JobRunner, JobScheduler } from '../services/jobs/scheduler.js';
import { testCore, testEs, uniqueName } from './helpers.js';

const es = testEs();
const prefix = uniqueName('jobs');
const core = testCore({ indexPrefix: prefix });
const logger = createLogger({ level: 'silent' });
after(async () => {
  await es.indices.delete({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
  await es.close();
});

/** A job that records who ran it and takes long enough for the other instance to try. */
function countingJob(name: string, ran: string[], ms = 300): Job {
  return { name, description: 'test', cron: () => '* * * * * *', run: async () => { ran.push(name); await new Promise((r) => setTimeout(r, ms)); return { ok: true }; } };
}

const runner = (owner: string, jobList: Job[], lease = 5_000) =>
  new JobRunner({ es, core, logger, owner, jobList, jobs: jobsConfig.parse({ lockLeaseMs: lease }), directory: async () => new IdentityDirectory() });

test('two instances racing for the same tick: exactly one runs the job', async () => {
  const ran: string[] = [];
  const job = countingJob('race', ran);
  const a = runner('instance-a', [job]);
  const b = runner('instance-b', [job]);
  const tick = Date.now();
  for (let round = 0; round < 5; round++) {
    const t = tick + round * 1000;
    const results = await Promise.all([a.run('race', { tick: t }), b.run('race', { tick: t })]);
    assert.equal(results.filter((r) => r.ran).length, 1, `round ${round}: ${JSON.stringify(results.map((r) => [r.owner, r.ran]))}`);
  }
  assert.equal(ran.length, 5);
});

test('a late instance does not rerun a tick that already ran and was released', async () => {
  const ran: string[] = [];
  const job = countingJob('late', ran, 10);
  const tick = Date.now();
  assert.equal((await runner('a', [job]).run('late', { tick })).ran, true);
  assert.equal((await runner('b', [job]).run('late', { tick })).ran, false);
  assert.equal((await runner('b', [job]).run('late', { tick: tick + 60_000 })).ran, true);
});

test('a live lease is never taken; an expired one is taken by exactly one of two racers', async () => {
  const index = `${prefix}-locks`;
  const a = new EsLock(es, index, 'a');
  const held = await a.acquire('lease', 60_000, 1);
  assert.ok(held);
  assert.equal(await new EsLock(es, index, 'b').acquire('lease', 60_000, 2), null, 'live lease');
  // a crashed holder: its lease ran out without a release
  const crashed = await new EsLock(es, index, 'c').acquire('expired', 1, 1);
  assert.ok(crashed);
  await new Promise((r) => setTimeout(r, 20));
  const racers = await Promise.all(['x', 'y', 'z'].map((o) => new EsLock(es, index, o).acquire('expired', 60_000, 2)));
  assert.equal(racers.filter(Boolean).length, 1, 'one steal wins');
  assert.equal(await a.renew(crashed!, 1000).catch(() => false), false, 'the old holder lost it');
});

test('two node-cron schedulers firing every second: each tick runs once', async () => {
  const ran: string[] = [];
  const job = countingJob('cron', ran, 50);
  const s1 = new JobScheduler(runner('s1', [job]), logger);
  const s2 = new JobScheduler(runner('s2', [job]), logger);
  s1.start();
  s2.start();
  await new Promise((r) => setTimeout(r, 3_500));
  await s1.stop();
  await s2.stop();
  const res = await es.get<{ last_tick: number }>({ index: `${prefix}-locks`, id: 'cron' });
  assert.ok(ran.length >= 2 && ran.length <= 4, `ran ${ran.length} times in 3.5 s of 1-second ticks`);
  assert.ok(res._source!.last_tick > 0);
});
