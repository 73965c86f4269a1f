/**
 * bench:spike-delays — how early token_spike alerts each labelled spike, and what it costs in false alarms,
 * on every data set at once: the dev traffic (../shared/data traffic-dev and traffic-dev-v2) and the
 * project's simulator (another generator) over several seeds.
 *
 * Per set: each token_spike label's delay from its start (or evidence_at), the token_spike alerts on control
 * keys (the seasonal control's before its allow_until excepted) and the unexplained ones (no label of any
 * rule on that key within 30 min). Settings come from the environment (LLM_AUDIT_TOKEN_SPIKE_*), so two
 * settings are compared run against run on the same sets.
 *
 * --sweep 8,10,12,15 replays every set once per fast-test threshold (nats) and prints, per label, the
 * highest threshold that still alerts it within 30 s, against the highest threshold at which any benign
 * fast-test alert (control or unexplained) appears: the evidence a spike's first 30 s carry, next to the evidence
 * ordinary keys' bursts reach.
 *
 * --oracle prints, per label, the most evidence any test can draw from the spike's first 15, 30 and 60 s: the
 * log-likelihood ratio (nats) of the spike's true change (its calls per second and mean log call size over the
 * whole labelled span, against the key's previous hour), with the key's own Poisson rate and lognormal sizes
 * as the null. By Neyman-Pearson no test of the same calls does better; the fast test's statistic is on the same
 * scale (nats), so it can be set against the threshold that keeps ordinary keys quiet.
 *
 * --subjects asks whether a spike shows in another dimension than the key's aggregate: per label, the calls of its
 * first 30 s on a source IP, principal, user agent, model, environment, gateway or operation the key did not use
 * in the hour before (against the share of such calls among unlabelled keys' calls), and the --oracle evidence of
 * the best single source IP and principal against the key's (a per-subject test can be no faster than that).
 *
 * Usage: npm run bench:spike-delays [-- --seeds 1,2,3,11,12,13 --sweep 10,12,13,14,15 --only traffic-dev-v2,sim-1]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { MetricsRegistry } from '../services/common/metrics.js';
import type { Alert, UsageEvent } from '../services/common/types.js';
import { openGeo, type GeoLookup } from '../services/detect/geo.js';
import { latestById, replay } from '../services/detect/replay.js';
import { DetectStage, detectConfig } from '../services/detect/stage.js';
import { MemoryStateStore } from '../services/detect/state-store.js';
import { Simulation } from '../services/simulate/traffic.js';
import { countsOnControl, dataDir, loadTraffic, spikeDelays, type Control, type Label } from '../eval/detect-data.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3,11,12,13,21,22,23,24,25,26,31,32,33,34,35,36' },
    sweep: { type: 'string' },
    oracle: { type: 'boolean', default: false },
    subjects: { type: 'boolean', default: false },
    // only these sets (names as printed: traffic-dev, traffic-dev-v2, sim-<seed>)
    only: { type: 'string' },
    // token_spike alone by default: its incidents do not depend on the other detectors, and it is 5x faster
    detectors: { type: 'string', default: 'token_spike' },
  },
});

interface DataSet { name: string; events: UsageEvent[]; labels: Label[]; controls: Control[] }

function sets(): DataSet[] {
  const out: DataSet[] = [];
  for (const name of ['traffic-dev', 'traffic-dev-v2']) {
    if (!existsSync(join(dataDir(), `${name}.events.jsonl.gz`))) continue;
    const { events, labels } = loadTraffic(name);
    out.push({ name, events, labels: labels.labels, controls: labels.controls });
  }
  for (const seed of values.seeds.split(',').filter(Boolean).map(Number)) {
    const sim = new Simulation({ seed, start: Date.UTC(2026, 10, 2), minutes: 240, keys: 60, attacks: true });
    out.push({ name: `sim-${seed}`, events: [...sim.events()], labels: sim.labels as Label[], controls: sim.controls as Control[] });
  }
  return out;
}

interface Outcome { delays: { label: Label; delay: number | null }[]; controls: Alert[]; unexplained: Alert[] }

async function run(set: DataSet, geo: GeoLookup, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const stage = await DetectStage.create({ config: detectConfig.parse({ detectors: values.detectors.split(',') }), env, store: new MemoryStateStore(), logger: pino({ level: 'silent' }), metrics: new MetricsRegistry(), geo });
  const alerts = [...latestById((await replay(stage, set.events.map((e) => ({ ...e })))).emitted).values()].filter((a) => a.rule === 'token_spike');
  const delays = spikeDelays(alerts, set.labels);
  const controls = alerts.filter((a) => countsOnControl(a, set.controls));
  const controlKeys = new Set(set.controls.map((c) => c.api_key_id));
  // an alert on a key under a labelled attack of any rule (tokens burnt by a retry loop, a rate-limit storm) is that attack seen again
  const unexplained = alerts.filter((a) => !controlKeys.has(a.api_key_id) && !set.labels.some((l) => l.api_key_id === a.api_key_id && Math.abs(a.first_seen - l.start) < 30 * 60_000));
  return { delays, controls, unexplained };
}

const short = (k: string) => k.slice(-6);
const only = values.only?.split(',');
const data = sets().filter((d) => !only || only.includes(d.name));
const geo = await openGeo();

/** The log-likelihood ratio of the labelled change itself over the spike's first `s` seconds (see --oracle). */
function oracle(set: DataSet, l: Label, seconds: number[], only: (e: UsageEvent) => boolean = () => true): { calls: number; sizes: number; at: { s: number; calls: number; llr: number }[] } | null {
  const ok = set.events.filter((e) => e.api_key_id === l.api_key_id && e.status_code < 400 && only(e));
  const lx = (e: UsageEvent) => Math.log(Math.max(1, e.input_tokens + e.output_tokens));
  const before = ok.filter((e) => e.occurred_at >= l.start - 3_600_000 && e.occurred_at < l.start).map(lx);
  const spike = ok.filter((e) => e.occurred_at >= l.start && e.occurred_at <= l.end).sort((a, b) => a.occurred_at - b.occurred_at);
  if (before.length < 10 || !spike.length) return null;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const mu = mean(before);
  const v = Math.max(1e-3, mean(before.map((x) => (x - mu) ** 2)));
  const lam = before.length / 3600;
  const b = spike.length / ((l.end - l.start) / 1000) / lam;
  const la = mean(spike.map(lx)) - mu;
  const at = seconds.map((sec) => {
    const w = spike.filter((e) => e.occurred_at <= l.start + sec * 1000);
    const llr = w.length * Math.log(b) - (b - 1) * lam * sec + w.reduce((acc, e) => acc + (la / v) * (lx(e) - mu - la / 2), 0);
    return { s: sec, calls: w.length, llr };
  });
  return { calls: b, sizes: Math.exp(la), at };
}

const dims = ['source_ip', 'principal_id', 'user_agent', 'model', 'environment', 'gateway_id', 'operation'] as const;

if (values.subjects) {
  const isNew = Object.fromEntries(dims.map((d) => [d, [0, 0]])) as Record<(typeof dims)[number], [number, number]>;
  let benignCalls = 0;
  const benignNew = Object.fromEntries(dims.map((d) => [d, 0])) as Record<(typeof dims)[number], number>;
  for (const set of data) {
    const ok = set.events.filter((e) => e.status_code < 400).sort((a, b) => a.occurred_at - b.occurred_at);
    const out: string[] = [];
    for (const l of set.labels.filter((x) => x.rule === 'token_spike')) {
      const mine = ok.filter((e) => e.api_key_id === l.api_key_id);
      const before = mine.filter((e) => e.occurred_at >= l.start - 3_600_000 && e.occurred_at < l.start);
      const first = mine.filter((e) => e.occurred_at >= l.start && e.occurred_at < l.start + 30_000);
      const fresh = dims.flatMap((d) => {
        const seen = new Set(before.map((e) => e[d]));
        const n = first.filter((e) => !seen.has(e[d])).length;
        isNew[d][0] += n;
        isNew[d][1] += first.length;
        return n ? [`${d} ${n}`] : [];
      });
      const at30 = (only?: (e: UsageEvent) => boolean) => oracle(set, l, [30], only)?.at[0]!.llr ?? null;
      const best = (d: 'source_ip' | 'principal_id') => {
        const values = [...new Set(mine.map((e) => e[d]))];
        const llrs = values.map((v) => at30((e) => e[d] === v)).filter((x): x is number => x !== null);
        return `${d} ${llrs.length ? Math.max(...llrs).toFixed(1) : '-'} (of ${values.length})`;
      };
      const key = at30();
      out.push(`${short(l.api_key_id)}: ${first.length} calls in 30 s, new ${fresh.length ? fresh.join(', ') : 'none'}; nats at 30 s key ${key === null ? '-' : key.toFixed(1)}, best ${best('source_ip')}, ${best('principal_id')}`);
    }
    // ordinary use: calls of keys with no label, once the key is an hour old, on a value it did not use in the hour before
    const labelled = new Set(set.labels.map((l) => l.api_key_id));
    const last = new Map<string, { t0: number; seen: Map<string, number>[] }>();
    for (const e of ok) {
      if (labelled.has(e.api_key_id)) continue;
      let k = last.get(e.api_key_id);
      if (!k) last.set(e.api_key_id, (k = { t0: e.occurred_at, seen: dims.map(() => new Map()) }));
      const old = e.occurred_at - k.t0 > 3_600_000;
      if (old) benignCalls++;
      dims.forEach((d, i) => {
        const v = String(e[d]);
        const t = k.seen[i]!.get(v);
        if (old && (t === undefined || e.occurred_at - t > 3_600_000)) benignNew[d]++;
        k.seen[i]!.set(v, e.occurred_at);
      });
    }
    console.log(`${set.name.padEnd(15)} ${out.join(' | ')}`);
  }
  console.log(`spikes' first 30 s, calls on a value new to the key: ${dims.map((d) => `${d} ${isNew[d][0]}/${isNew[d][1]}`).join(', ')}`);
  console.log(`unlabelled keys' calls (after their first hour) on a value new to the key: ${dims.map((d) => `${d} ${benignNew[d]}`).join(', ')} of ${benignCalls}`);
} else if (values.oracle) {
  for (const set of data) {
    const calls = set.events.filter((e) => e.status_code < 400).length;
    console.log(`${set.name} (${calls} successful calls: a CUSUM at h nats raises a false alarm about once per e^h of them, e^${Math.log(calls).toFixed(1)} = the whole set)`);
    for (const l of set.labels.filter((x) => x.rule === 'token_spike')) {
      const o = oracle(set, l, [15, 30, 60]);
      console.log(`  ${l.api_key_id}: ${o ? `calls x${o.calls.toFixed(2)}, sizes x${o.sizes.toFixed(2)}; ${o.at.map((a) => `first ${a.s} s: ${a.calls} calls, ${a.llr.toFixed(1)} nats`).join('; ')}` : 'under 10 calls in the hour before'}`);
    }
  }
} else if (!values.sweep) {
  let over = 0;
  let benign = 0;
  for (const set of data) {
    const o = await run(set, geo, process.env);
    over += o.delays.filter((d) => d.delay === null || d.delay > 30).length;
    benign += o.controls.length + o.unexplained.length;
    const ds = o.delays.map((d) => `${short(d.label.api_key_id)} ${d.delay === null ? 'MISSED' : `${d.delay.toFixed(1)} s`}`).join(', ');
    console.log(`${set.name.padEnd(15)} spikes: ${ds}; control alerts ${o.controls.length}, unexplained ${o.unexplained.length}`);
    for (const a of [...o.controls, ...o.unexplained]) console.log(`    ${o.controls.includes(a) ? 'CONTROL' : 'unexplained'} ${a.api_key_id} at ${new Date(a.first_seen).toISOString()} ${JSON.stringify(a.evidence)}`);
  }
  console.log(`total: ${over} spikes over 30 s or missed, ${benign} benign token_spike alerts (controls + unexplained)`);
} else {
  const thresholds = values.sweep.split(',').map(Number).sort((a, b) => a - b);
  for (const set of data) {
    const best = new Map<Label, number>();
    let benignMax = 0;
    for (const thr of thresholds) {
      const o = await run(set, geo, { ...process.env, LLM_AUDIT_TOKEN_SPIKE_FAST_THRESHOLD: String(thr) });
      for (const d of o.delays) if (d.delay !== null && d.delay <= 30) best.set(d.label, thr);
      // the window test's alerts do not change with the fast test's threshold
      if ([...o.controls, ...o.unexplained].some((a) => a.evidence.test === 'fast')) benignMax = thr;
    }
    const ls = set.labels.filter((l) => l.rule === 'token_spike').map((l) => `${short(l.api_key_id)} ${best.has(l) ? `>=${best.get(l)}` : `<${thresholds[0]}`}`);
    console.log(`${set.name.padEnd(15)} within 30 s up to: ${ls.join(', ')}; benign alerts up to ${benignMax ? `${benignMax} nats` : `none at >=${thresholds[0]}`}`);
  }
}
