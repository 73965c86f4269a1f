import { defineConfig } from '../../common/config.js';
import { PriceTable } from '../../attribute/prices.js';
import { defineDetector, fixtureEvent, oneMinusExp, series, type DetectorInstance, type Observation } from '../detector.js';

/**
 * cost_anomaly: money, not tokens. Each call is priced from the attribute stage's price table
 * (services/attribute/prices.default.json, overridden by LLM_AUDIT_PRICE_FILE); per key the cost and the
 * tokens of a short window are judged against baselines learned online (decayed sums, as token_spike's).
 * - cost_spike: the cost rate jumps while the token rate barely moves: the price per token went up,
 *   i.e. the key moved to a more expensive model (a "wallet" attack that token counts do not show).
 * - model_escalation: a key that has only ever used cheap models calls one priced far above any it used.
 */
export const config = defineConfig('detect.cost_anomaly', {
  priceFile: { type: 'string', env: 'LLM_AUDIT_PRICE_FILE', default: '', description: 'Price table (YAML/JSON) merged over the shipped defaults; the same file and variable as the attribute stage.' },
  windowMs: { type: 'int', env: 'LLM_AUDIT_COST_WINDOW_MS', default: 120_000, min: 10_000, description: 'Time constant of the short cost and token windows, event time.' },
  baselineMs: { type: 'int', env: 'LLM_AUDIT_COST_BASELINE_MS', default: 3_600_000, min: 60_000, description: 'Time constant of the learned cost and token baselines, event time.' },
  factor: { type: 'number', env: 'LLM_AUDIT_COST_FACTOR', default: 4, min: 1, description: 'cost_spike: the window\'s cost above this multiple of the baseline for its span...' },
  sigmas: { type: 'number', env: 'LLM_AUDIT_COST_SIGMAS', default: 5, min: 0, description: '...and this many standard deviations of the window\'s cost noise (a key that mixes cheap and pricey models has a noisy cost)...' },
  priceShift: { type: 'number', env: 'LLM_AUDIT_COST_PRICE_SHIFT', default: 3, min: 1, description: '...with the cost per token in the window at least this multiple of the baseline\'s (tokens barely moved)...' },
  minUsd: { type: 'number', env: 'LLM_AUDIT_COST_MIN_USD', default: 0.01, min: 0, description: '...and at least this many US dollars in the window.' },
  minCalls: { type: 'number', env: 'LLM_AUDIT_COST_MIN_CALLS', default: 3, min: 1, description: '...with at least this many calls in the window each priced per token at priceShift or more times the key\'s usual (one or two pricey calls of a key that mixes models are not a move).' },
  escalationFactor: { type: 'number', env: 'LLM_AUDIT_COST_ESCALATION_FACTOR', default: 10, min: 1, description: 'model_escalation: a call of a model priced at least this multiple of the most expensive model the key used before.' },
  escalationShare: { type: 'number', env: 'LLM_AUDIT_COST_ESCALATION_SHARE', default: 0.25, min: 0, max: 1, description: '...once such calls are at least this share of the key\'s calls in the window, and at least minCalls of them (an occasional call of a pricier model is a mix, not a move).' },
  learnMs: { type: 'int', env: 'LLM_AUDIT_COST_LEARN_MS', default: 1_800_000, min: 0, description: 'Event time from a key\'s first call during which its models and costs are learned, not alerted on...' },
  learnCalls: { type: 'int', env: 'LLM_AUDIT_COST_LEARN_CALLS', default: 20, min: 1, description: '...and the priced calls it must have made.' },
  acceptAfterMs: { type: 'int', env: 'LLM_AUDIT_COST_ACCEPT_AFTER_MS', default: 86_400_000, min: 60_000, description: 'A new expensive model in use this long (event time) after it escalated becomes the key\'s normal.' },
});
type Cfg = ReturnType<typeof config.parse>;

/** [first, last, cwin, clong, twin, tlong, wcalls, ncalls, maxPrice, escalatedAt, pricey calls in the window, long sum of squared call costs, dear calls in the window] */
type State = number[];

/** Embeddings are priced on input only and are not a step on the chat model ladder (by operation or model name). */
const EMBEDDING = /embedding/i;

function create(c: Cfg): DetectorInstance<State> {
  const prices = PriceTable.load(c.priceFile || undefined);
  // per model (a stream has a few dozen): its unit price and whether it is on the ladder, so an event neither adds
  // the two prices again (a new heap number each time) nor runs the embedding regexes; bounded like the price table's memo
  const models = new Map<string, { unit: number | undefined; laddered: boolean }>();
  const operations = new Map<string, boolean>();
  const modelInfo = (model: string) => {
    let m = models.get(model);
    if (m === undefined) {
      const p = prices.lookup(model);
      m = { unit: p ? p.input + p.output : undefined, laddered: !EMBEDDING.test(model) };
      if (models.size >= 4096) models.clear();
      models.set(model, m);
    }
    return m;
  };
  const unit = (model: string) => modelInfo(model).unit;
  const ladderedOp = (operation: string) => {
    let l = operations.get(operation);
    if (l === undefined) {
      l = !EMBEDDING.test(operation);
      if (operations.size >= 4096) operations.clear();
      operations.set(operation, l);
    }
    return l;
  };

  const finding = (o: Observation, kind: 'cost_spike' | 'model_escalation', score: number, message: string, evidence: Record<string, import('../../common/types.js').Json>) => ({
    kind,
    severity: kind === 'model_escalation' ? ('high' as const) : score >= 10 ? ('high' as const) : ('medium' as const),
    score,
    message,
    evidence: { ...evidence, model: o.event.model },
    principal_id: o.event.principal_id,
    source_ip: o.event.source_ip,
    country: o.geo?.country_iso_code ?? null,
  });

  return {
    observe(o, st, emit) {
      const e = o.event;
      if (o.late || e.status_code < 200 || e.status_code >= 300) return st;
      const price = unit(e.model);
      const cost = prices.cost(e.model, e.input_tokens, e.output_tokens, e.status_code);
      if (price === undefined || cost === undefined) return st;
      const tokens = e.input_tokens + e.output_tokens;
      const t = o.t;
      const s: State = st ?? [t, t, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
      if (t > s[1]!) {
        const dt = t - s[1]!;
        const dw = Math.exp(-dt / c.windowMs);
        const dl = Math.exp(-dt / c.baselineMs);
        s[2] = s[2]! * dw;
        s[4] = s[4]! * dw;
        s[6] = s[6]! * dw;
        s[10] = s[10]! * dw;
        s[12] = s[12]! * dw;
        s[3] = s[3]! * dl;
        s[5] = s[5]! * dl;
        s[11] = s[11]! * dl;
        s[1] = t;
      }
      const age = s[1]! - s[0]!;
      const learned = age >= c.learnMs && s[7]! >= c.learnCalls;
      // laddered(operation, model), from the memos
      const lad = ladderedOp(e.operation) && modelInfo(e.model).laddered;
      const maxPrice = s[8]!;
      let escalated = s[9]! > 0;
      if (escalated && t - s[9]! >= c.acceptAfterMs) {
        // the expensive model has been in use for a day: it is the key's normal now
        s[9] = 0;
        escalated = false;
        s[8] = Math.max(s[8]!, price);
      }
      const pricey = lad && learned && maxPrice > 0 && price >= c.escalationFactor * maxPrice;
      if (pricey) s[10] = s[10]! + 1;
      // calls of the window including this one (s[6] is counted below)
      const share = s[10]! / (s[6]! + 1);
      if (pricey && (escalated || (s[10]! >= c.minCalls && share >= c.escalationShare))) {
        if (!escalated) s[9] = t;
        escalated = true;
        const x = price / maxPrice;
        emit(finding(o, 'model_escalation', x, `API key ${e.api_key_id} called ${e.model}, priced ${x.toFixed(1)}x the most expensive model it used before`, { price_x: Math.round(x * 10) / 10, usd_per_1k: Math.round(price * 1e6) / 1e6, previous_max_usd_per_1k: Math.round(maxPrice * 1e6) / 1e6, escalation_factor: c.escalationFactor, share: Math.round(share * 100) / 100, call_usd: cost }));
      } else if (lad && !escalated && !pricey && price > maxPrice) s[8] = price;

      // cost and tokens of the window against their baselines (bias-corrected EWMA rates, as token_spike's)
      const span = c.baselineMs * oneMinusExp(age / c.baselineMs);
      const part = c.windowMs * oneMinusExp(age / c.windowMs);
      const costBase = span > 0 ? (s[3]! / span) * part : 0;
      const tokBase = span > 0 ? (s[5]! / span) * part : 0;
      // a "dear" call: priced per token at least priceShift x the key's usual (the calls a move consists of)
      if (s[5]! > 0 && tokens > 0 && cost / tokens >= c.priceShift * (s[3]! / s[5]!)) s[12] = s[12]! + 1;
      s[2] = s[2]! + cost;
      s[4] = s[4]! + tokens;
      s[6] = s[6]! + 1;
      let m = 1;
      if (learned && costBase > 0 && tokBase > 0 && s[4]! > 0) {
        const costX = s[2]! / costBase;
        const tokX = s[4]! / tokBase;
        const shift = s[2]! / s[4]! / (s[3]! / s[5]!);
        // compound-Poisson noise of the window's cost, as token_spike's
        const sd = Math.sqrt(((s[11]! / span) * c.windowMs * oneMinusExp((2 * age) / c.windowMs)) / 2);
        if (costX >= c.factor && s[2]! >= costBase + c.sigmas * sd && shift >= c.priceShift && s[2]! >= c.minUsd && s[12]! >= c.minCalls) {
          m = Math.min(1, (c.factor * costBase) / s[2]!);
          // an escalation (or calls that may become one) explains the cost: one alert, not two
          if (!escalated && s[10]! < 0.5)
            emit(finding(o, 'cost_spike', costX, `API key ${e.api_key_id} spent $${s[2]!.toFixed(2)} in ~${Math.round(c.windowMs / 60_000)} min, ${costX.toFixed(1)}x its baseline, while its tokens rose only ${tokX.toFixed(1)}x: a move to a more expensive model`, {
              observed_usd: Math.round(s[2]! * 1e4) / 1e4,
              baseline_usd: Math.round(costBase * 1e4) / 1e4,
              cost_x: Math.round(costX * 10) / 10,
              tokens_x: Math.round(tokX * 10) / 10,
              usd_per_token_x: Math.round(shift * 10) / 10,
              dear_calls: Math.round(s[12]! * 10) / 10,
              factor: c.factor,
              price_shift: c.priceShift,
              window_s: c.windowMs / 1000,
            }));
        }
      }
      // a spike teaches the cost baseline only its threshold's share
      s[3] = s[3]! + cost * m;
      s[11] = s[11]! + (cost * m) ** 2;
      s[5] = s[5]! + tokens;
      s[7] = s[7]! + 1;
      return s;
    },
  };
}

const T0 = Date.UTC(2026, 0, 5, 9);
const calls = (key: string, from: number, to: number, model: (t: number) => string) =>
  series(from, to, 15_000, (t, i) => fixtureEvent({ occurred_at: t, api_key_id: key, model: model(t), input_tokens: 800 + ((i * 37) % 400), output_tokens: 300 + ((i * 53) % 200) }));

export const detector = defineDetector({
  name: 'cost_anomaly',
  description: 'Cost per key from the price table against a learned baseline: a jump in spend without a jump in tokens, or a move to a far pricier model.',
  severity: 'medium',
  knownGaps: [
    'Models missing from the price table are not priced and not judged (llm_audit_unpriced_calls_total counts them in the attribute stage).',
    'List prices only: batch, cached-input and negotiated discounts are not known, so a cost is an estimate.',
    'A key learns its models in its first learnMs: one that starts on an expensive model has that as its normal, and one that used an expensive model once during learning may later move to it freely.',
    'A cost rise that comes with a proportional rise in tokens is not cost_anomaly (token_spike judges it).',
    'Embedding models are not on the escalation ladder: a key that only embedded and starts chatting is judged by cost_spike only.',
  ],
  config,
  clearAfterMs: (c) => Math.max(c.windowMs * 5, 900_000),
  create,
  fixtures: {
    fires: {
      description: 'A gpt-4o-mini key for an hour, then o1 at the same token rate (100x the price).',
      events: () => calls('key_wallet', T0, T0 + 5_400_000, (t) => (t < T0 + 3_600_000 ? 'gpt-4o-mini' : 'o1')),
    },
    quiet: {
      description: 'A key that always used o1, and a gpt-4o-mini key that doubles its traffic.',
      events: () => [...calls('key_rich', T0, T0 + 5_400_000, () => 'o1'), ...calls('key_busy', T0, T0 + 5_400_000, () => 'gpt-4o-mini'), ...calls('key_busy', T0 + 3_600_000, T0 + 5_400_000, () => 'gpt-4o-mini').map((e) => ({ ...e, occurred_at: e.occurred_at + 7_000 }))],
    },
  },
});
