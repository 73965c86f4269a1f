import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureEvent, series } from '../detector.js';
import { runDetectors } from '../replay.js';
import { config, detector } from './token-spike.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const MIN = 60_000;
const ev = (t: number, tokens: number, over: Parameters<typeof fixtureEvent>[0] | object = {}) =>
  fixtureEvent({ occurred_at: t, api_key_id: 'key_a', principal_id: 'user-1', input_tokens: tokens, output_tokens: 0, ...over });
const steady = (from: number, to: number, tokensPerMin: number, over = {}) => series(from, to, 10_000, (t) => ev(t, tokensPerMin / 6, over));

test('config parses from the environment and rejects nonsense', () => {
  const c = config.fromEnv({ LLM_AUDIT_TOKEN_SPIKE_FACTOR: '4', LLM_AUDIT_TOKEN_SPIKE_MIN_TOKENS: '1000' });
  assert.equal(c.factor, 4);
  assert.equal(c.minTokens, 1000);
  assert.equal(c.windowMs, 300_000);
  assert.throws(() => config.fromEnv({ LLM_AUDIT_TOKEN_SPIKE_FACTOR: '0.5' }), /factor.*>= 1/);
});

test('fires as soon as the window crosses the threshold, not at the end of a window', async () => {
  const events = [...steady(T0, T0 + 90 * MIN, 20_000), ...steady(T0 + 90 * MIN, T0 + 100 * MIN, 400_000)];
  const [a, ...rest] = await runDetectors([detector], events);
  assert.equal(rest.length, 0, 'one incident');
  assert.equal(a!.rule, 'token_spike');
  assert.equal(a!.kind, 'key_tokens');
  const delay = a!.first_seen - (T0 + 90 * MIN);
  assert.ok(delay > 0 && delay < 90_000, `detected ${delay} ms into a 20x spike`);
  assert.ok((a!.evidence.ratio as number) >= 3 && (a!.evidence.observed_tokens as number) > (a!.evidence.threshold_tokens as number));
  assert.ok(a!.count > 10, 'later events of the spike update the same incident');
});

test('threefold growth over hours is not a spike', async () => {
  const events = series(T0, T0 + 4 * 60 * MIN, 10_000, (t) => ev(t, (20_000 + (40_000 * (t - T0)) / (4 * 60 * MIN)) / 6));
  assert.deepEqual(await runDetectors([detector], events), []);
});

test('a new key is judged against the default baseline, not ignored', async () => {
  // 500k tokens/min from the first call: far above the 5k/min default
  const alerts = await runDetectors([detector], steady(T0, T0 + 3 * MIN, 500_000));
  assert.equal(alerts.length, 1);
  // with a default as high as its rate, it is quiet
  assert.deepEqual(await runDetectors([detector], steady(T0, T0 + 3 * MIN, 500_000), { LLM_AUDIT_TOKEN_SPIKE_DEFAULT_RATE: '400000' }), []);
});

test('the absolute floor keeps a tiny key quiet', async () => {
  const events = [...steady(T0, T0 + 90 * MIN, 600), ...steady(T0 + 90 * MIN, T0 + 95 * MIN, 6_000)];
  assert.deepEqual(await runDetectors([detector], events), []);
  assert.equal((await runDetectors([detector], events, { LLM_AUDIT_TOKEN_SPIKE_MIN_TOKENS: '1000' })).length, 1);
});

test('a principal spiking inside a busy shared key is named', async () => {
  const users = ['user-1', 'user-2', 'user-3', 'user-4', 'user-5', 'user-6', 'user-7', 'user-8'];
  const base = users.flatMap((u) => steady(T0, T0 + 90 * MIN, 6_000, { principal_id: u }));
  // user-3 goes 8x: the key as a whole rises less than 2x
  const spike = steady(T0 + 90 * MIN, T0 + 100 * MIN, 48_000, { principal_id: 'user-3' });
  const alerts = await runDetectors([detector], [...base, ...spike]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.kind, 'principal_tokens');
  assert.equal(alerts[0]!.principal_id, 'user-3');
});

test('refused calls do not count as token use', async () => {
  const events = [...steady(T0, T0 + 90 * MIN, 20_000), ...steady(T0 + 90 * MIN, T0 + 100 * MIN, 400_000, { status_code: 429 })];
  assert.deepEqual(await runDetectors([detector], events), []);
});

test('an incident closes once the spike is over; the next spike is a new alert', async () => {
  const events = [
    ...steady(T0, T0 + 90 * MIN, 20_000),
    ...steady(T0 + 90 * MIN, T0 + 95 * MIN, 400_000),
    ...steady(T0 + 95 * MIN, T0 + 200 * MIN, 20_000),
    ...steady(T0 + 200 * MIN, T0 + 205 * MIN, 400_000),
  ];
  const alerts = await runDetectors([detector], events);
  assert.equal(alerts.length, 2);
  assert.notEqual(alerts[0]!.id, alerts[1]!.id);
});

test('events within the allowed lateness count the same as in order', async () => {
  const events = [...steady(T0, T0 + 90 * MIN, 20_000), ...steady(T0 + 90 * MIN, T0 + 95 * MIN, 400_000)];
  const inOrder = await runDetectors([detector], events);
  // swap neighbours up to 30 s apart: the decayed sums commute
  const shuffled = [...events];
  for (let i = 0; i + 3 < shuffled.length; i += 4) [shuffled[i], shuffled[i + 3]] = [shuffled[i + 3]!, shuffled[i]!];
  const stage = await runDetectors([detector], shuffled, {}, { sort: false });
  assert.equal(stage.length, inOrder.length);
  assert.ok(Math.abs(stage[0]!.first_seen - inOrder[0]!.first_seen) <= 30_000);
});

test('the fast test alerts a sixfold jump within seconds, not at the end of a window', async () => {
  // Poisson-ish arrivals: steady keys in the tests above arrive like clockwork
  let seed = 7;
  const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const poisson = (from: number, to: number, perMin: number, size: number) => {
    const out = [];
    for (let t = from + (-Math.log(rnd()) * 60_000) / perMin; t < to; t += (-Math.log(rnd()) * 60_000) / perMin) out.push(ev(Math.round(t), Math.round(size * (0.6 + 0.8 * rnd()))));
    return out;
  };
  const jump = T0 + 90 * MIN;
  const events = [...poisson(T0, jump, 20, 1_500), ...poisson(jump, jump + 5 * MIN, 120, 1_500)];
  const [a, ...rest] = await runDetectors([detector], events);
  assert.equal(rest.length, 0);
  const delay = a!.first_seen - jump;
  assert.ok(delay > 0 && delay <= 30_000, `detected ${delay} ms into a 6x jump`);
  // without the fast test the window takes minutes
  const [slow] = await runDetectors([detector], events, { LLM_AUDIT_TOKEN_SPIKE_FAST_FACTOR: '0' });
  assert.ok(!slow || slow.first_seen - jump > 30_000, `window test alone: ${slow && slow.first_seen - jump} ms`);
  // the same key without the jump stays quiet
  assert.deepEqual(await runDetectors([detector], poisson(T0, jump + 5 * MIN, 20, 1_500)), []);
});

test('a key of a few calls an hour is judged by the fast test: a jump of big calls alerts within seconds', async () => {
  // one call of ~4k tokens every 10 minutes for three hours (about 6 in the baseline), then calls of 15x that size every 6 s
  const jump = T0 + 180 * MIN;
  const events = [...series(T0, jump, 10 * MIN, (t, i) => ev(t, 3_000 + ((i * 7919) % 2_000))), ...series(jump + 1_000, jump + 5 * MIN, 6_000, (t) => ev(t, 60_000))];
  const [a] = await runDetectors([detector], events);
  assert.ok(a, 'alerted');
  // (the alert shows its strongest evidence, the window test's by now: the fast test is what opened it this early)
  assert.ok(a.first_seen - jump <= 30_000, `detected ${a.first_seen - jump} ms into the jump`);
  // with the baseline bar at 10 calls the key is left to the window test, which needs its 10 calls
  const [late] = await runDetectors([detector], events, { LLM_AUDIT_TOKEN_SPIKE_FAST_MIN_BASELINE_CALLS: '10' });
  assert.ok(late && late.first_seen - jump > 30_000, `with 10: ${late && late.first_seen - jump} ms`);
  // the same key without the jump stays quiet
  assert.deepEqual(await runDetectors([detector], events.filter((e) => e.occurred_at < jump)), []);
});

test('a fan-out of parallel calls at one instant is not a jump in rate', async () => {
  // ten calls at the same millisecond every minute: ten times the mean rate for an instant
  const events = series(T0, T0 + 120 * MIN, MIN, (t) => ev(t, 1_000)).flatMap((e) => Array.from({ length: 10 }, () => ({ ...e, event_id: `${e.event_id}-${Math.random()}` })));
  assert.deepEqual(await runDetectors([detector], events), []);
});

/** A key at 6k tokens/min, with a job at ~7x its rate in the first 5 minutes of every hour (five times the calls, 1.3 times the size). */
const hourlyJob = (hours: number, from = T0) => {
  const inJob = (t: number) => (t - Date.UTC(2026, 0, 5)) % (60 * MIN) < 5 * MIN;
  const out = [];
  for (let t = from, i = 0; t < from + hours * 60 * MIN; t += 2_000, i++) if (inJob(t)) out.push(ev(t, 4_000 / 6 * 2));
  else if (i % 5 === 0) out.push(ev(t, 1_000));
  return out;
};
/** Calls every 2 s of `size` tokens: five times the key's call rate. */
const busy = (from: number, to: number, size: number) => series(from, to, 2_000, (t) => ev(t, size));

test('seasonal: an hourly job alerts until it has been seen twice, then no more', async () => {
  const alerts = await runDetectors([detector], hourlyJob(6));
  // the job at 09:00 (the key's first minutes, judged against the default) and 10:00 may alert; from 11:00 it is expected
  assert.ok(alerts.length >= 1, 'the first repetitions are news');
  for (const a of alerts) assert.ok(a.first_seen < T0 + 120 * MIN, `alert at ${new Date(a.first_seen).toISOString()} after the pattern was seen twice`);
  // without profiles it alerts every hour
  const flat = await runDetectors([detector], hourlyJob(6), { LLM_AUDIT_TOKEN_SPIKE_SEASONAL: 'false' });
  assert.ok(flat.length >= 4, `${flat.length} alerts without profiles`);
});

test('seasonal: a real spike on top of the learned pattern still fires, within seconds', async () => {
  const spikeAt = T0 + 4 * 60 * MIN + 20 * MIN;
  // ten times the key's rate: five times the calls, twice the size
  const events = [...hourlyJob(5), ...busy(spikeAt, spikeAt + 5 * MIN, 2_000)];
  const late = (await runDetectors([detector], events)).filter((a) => a.first_seen >= T0 + 120 * MIN);
  assert.equal(late.length, 1);
  assert.ok(late[0]!.first_seen - spikeAt <= 30_000, `after ${late[0]!.first_seen - spikeAt} ms`);
  // and 8x on top of the job itself (a 64x hour start) fires too
  const onJob = T0 + 4 * 60 * MIN;
  const stacked = [...hourlyJob(5), ...busy(onJob + 1_000, onJob + 5 * MIN, 8 * 4_000 / 6), ...busy(onJob + 500, onJob + 5 * MIN, 8 * 4_000 / 6)];
  assert.equal((await runDetectors([detector], stacked)).filter((a) => a.first_seen >= T0 + 120 * MIN).length, 1);
});

test('seasonal: a key that ramps up every morning stops alerting on the ramp after two days', async () => {
  const day = 24 * 60 * MIN;
  const D0 = Date.UTC(2026, 0, 5);
  // quiet nights at 2k/min, from 08:00 to 10:00 UTC at 12k/min (6x), five days
  const events = series(D0, D0 + 5 * day, 20_000, (t) => {
    const h = new Date(t).getUTCHours();
    return ev(t, ((h >= 8 && h < 10 ? 12_000 : 2_000) / 3) * (0.7 + ((t / 20_000) % 7) / 10));
  });
  const alerts = await runDetectors([detector], events);
  for (const a of alerts) assert.ok(a.first_seen < D0 + 2 * day + 8 * 60 * MIN, `alert on day ${Math.floor((a.first_seen - D0) / day) + 1}`);
});

/** Five weeks from Monday 2026-01-05: 2k tokens/min all week, and on Mondays 09:00-10:00 UTC a batch at 16k/min (8x). */
const WEEK = 7 * 24 * 60 * MIN;
const W0 = Date.UTC(2026, 0, 5);
const mondayMorning = (weeks: number, extra: (t: number) => number = () => 0) =>
  series(W0, W0 + weeks * WEEK, 30_000, (t) => {
    const d = new Date(t);
    const busy = d.getUTCDay() === 1 && d.getUTCHours() === 9;
    return ev(t, ((busy ? 16_000 : 2_000) / 2) * (0.8 + ((t / 30_000) % 5) / 10) + extra(t));
  });
const weekOf = (t: number) => Math.floor((t - W0) / WEEK) + 1;

test('seasonal: a busy Monday morning alerts until it has been seen twice, then no more; a Tuesday one still does', async () => {
  const alerts = await runDetectors([detector], mondayMorning(4));
  assert.ok(alerts.length >= 1, 'the first Mondays are news');
  for (const a of alerts) assert.ok(weekOf(a.first_seen) <= 2, `alert in week ${weekOf(a.first_seen)}, after the Monday pattern was seen twice`);
  // the day profile alone does not learn it (the other six days at 09:00 are quiet): without the week it alerts every Monday
  const noWeek = await runDetectors([detector], mondayMorning(4), { LLM_AUDIT_TOKEN_SPIKE_WEEK_SLOTS: '0' });
  assert.deepEqual([...new Set(noWeek.map((a) => weekOf(a.first_seen)))], [1, 2, 3, 4]);
  // the same batch moved to Tuesday in week 4 is news again
  const moved = series(W0 + 3 * WEEK, W0 + 4 * WEEK, 30_000, (t) => {
    const d = new Date(t);
    return ev(t, ((d.getUTCDay() === 2 && d.getUTCHours() === 9 ? 16_000 : 2_000) / 2) * (0.8 + ((t / 30_000) % 5) / 10));
  });
  const tuesday = await runDetectors([detector], [...mondayMorning(3), ...moved]);
  assert.ok(tuesday.some((a) => weekOf(a.first_seen) === 4 && new Date(a.first_seen).getUTCDay() === 2), 'the Tuesday batch alerts');
});

test('seasonal: a real spike on top of the learned Monday morning still fires, within 30 s', async () => {
  const at = W0 + 3 * WEEK + 9 * 60 * MIN + 20 * MIN;
  // week 4, Monday 09:20: eight times the batch's own rate, five times the calls
  const spike = series(at, at + 5 * MIN, 6_000, (t) => ev(t, (8 * 16_000) / 10));
  const late = (await runDetectors([detector], [...mondayMorning(4), ...spike])).filter((a) => weekOf(a.first_seen) >= 3);
  assert.equal(late.length, 1, late.map((a) => new Date(a.first_seen).toISOString()).join(', '));
  assert.ok(late[0]!.first_seen - at <= 30_000, `after ${late[0]!.first_seen - at} ms`);
});

test('seasonal: the week slots are bounded and a key quiet for weeks expects nothing', async () => {
  const { weekClose, weekExpected } = await import('../seasonal.js');
  const s = new Array<number>(4).fill(0);
  const H = 3_600_000;
  const b0 = Math.floor(W0 / H);
  // six busy hours of the week, twice: only four are kept, the strongest
  for (const wk of [0, 1]) for (let i = 0; i < 6; i++) weekClose(s, 0, 4, b0 + wk * 168 + i * 10, 1_000 * (i + 1), 500);
  const kept = [0, 1, 2, 3, 4, 5].filter((i) => weekExpected(s, 0, 4, (b0 + 2 * 168 + i * 10) * H) > 0);
  assert.equal(kept.length, 4);
  assert.ok(kept.includes(5) && kept.includes(4), `kept ${kept}`);
  // expected is the smaller of the two weeks (log-quantised to ~9%)
  const e = weekExpected(s, 0, 4, (b0 + 2 * 168 + 50) * H);
  assert.ok(Math.abs(e - 6_000) / 6_000 < 0.1, `${e}`);
  // three weeks later the slot is stale
  assert.equal(weekExpected(s, 0, 4, (b0 + 5 * 168 + 50) * H), 0);
});
