import { ConfigError } from '../common/errors.js';
import type { UsageEvent } from '../common/types.js';
import { COUNTRY_BLOCKS, UTC_OFFSET, haversineKm, randomAddress, type Address } from './geo.js';
import { sampleText, type Planted } from './pii.js';
import { Rng } from './prng.js';

export interface SimulateOptions {
  seed: number;
  /** Epoch ms of the first simulated minute. */
  start: number;
  minutes: number;
  keys: number;
  /** Inject labelled attacks and benign look-alikes (controls). */
  attacks: boolean;
  /** Share of prompts that carry synthetic PII or secrets (0..1). Above 0 implies `text`. */
  piiRate: number;
  /** Put prompt and completion text on events. */
  text: boolean;
  /** Median events per key per minute at the daily peak. */
  ratePerKey: number;
  /** Multiplies the background 400/401/429/500 rates (0 turns them off). */
  errorScale: number;
}

export const SIMULATE_DEFAULTS: Omit<SimulateOptions, 'start'> = {
  seed: 1, minutes: 60, keys: 60, attacks: false, piiRate: 0, text: false, ratePerKey: 8, errorScale: 1,
};

/** What the identity directory knows about a key: enough for the demo and tests to build one. */
export interface KeyFacts {
  api_key_id: string;
  service: string;
  team: string;
  environment: UsageEvent['environment'];
  principal_type: 'user' | 'service';
  /** Countries the key is normally used from. */
  home: string[];
  users: string[];
  gateway_id: string;
  provider: string;
  slack_channel: string;
  created: number;
  status: 'active' | 'revoked';
  revoked_at: number | null;
}

/** An injected anomaly: the alert the pipeline should raise, in event time. */
export interface Label {
  rule: 'token_spike' | 'invalid_request_burst' | 'geo_anomaly';
  /** The alert kind the detector should report (invalid_request_burst: auth_failures, rate_limited; geo_anomaly: new_country, impossible_travel). */
  kind?: string;
  /** What was staged, when the kind alone doesn't say (revoked_key, rate_limit_storm). */
  scenario?: string;
  api_key_id: string;
  principal_id?: string;
  country?: string;
  km?: number;
  start: number;
  end: number;
}

/** A benign look-alike that must not alert. */
export interface Control {
  kind: 'gradual_growth' | 'few_401s';
  api_key_id: string;
  start?: number;
}

export interface LabelsFile {
  seed: number;
  start: number;
  minutes: number;
  events: number;
  labels: Label[];
  controls: Control[];
  /** Every raw PII value planted in a prompt or completion: none may ever reach Elasticsearch. */
  canaries: string[];
  keys: KeyFacts[];
}

type Op = 'chat.completions' | 'responses' | 'embeddings';
interface Profile {
  name: string;
  team: string;
  principal: 'user' | 'service';
  users: [number, number];
  ops: [Op, number][];
  input: [number, number];
  output: [number, number];
  rate: number;
  diurnal: boolean;
}

const PROFILES: Profile[] = [
  { name: 'support-bot', team: 'customer-support', principal: 'user', users: [3, 8], ops: [['chat.completions', 0.85], ['responses', 0.15]], input: [700, 0.6], output: [220, 0.5], rate: 1.3, diurnal: true },
  { name: 'search-api', team: 'search', principal: 'service', users: [1, 1], ops: [['embeddings', 0.75], ['chat.completions', 0.25]], input: [250, 0.5], output: [120, 0.5], rate: 1.6, diurnal: true },
  { name: 'etl-embedder', team: 'data-platform', principal: 'service', users: [1, 1], ops: [['embeddings', 1]], input: [1800, 0.4], output: [0, 0], rate: 2, diurnal: false },
  { name: 'code-review', team: 'devex', principal: 'service', users: [1, 1], ops: [['chat.completions', 0.6], ['responses', 0.4]], input: [3500, 0.5], output: [600, 0.5], rate: 0.6, diurnal: true },
  { name: 'doc-summarizer', team: 'knowledge', principal: 'service', users: [1, 1], ops: [['chat.completions', 1]], input: [5000, 0.5], output: [350, 0.4], rate: 0.7, diurnal: true },
  { name: 'sales-copilot', team: 'sales-eng', principal: 'user', users: [2, 6], ops: [['responses', 0.6], ['chat.completions', 0.4]], input: [1200, 0.6], output: [400, 0.5], rate: 0.9, diurnal: true },
  { name: 'hr-assistant', team: 'people-ops', principal: 'user', users: [1, 5], ops: [['chat.completions', 1]], input: [900, 0.6], output: [300, 0.5], rate: 0.5, diurnal: true },
  { name: 'analytics-notebook', team: 'analytics', principal: 'user', users: [1, 4], ops: [['chat.completions', 0.7], ['responses', 0.3]], input: [2000, 0.9], output: [500, 0.7], rate: 0.4, diurnal: true },
];

const HOMES: [string[], number][] = [
  [['US'], 8], [['US', 'CA'], 3], [['CA'], 1], [['GB'], 3], [['GB', 'IE'], 1], [['DE'], 3], [['DE', 'NL'], 2], [['FR'], 2], [['NL'], 1],
  [['ES'], 1], [['IT'], 1], [['PL'], 1], [['SE'], 1], [['CH'], 1], [['JP'], 2], [['SG'], 1], [['IN'], 2], [['AU'], 1], [['BR'], 1],
];
const GATEWAY: Record<string, string> = { US: 'gw-us-1', CA: 'gw-us-1', BR: 'gw-us-1', JP: 'gw-ap-1', SG: 'gw-ap-1', IN: 'gw-ap-1', AU: 'gw-ap-1' };
/** Where stolen keys get used from in the attacks (never a key's home). */
const ATTACKER_COUNTRIES = ['RU', 'CN', 'NG', 'VN', 'BR', 'ZA', 'AR', 'KR', 'MX'];
const USER_AGENTS = ['openai-python/1.54.0', 'openai-python/1.99.1', 'OpenAI/JS 5.23.2', 'openai-node/4.71.1', 'langchain/0.3.7', 'llamaindex/0.12.5', 'curl/8.5.0'];

const MODELS: Record<Op, [string, number][]> = {
  'chat.completions': [['gpt-4o-mini', 5], ['gpt-4o', 2.5], ['gpt-4.1-mini', 1.5], ['gpt-4.1', 1]],
  responses: [['gpt-4.1', 3], ['gpt-4.1-mini', 3], ['o4-mini', 1]],
  embeddings: [['text-embedding-3-small', 4], ['text-embedding-3-large', 1]],
};
export const MODEL_VERSION: Record<string, string> = {
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18', 'gpt-4o': 'gpt-4o-2024-08-06', 'gpt-4.1': 'gpt-4.1-2025-04-14', 'gpt-4.1-mini': 'gpt-4.1-mini-2025-04-14',
  'o4-mini': 'o4-mini-2025-04-16', 'text-embedding-3-small': 'text-embedding-3-small', 'text-embedding-3-large': 'text-embedding-3-large',
};
/** Decode speed, ms per output token (rough public figures). */
const MS_PER_TOKEN: Record<string, number> = { 'gpt-4o-mini': 7, 'gpt-4o': 14, 'gpt-4.1-mini': 8, 'gpt-4.1': 13, 'o4-mini': 9 };

const MINUTE = 60_000;

interface Key {
  facts: KeyFacts;
  profile: Profile;
  rate: number;
  model: Record<Op, string>;
  userAgent: string;
  /** Each principal's usual addresses (users sit in one home country; services egress through a few NAT addresses). */
  addrs: Map<string, Address[]>;
  growth?: boolean;
}

interface Plan {
  label: Label;
  key: Key;
  attacker?: Address;
  far?: Address;
  travelAt?: number;
}

export class Simulation {
  readonly options: SimulateOptions;
  readonly keys: KeyFacts[];
  readonly labels: Label[] = [];
  readonly controls: Control[] = [];
  private readonly state: Key[];
  private readonly plans: Plan[] = [];
  private readonly few401: { key: Key; at: number[] }[] = [];
  private lastCount = 0;
  private lastCanaries = new Set<string>();

  constructor(opts: Partial<SimulateOptions> & { start: number }) {
    const o: SimulateOptions = { ...SIMULATE_DEFAULTS, ...opts };
    if (!Number.isInteger(o.minutes) || o.minutes < 1) throw new ConfigError(`simulate: minutes must be a positive integer, got ${o.minutes}`);
    if (!Number.isInteger(o.keys) || o.keys < 1 || o.keys > 10_000) throw new ConfigError(`simulate: keys must be 1..10000, got ${o.keys}`);
    if (!(o.piiRate >= 0 && o.piiRate <= 1)) throw new ConfigError(`simulate: pii rate must be between 0 and 1, got ${o.piiRate}`);
    if (!(o.ratePerKey > 0)) throw new ConfigError(`simulate: rate per key must be > 0, got ${o.ratePerKey}`);
    if (!Number.isInteger(o.start) || o.start < 946_684_800_000) throw new ConfigError(`simulate: start must be epoch milliseconds, got ${o.start}`);
    if (o.attacks && (o.minutes < 20 || o.keys < 8)) throw new ConfigError('simulate: attacks need at least 20 minutes (for a baseline) and 8 keys');
    o.start = Math.floor(o.start / MINUTE) * MINUTE;
    if (o.piiRate > 0) o.text = true;
    this.options = o;
    const rng = new Rng(`${o.seed}:keys`);
    this.state = Array.from({ length: o.keys }, (_, i) => this.makeKey(rng, i));
    this.keys = this.state.map((k) => k.facts);
    if (o.attacks) this.plan(new Rng(`${o.seed}:attacks`));
  }

  private makeKey(rng: Rng, i: number): Key {
    const o = this.options;
    const profile = rng.pick(PROFILES);
    const home = rng.weighted(HOMES);
    const environment = rng.weighted<UsageEvent['environment']>([['prod', 5], ['staging', 2], ['dev', 3]]);
    const service = `${profile.name}-${i}`;
    const users =
      profile.principal === 'service'
        ? [`svc-${service}`]
        : Array.from({ length: profile.users[0] + rng.int(profile.users[1] - profile.users[0] + 1) }, () => `user-${rng.hex(6)}`);
    const addrs = new Map<string, Address[]>();
    for (const u of users) {
      const country = rng.pick(home);
      addrs.set(u, Array.from({ length: 1 + rng.int(profile.principal === 'service' ? 3 : 2) }, () => randomAddress(country, rng)));
    }
    const model = Object.fromEntries((Object.keys(MODELS) as Op[]).map((op) => [op, rng.weighted(MODELS[op])])) as Record<Op, string>;
    return {
      facts: {
        api_key_id: `key_${rng.hex(12)}`, service, team: profile.team, environment, principal_type: profile.principal, home: [...new Set(home)], users,
        gateway_id: GATEWAY[home[0]!] ?? 'gw-eu-1', provider: rng.chance(0.2) ? 'azure_openai' : 'openai', slack_channel: `#${profile.team}-alerts`,
        created: o.start - (5 + rng.int(80)) * 24 * 3600_000, status: 'active', revoked_at: null,
      },
      profile,
      rate: Math.min(60, Math.max(0.2, rng.lognormal(o.ratePerKey * profile.rate, 0.5))) * (environment === 'dev' ? 0.5 : 1),
      model,
      userAgent: rng.pick(USER_AGENTS),
      addrs,
    };
  }

  /** Chooses victims and windows up front, so labels exist before any event does. */
  private plan(rng: Rng): void {
    const { start, minutes, keys } = this.options;
    const end = start + minutes * MINUTE;
    const perKind = Math.max(1, Math.round(keys / 40));
    const pool = this.state.filter((k) => k.facts.environment !== 'dev');
    const free = (pool.length >= perKind * 7 ? pool : [...this.state]).slice();
    const take = (pred: (k: Key) => boolean = () => true): Key => {
      const candidates = free.filter(pred);
      const k = rng.pick(candidates.length ? candidates : free);
      free.splice(free.indexOf(k), 1);
      return k;
    };
    // windows start after the first 30% of the run, so detectors have a baseline
    const window = (len: number) => {
      const lenMs = Math.min(len, Math.floor(minutes * 0.25)) * MINUTE;
      const s = start + Math.floor(minutes * 0.3) * MINUTE + rng.int(Math.max(1, end - lenMs - (start + Math.floor(minutes * 0.3) * MINUTE)));
      return { start: s, end: s + lenMs };
    };
    const foreign = (k: Key) => {
      const country = rng.pick(ATTACKER_COUNTRIES.filter((c) => !k.facts.home.includes(c)));
      return randomAddress(country, rng);
    };
    for (let i = 0; i < perKind; i++) {
      const spike = take((k) => k.rate >= 1);
      this.plans.push({ key: spike, label: { rule: 'token_spike', api_key_id: spike.facts.api_key_id, ...window(8) } });

      const revoked = take();
      const burst = { rule: 'invalid_request_burst' as const, kind: 'auth_failures', scenario: 'revoked_key', api_key_id: revoked.facts.api_key_id, ...window(2) };
      const attacker = foreign(revoked);
      revoked.facts.status = 'revoked';
      revoked.facts.revoked_at = burst.start - (5 + rng.int(25)) * MINUTE;
      this.plans.push({ key: revoked, attacker, label: { ...burst, country: attacker.country } });

      const storm = take();
      this.plans.push({ key: storm, label: { rule: 'invalid_request_burst', kind: 'rate_limited', scenario: 'rate_limit_storm', api_key_id: storm.facts.api_key_id, ...window(3) } });

      const stolen = take();
      const thief = foreign(stolen);
      this.plans.push({ key: stolen, attacker: thief, label: { rule: 'geo_anomaly', kind: 'new_country', api_key_id: stolen.facts.api_key_id, country: thief.country, ...window(10) } });

      const traveller = take();
      const principal = rng.pick(traveller.facts.users);
      const from = traveller.addrs.get(principal)![0]!;
      const farCountries = Object.keys(COUNTRY_BLOCKS).filter((c) => !traveller.facts.home.includes(c) && haversineKm(from, COUNTRY_BLOCKS[c]![0]!) > 5000);
      const far = randomAddress(rng.pick(farCountries), rng);
      const w = window(25);
      const travelAt = w.start + (8 + rng.int(12)) * MINUTE;
      this.plans.push({
        key: traveller, far, travelAt,
        label: { rule: 'geo_anomaly', kind: 'impossible_travel', api_key_id: traveller.facts.api_key_id, principal_id: principal, country: far.country, km: Math.round(haversineKm(from, far)), start: w.start, end: Math.min(end, travelAt + 5 * MINUTE) },
      });
    }
    const growing = take();
    growing.growth = true;
    this.controls.push({ kind: 'gradual_growth', api_key_id: growing.facts.api_key_id });
    for (let i = 0; i < perKind; i++) {
      const k = take();
      const w = window(15);
      const at = [0, 1, 2].map((j) => w.start + j * 5 * MINUTE + rng.int(MINUTE));
      this.few401.push({ key: k, at });
      this.controls.push({ kind: 'few_401s', api_key_id: k.facts.api_key_id, start: at[0] });
    }
    this.labels.push(...this.plans.map((p) => p.label));
  }

  /** Usage events in arrival order: event time plus latency and a little transport jitter, with rare stragglers. */
  *events(): Generator<UsageEvent> {
    const o = this.options;
    const rng = new Rng(`${o.seed}:events`);
    const canaries = new Set<string>();
    let count = 0;
    let pending: { arrival: number; seq: number; ev: UsageEvent }[] = [];
    let seq = 0;
    for (let m = 0; m < o.minutes; m++) {
      const t0 = o.start + m * MINUTE;
      const batch: UsageEvent[] = [];
      for (const k of this.state) this.background(rng, k, t0, batch, canaries);
      for (const p of this.plans) this.inject(rng, p, t0, batch, canaries);
      for (const c of this.few401) for (const at of c.at) if (at >= t0 && at < t0 + MINUTE) batch.push(this.error(rng, c.key, at, 401, 'invalid_api_key'));
      for (const ev of batch) {
        const delay = rng.chance(0.002) ? 10_000 + rng.int(50_000) : 20 + rng.lognormal(150, 0.8);
        pending.push({ arrival: ev.occurred_at + ev.latency_ms + Math.round(delay), seq: seq++, ev });
      }
      pending.sort((a, b) => a.arrival - b.arrival || a.seq - b.seq);
      // everything later arrives after the next minute starts, so what arrived before it is final
      const cut = pending.findIndex((p) => p.arrival >= t0 + MINUTE);
      const ready = cut === -1 ? pending : pending.slice(0, cut);
      pending = cut === -1 ? [] : pending.slice(cut);
      for (const p of ready) {
        count++;
        yield p.ev;
      }
    }
    for (const p of pending) {
      count++;
      yield p.ev;
    }
    this.lastCount = count;
    this.lastCanaries = canaries;
  }

  /** The labels document for the last full pass over events() (event count and canaries come from it). */
  labelsFile(): LabelsFile {
    return {
      seed: this.options.seed, start: this.options.start, minutes: this.options.minutes, events: this.lastCount,
      labels: this.labels, controls: this.controls, canaries: [...this.lastCanaries].sort(), keys: this.keys,
    };
  }

  private load(k: Key, t: number): number {
    const d = new Date(t);
    const offset = UTC_OFFSET[k.facts.home[0]!] ?? 0;
    const local = (d.getUTCHours() + d.getUTCMinutes() / 60 + offset + 24) % 24;
    const localDay = new Date(t + offset * 3600_000).getUTCDay();
    let f = k.profile.diurnal ? 0.08 + 0.92 * Math.exp(-((local - 13.5) ** 2) / (2 * 3.2 ** 2)) : 0.85 + 0.15 * Math.sin((local / 24) * 2 * Math.PI);
    if (k.profile.diurnal && (localDay === 0 || localDay === 6)) f *= 0.3;
    if (k.growth) f *= 1 + (2 * (t - this.options.start)) / (this.options.minutes * MINUTE);
    return f;
  }

  private background(rng: Rng, k: Key, t0: number, out: UsageEvent[], canaries: Set<string>): void {
    const revokedAt = k.facts.revoked_at;
    const n = rng.poisson(k.rate * this.load(k, t0));
    for (let i = 0; i < n; i++) {
      const at = t0 + rng.int(MINUTE);
      if (revokedAt !== null && at >= revokedAt) continue;
      out.push(this.call(rng, k, at, canaries));
    }
  }

  /** One ordinary call of key `k`, with the background error mix. */
  private call(rng: Rng, k: Key, at: number, canaries: Set<string>, over: { principal?: string | null; addr?: Address; tokenScale?: number } = {}): UsageEvent {
    const o = this.options;
    const op = rng.weighted(k.profile.ops);
    const model = rng.chance(0.85) ? k.model[op] : rng.weighted(MODELS[op]);
    const principal = over.principal !== undefined ? over.principal : rng.pick(k.facts.users);
    const addr = over.addr ?? (principal ? rng.pick(k.addrs.get(principal) ?? [randomAddress(k.facts.home[0]!, rng)]) : randomAddress(k.facts.home[0]!, rng));
    const scale = over.tokenScale ?? 1;
    const input = Math.max(1, Math.round(rng.lognormal(k.profile.input[0], k.profile.input[1]) * scale));
    const output = op === 'embeddings' ? 0 : Math.max(1, Math.round(rng.lognormal(k.profile.output[0], k.profile.output[1]) * Math.min(scale, 4)));
    const e = o.errorScale;
    const status = rng.weighted<number>([[200, 1], [400, 0.004 * e], [401, 0.0003 * e], [429, 0.004 * e], [500, 0.001 * e], [503, 0.0005 * e]]);
    if (status !== 200) return this.error(rng, k, at, status, undefined, { principal, addr, input, model, op });
    const latency = op === 'embeddings' ? rng.lognormal(90, 0.5) : rng.lognormal(300, 0.4) + output * (MS_PER_TOKEN[model] ?? 10) * rng.range(0.8, 1.3) + (model.startsWith('o') ? rng.lognormal(900, 0.5) : 0);
    const ev = this.base(rng, k, at, { op, model, principal, addr });
    ev.model_version = rng.chance(0.95) ? (MODEL_VERSION[model] ?? model) : null;
    ev.status_code = 200;
    ev.input_tokens = input;
    ev.output_tokens = output;
    ev.latency_ms = Math.round(Math.min(latency, 120_000));
    if (o.text) {
      const s = sampleText(rng, o.piiRate);
      ev.prompt = s.prompt;
      ev.completion = op === 'embeddings' ? null : s.completion;
      for (const p of s.pii) if (ev.prompt.includes(p.value) || ev.completion?.includes(p.value)) canaries.add((p as Planted).value);
    }
    return ev;
  }

  private base(rng: Rng, k: Key, at: number, c: { op: Op; model: string; principal: string | null; addr: Address; userAgent?: string }): UsageEvent {
    return {
      event_id: rng.uuid(), occurred_at: at, gateway_id: k.facts.gateway_id, environment: k.facts.environment, provider: k.facts.provider, operation: c.op,
      model: c.model, model_version: null, api_key_id: k.facts.api_key_id, principal_id: c.principal, source_ip: c.addr.ip, user_agent: c.userAgent ?? k.userAgent,
      status_code: 200, error_code: null, input_tokens: 0, output_tokens: 0, latency_ms: 0, request_id: `req_${rng.hex(32)}`, prompt: null, completion: null,
    };
  }

  private error(rng: Rng, k: Key, at: number, status: number, code?: string, c: { principal?: string | null; addr?: Address; input?: number; model?: string; op?: Op; userAgent?: string } = {}): UsageEvent {
    const op = c.op ?? 'chat.completions';
    const principal = c.principal !== undefined ? c.principal : rng.pick(k.facts.users);
    const addr = c.addr ?? rng.pick(k.addrs.get(principal ?? '') ?? [randomAddress(k.facts.home[0]!, rng)]);
    const ev = this.base(rng, k, at, { op, model: c.model ?? k.model[op], principal, addr, userAgent: c.userAgent });
    ev.status_code = status;
    ev.error_code = code ?? (status === 400 ? rng.pick(['context_length_exceeded', 'invalid_request_error']) : status === 401 ? 'invalid_api_key' : status === 429 ? 'rate_limit_exceeded' : status === 503 ? 'service_unavailable' : 'server_error');
    // the gateway counts the prompt it forwarded; an unauthenticated call never got that far
    ev.input_tokens = status === 401 ? 0 : (c.input ?? 0);
    ev.latency_ms = Math.round(status >= 500 ? rng.lognormal(900, 0.8) : rng.lognormal(45, 0.5));
    return ev;
  }

  private inject(rng: Rng, p: Plan, t0: number, out: UsageEvent[], canaries: Set<string>): void {
    const { label, key } = p;
    const lo = Math.max(t0, label.start);
    const hi = Math.min(t0 + MINUTE, label.end);
    const within = (n: number) => Array.from({ length: n }, () => lo + rng.int(Math.max(1, hi - lo))).sort((a, b) => a - b);
    if (label.kind === 'impossible_travel') {
      const principal = label.principal_id!;
      const home = key.addrs.get(principal)![0]!;
      // a few calls from home, then the same principal from the far side of the world
      if (label.start >= t0 && label.start < t0 + MINUTE) for (let i = 0; i < 3; i++) out.push(this.call(rng, key, label.start + i * 20_000, canaries, { principal, addr: home }));
      if (p.travelAt! >= t0 && p.travelAt! < t0 + MINUTE) for (let i = 0; i < 4; i++) out.push(this.call(rng, key, p.travelAt! + i * 15_000, canaries, { principal, addr: p.far! }));
      return;
    }
    if (hi <= lo) return;
    const frac = (hi - lo) / MINUTE;
    switch (label.rule) {
      case 'token_spike':
        for (const at of within(rng.poisson(Math.max(6, 3 * key.rate) * frac))) out.push(this.call(rng, key, at, canaries, { tokenScale: rng.range(12, 30) }));
        break;
      case 'invalid_request_burst':
        if (label.kind === 'auth_failures') {
          for (const at of within(rng.poisson(35 * frac)))
            out.push(this.error(rng, key, at, 401, 'invalid_api_key', { principal: null, addr: p.attacker!, model: 'gpt-4o', userAgent: 'python-requests/2.32.3' }));
          break;
        }
        for (const at of within(rng.poisson(150 * frac))) {
          if (rng.chance(0.8)) out.push(this.error(rng, key, at, 429, 'rate_limit_exceeded', { input: Math.round(rng.lognormal(key.profile.input[0], 0.3)) }));
          else out.push(this.call(rng, key, at, canaries));
        }
        break;
      case 'geo_anomaly':
        for (const at of within(rng.poisson(4 * frac))) out.push(this.call(rng, key, at, canaries, { principal: rng.chance(0.5) ? null : rng.pick(key.facts.users), addr: p.attacker! }));
        break;
    }
  }
}

/** Facts of every key, in the shape the simulator's labels file carries (`keys`). */
export function keyDirectory(sim: Simulation): KeyFacts[] {
  return sim.keys.map((k) => ({ ...k, home: [...k.home], users: [...k.users] }));
}
