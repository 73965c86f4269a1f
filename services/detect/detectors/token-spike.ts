import { defineConfig } from '../../common/config.js';
import { defineDetector, fixtureEvent, oneMinusExp, hash32, series, spliceNumbers, type DetectorInstance, type Finding, type Observation } from '../detector.js';
import { DAY_PROFILE, HOUR_PROFILE, profileAdd, profileExpected, profileSize, weekClose, weekExpected, WEEK_HOURS } from '../seasonal.js';

/**
 * token_spike: tokens per API key (and per principal of a shared key) over a short window of event time,
 * against a baseline learned online for that key.
 *
 * Both are exponentially decayed sums, so each subject costs a few numbers and a late event lands exactly
 * where it belongs (the sums commute): `win` ~ tokens of the last `windowMs`, `long` ~ tokens of the last
 * `baselineMs`, whose rate is the baseline. A new key is judged against `defaultTokensPerMinute`, blended
 * out over its first `defaultWeightMs`. While a subject is over its threshold it teaches the baseline only
 * the threshold's rate, so a spike barely raises the bar for itself; a gradual rise is learned as it comes.
 */
export const config = defineConfig('detect.token_spike', {
  windowMs: { type: 'int', env: 'LLM_AUDIT_TOKEN_SPIKE_WINDOW_MS', default: 300_000, min: 10_000, description: 'Time constant of the short (spike) window, event time.' },
  baselineMs: { type: 'int', env: 'LLM_AUDIT_TOKEN_SPIKE_BASELINE_MS', default: 3_600_000, min: 60_000, description: 'Time constant of the learned baseline (EWMA of the token rate), event time.' },
  factor: { type: 'number', env: 'LLM_AUDIT_TOKEN_SPIKE_FACTOR', default: 3, min: 1, description: 'Fires when the window exceeds the baseline for the same span by this factor...' },
  sigmas: { type: 'number', env: 'LLM_AUDIT_TOKEN_SPIKE_SIGMAS', default: 5, min: 0, description: '...and this many standard deviations of the window\'s own noise (few, large, irregular calls make a noisy key)...' },
  minCalls: { type: 'number', env: 'LLM_AUDIT_TOKEN_SPIKE_MIN_CALLS', default: 10, min: 0, description: '...made of at least this many calls in the window (one huge call is not a spike in use).' },
  minTokens: { type: 'int', env: 'LLM_AUDIT_TOKEN_SPIKE_MIN_TOKENS', default: 30_000, min: 0, description: '...and this absolute floor of tokens in the window.' },
  defaultTokensPerMinute: { type: 'number', env: 'LLM_AUDIT_TOKEN_SPIKE_DEFAULT_RATE', default: 50_000, min: 0, description: 'Token rate a new key (or principal) is judged against until it has a baseline of its own.' },
  defaultWeightMs: { type: 'int', env: 'LLM_AUDIT_TOKEN_SPIKE_DEFAULT_WEIGHT_MS', default: 900_000, min: 1, description: 'For this long after its first call, a key\'s baseline is blended from the default and its own rate (the default\'s share falling to zero); then it is its own.' },
  maxIdleDecayMs: { type: 'int', env: 'LLM_AUDIT_TOKEN_SPIKE_MAX_IDLE_DECAY_MS', default: 1_800_000, min: 0, description: 'A quiet gap lowers the baseline by at most this much time, so a key back from a quiet night meets its last active level.' },
  principals: { type: 'bool', env: 'LLM_AUDIT_TOKEN_SPIKE_PRINCIPALS', default: true, description: 'Also judge each principal of a key that more than one principal uses.' },
  maxPrincipals: { type: 'int', env: 'LLM_AUDIT_TOKEN_SPIKE_MAX_PRINCIPALS', default: 16, min: 0, description: 'Principals tracked per key (memory bound); later ones count only towards the key.' },
  principalIdleMs: { type: 'int', env: 'LLM_AUDIT_TOKEN_SPIKE_PRINCIPAL_IDLE_MS', default: 7_200_000, min: 60_000, description: 'A principal quiet this long (event time) is forgotten.' },
  fastFactor: { type: 'number', env: 'LLM_AUDIT_TOKEN_SPIKE_FAST_FACTOR', default: 6, min: 0, description: 'The fast test looks for a jump of the token rate to this multiple of the baseline (a CUSUM of the likelihood ratio, in seconds rather than minutes); 0 turns it off.' },
  fastThreshold: { type: 'number', env: 'LLM_AUDIT_TOKEN_SPIKE_FAST_THRESHOLD', default: 15, min: 1, description: 'Log-likelihood ratio (nats) of the fast test that fires: higher is fewer false alarms and later detection.' },
  fastMaxCallUnits: { type: 'number', env: 'LLM_AUDIT_TOKEN_SPIKE_FAST_MAX_CALL_UNITS', default: 6, min: 1, description: 'One call adds at most this many mean call sizes of evidence (a robust bound: one outlier call cannot carry the test).' },
  fastMinCalls: { type: 'int', env: 'LLM_AUDIT_TOKEN_SPIKE_FAST_MIN_CALLS', default: 4, min: 1, description: '...and at least this many calls (one huge call is not a spike in use).' },
  fastMinSpanMs: { type: 'int', env: 'LLM_AUDIT_TOKEN_SPIKE_FAST_MIN_SPAN_MS', default: 5_000, min: 0, description: 'The fast test\'s evidence must span at least this much event time (a fan-out of parallel calls at one instant is not a jump in rate).' },
  seasonal: { type: 'bool', env: 'LLM_AUDIT_TOKEN_SPIKE_SEASONAL', default: true, description: 'Learn each key\'s minute-of-hour (5-min buckets), hour-of-day and hour-of-week profiles: a pattern seen in the last two periods raises the expected rate for its bucket.' },
  weekSlots: { type: 'int', env: 'LLM_AUDIT_TOKEN_SPIKE_WEEK_SLOTS', default: 4, min: 0, max: 16, description: 'Hours of the week per key that the hour-of-week profile remembers (one number each): the busiest hours that the hour-of-day profile does not already expect, such as a Monday-morning batch.' },
  fastMinBaselineCalls: { type: 'number', env: 'LLM_AUDIT_TOKEN_SPIKE_FAST_MIN_BASELINE_CALLS', default: 5, min: 1, description: 'The fast test judges only a key whose baseline holds this many calls (a new key is left to the 5-minute window).' },
});
type Cfg = ReturnType<typeof config.parse>;

/**
 * One flat array per key (bytes per key matter more than elegance):
 * [u, win, long, last, first, calls, sq, lcalls, cusum, cusumSince, cusumCalls, cusumTokens, hour profile (5), day profile (9), week slots (weekSlots), 3 numbers per principal...]
 * (principals go without the noise term and the fast test, and are packed: see packPrincipal)
 * u: hash of the only principal seen so far, 0 none, -1 principals are tracked (a second one appeared).
 */
type State = number[];
const P = 3;
const H21 = 2 ** 21;
const S32 = 2 ** 32;
const Q26 = 2 ** 26;
const LQ = 2 ** 20;
/** Token sums log-quantised to 26 bits (steps of 2^(1/2^20): 7 parts in 10^7). */
const qlog = (x: number) => Math.min(Q26 - 1, Math.round(Math.log2(1 + Math.max(0, x)) * LQ));
const dlog = (q: number) => 2 ** (q / LQ) - 1;
const principalHash = (h: number) => (h % H21) || 1;
/**
 * A principal in three numbers instead of six (bytes per key): its hash (21 bits) and last call (epoch s, 32 bits);
 * its first call (epoch s) and its calls in the window (thousandths, 21 bits); its window and baseline tokens
 * (26 bits each). Unpacked into `p` = [win, long, last, first, calls] (ms) for add(), packed back after it.
 */
function unpackPrincipal(s: readonly number[], i: number, p: number[]): void {
  const a = s[i]!;
  const b = s[i + 1]!;
  const q = s[i + 2]!;
  p[0] = dlog(Math.floor(q / Q26));
  p[1] = dlog(q % Q26);
  p[2] = (a % S32) * 1000;
  p[3] = Math.floor(b / H21) * 1000;
  p[4] = (b % H21) / 1000;
}
function packPrincipal(s: number[], i: number, h: number, p: readonly number[]): void {
  s[i] = h * S32 + Math.floor(p[2]! / 1000);
  s[i + 1] = Math.floor(p[3]! / 1000) * H21 + Math.min(H21 - 1, Math.round(p[4]! * 1000));
  s[i + 2] = qlog(p[0]!) * Q26 + qlog(p[1]!);
}
const principalOf = (s: readonly number[], i: number) => Math.floor(s[i]! / S32);
const principalLast = (s: readonly number[], i: number) => (s[i]! % S32) * 1000;
const HO = 11;
const DO = HO + profileSize(HOUR_PROFILE);
const WO = DO + profileSize(DAY_PROFILE);
const HOUR = DAY_PROFILE.bucketMs;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
/** A verdict of add(), written into an object the detector reuses (add() runs on every event: no garbage per call). */
interface Judged { win: number; base: number; thr: number; calls: number; windowMs: number; llr: number | undefined }
const judged = (): Judged => ({ win: 0, base: 0, thr: 0, calls: 0, windowMs: 0, llr: undefined });

function create(c: Cfg): DetectorInstance<State> {
  const SUB = WO + c.weekSlots;
  const scratch = [0, 0, 0, 0, 0];
  const perMsPrior = c.defaultTokensPerMinute / 60_000;

  const lnK = Math.log(Math.max(c.fastFactor, 1.0001));

  /**
   * Adds a call of `tokens` at t (possibly before `last`, within lateness) to the subject at
   * s[o..] = win, long, last, first, calls (in the window); with `full` also the long sum of squared call
   * sizes, the long count of calls and the fast test's statistic. Gives the verdict of the slow window,
   * and of the fast test when it fires.
   */
  /** How many times the baseline the key's profiles expect at t (1 when they expect no more). */
  // add() asks for four times within minutes of each other, which mostly share their buckets: each bucket's
  // figures are worked out once per add() (forgotten by resetSeason()), from the same state and rate
  // doubles kept between calls live in a Float64Array: a closure's `let` holding a number outside the small
  // integers is a heap number, allocated again on every store (on every event)
  const kept = new Float64Array(9);
  const HOUR_AT = 0;
  const H_AT = 1;
  const DAY_AT = 2;
  const D_AT = 3;
  const W_AT = 4;
  /** The key's seasonal factor for the window test, for its principals. */
  const KEY_SEASON = 5;
  /** season()'s event time and rate, and its answer: a double passed to or returned from a call that is not inlined is a new heap number, four calls per event */
  const SEASON_T = 6;
  const SEASON_RATE = 7;
  const SEASON_OUT = 8;
  kept[KEY_SEASON] = 1;
  const resetSeason = (t: number, perMs: number) => {
    kept[HOUR_AT] = kept[DAY_AT] = NaN;
    kept[SEASON_T] = t;
    kept[SEASON_RATE] = perMs;
  };
  /** The season factor at the time set by resetSeason() plus `shift` ms (a small integer), into kept[SEASON_OUT]. */
  const seasonAt = (s: number[], o: number, shift: number): void => {
    const t = kept[SEASON_T]! + shift;
    const perMs = kept[SEASON_RATE]!;
    if (perMs <= 0) {
      kept[SEASON_OUT] = 1;
      return;
    }
    const hb = Math.floor(t / HOUR_PROFILE.bucketMs);
    if (hb !== kept[HOUR_AT]) {
      kept[HOUR_AT] = hb;
      kept[H_AT] = profileExpected(s, o + HO, HOUR_PROFILE, t) / (perMs * HOUR_PROFILE.bucketMs);
    }
    // the day profile's buckets are the week slots' hours
    const db = Math.floor(t / HOUR);
    if (db !== kept[DAY_AT]) {
      kept[DAY_AT] = db;
      kept[D_AT] = profileExpected(s, o + DO, DAY_PROFILE, t) / (perMs * HOUR);
      kept[W_AT] = c.weekSlots ? weekExpected(s, o + WO, c.weekSlots, t) / (perMs * HOUR) : 0;
    }
    kept[SEASON_OUT] = Math.max(1, kept[H_AT]!, kept[D_AT]!, kept[W_AT]!);
  };
  /**
   * Before the day profile folds a finished hour in: that hour (and any skipped, as empty) goes to the week
   * slots, which keep it when it held more than twice what the day profile expected for it (not the baseline:
   * by the end of a busy hour the baseline has partly learned it).
   */
  // a function of its own, not a closure in closeWeekHours: one capturing s and o made every call allocate a context
  const weekMin = (s: number[], o: number, b: number) => 2 * Math.max(profileExpected(s, o + DO, DAY_PROFILE, b * HOUR), 1);
  const closeWeekHours = (s: number[], o: number, t: number) => {
    const from = Math.floor(s[o + 2]! / HOUR);
    const to = Math.floor(t / HOUR);
    if (to <= from) return;
    weekClose(s, o + WO, c.weekSlots, from, s[o + DO + profileSize(DAY_PROFILE) - 1]!, weekMin(s, o, from));
    for (let b = Math.max(from + 1, to - WEEK_HOURS); b < to; b++) weekClose(s, o + WO, c.weekSlots, b, 0, weekMin(s, o, b));
  };

  const setJudged = (r: Judged, win: number, base: number, thr: number, calls: number, llr: number | undefined): void => {
    r.win = win;
    r.base = base;
    r.thr = thr;
    r.calls = calls;
    r.windowMs = c.windowMs;
    r.llr = llr;
  };
  // the verdicts of the key (slow and fast) and of a principal, filled by add() and read before the next call
  const keySlow = judged();
  const keyFast = judged();
  const principalSlow = judged();

  /** Fills `slow` with the slow window's verdict; true when the fast test fires (its verdict in `fast`). */
  const add = (s: number[], o: number, t: number, tokens: number, full: boolean, slow: Judged, fast: Judged): boolean => {
    if (full && c.seasonal) {
      if (c.weekSlots) closeWeekHours(s, o, t);
      profileAdd(s, o + HO, HOUR_PROFILE, s[o + 2]!, t, tokens);
      profileAdd(s, o + DO, DAY_PROFILE, s[o + 2]!, t, tokens);
    }
    const dt = t > s[o + 2]! ? t - s[o + 2]! : 0;
    if (dt > 0) {
      const dw = Math.exp(-dt / c.windowMs);
      s[o] = s[o]! * dw;
      s[o + 4] = s[o + 4]! * dw;
      const d = Math.exp(-Math.min(dt, c.maxIdleDecayMs) / c.baselineMs);
      s[o + 1] = s[o + 1]! * d;
      if (full) {
        s[o + 5] = s[o + 5]! * d;
        s[o + 6] = s[o + 6]! * d;
      }
      s[o + 2] = t;
    }
    const late = s[o + 2]! - t;
    const w = late > 0 ? Math.exp(-late / c.windowMs) : 1;
    const wl = late > 0 ? Math.exp(-late / c.baselineMs) : 1;
    // `long` holds only the subject's own calls (an EWMA started at its first call, hence the bias
    // correction); during its first defaultWeightMs the default fills the part of history not yet seen
    const age = s[o + 2]! - s[o + 3]!;
    const span = c.baselineMs * oneMinusExp(age / c.baselineMs);
    const own = span > 0 ? s[o + 1]! / span : 0;
    const rate = age >= c.defaultWeightMs ? own : (perMsPrior * (c.defaultWeightMs - age) + own * age) / c.defaultWeightMs;
    // a subject younger than the window has only part of a window behind it: expect only that part
    const base = rate * c.windowMs * oneMinusExp(age / c.windowMs);
    // calls arrive as a compound Poisson process: the window's variance is rate x E[size^2] x windowMs/2,
    // so a key of few, large, irregular calls needs more than `factor` to stand out
    // (only once it has its own baseline: a few calls say little about their spread)
    const sd = full && age >= c.defaultWeightMs ? Math.sqrt((((s[o + 5]! / span) * c.windowMs) * oneMinusExp((2 * age) / c.windowMs)) / 2) : 0;
    // a pattern the key showed in its last two hours (or days) at this time is expected, not a spike: the
    // fast test looks a minute either side of t (a job that starts early or late), the window as far back
    // as it reaches (it still holds the job's tokens after the job ends)
    let fastSeason = 1;
    if (full) {
      kept[KEY_SEASON] = 1;
      if (c.seasonal && age >= c.defaultWeightMs) {
        resetSeason(t, own);
        // Math.max(season(t - 60 s), season(t), season(t + 60 s)), then with season(t - windowMs), in that order
        seasonAt(s, o, -60_000);
        const before = kept[SEASON_OUT]!;
        seasonAt(s, o, 0);
        const at = kept[SEASON_OUT]!;
        seasonAt(s, o, 60_000);
        fastSeason = Math.max(before, at, kept[SEASON_OUT]!);
        seasonAt(s, o, -c.windowMs);
        kept[KEY_SEASON] = Math.max(fastSeason, kept[SEASON_OUT]!);
      }
    }
    const sf = kept[KEY_SEASON]!;
    const thr = Math.max(c.factor * base * sf, base * sf + c.sigmas * sd * Math.sqrt(sf), c.minTokens);
    s[o] = s[o]! + tokens * w;
    s[o + 4] = s[o + 4]! + w;
    let m = s[o]! > thr ? Math.min(1, thr / s[o]!) : 1;
    let fired = false;
    if (full) {
      // The fast test: a CUSUM of the log-likelihood ratio of "token rate x fastFactor" against "the
      // baseline", token mass counted in units of the mean call (a Poisson count of units), scaled by the
      // dispersion of call sizes (quasi-likelihood). Each unit adds ln k, each ms of time takes away
      // (k-1) x units expected per ms: the statistic sinks at the baseline and climbs within a few calls
      // of a k-fold jump, so the evidence needed is counted, not waited for.
      const n = s[o + 6]!;
      if (c.fastFactor > 1 && n >= c.fastMinBaselineCalls && age >= c.defaultWeightMs && s[o + 1]! > 0) {
        const m0 = s[o + 1]! / n;
        const disp = Math.max(1, s[o + 5]! / n / (m0 * m0));
        const lambda = (n / span) * fastSeason;
        let llr = s[o + 7]! - ((c.fastFactor - 1) * lambda * dt) / disp;
        // an excursion starts where the statistic last left zero
        if (llr <= 0) {
          llr = 0;
          // the excursion starts with this call: its rate is what comes after it
          s[o + 8] = t;
          s[o + 9] = 1;
          s[o + 10] = 0;
        } else {
          // the earliest call of the excursion marks its start, also when calls arrive out of order
          if (t < s[o + 8]!) s[o + 8] = t;
          s[o + 9] = s[o + 9]! + 1;
          s[o + 10] = s[o + 10]! + tokens;
        }
        // the excursion's rate, over a whole window, must clear the window test's floor too (a tiny key's jump is not worth an alert)
        const exSpan = Math.max(s[o + 2]! - s[o + 8]!, c.fastMinSpanMs);
        // in a busy season calls may be bigger too: the cap is in the season's units
        llr += (Math.min(tokens / m0, c.fastMaxCallUnits * fastSeason) * lnK) / disp;
        // held at the threshold: a spike's hundreds of nats would otherwise take the statistic an hour to lose
        // on a slow key, and the first ordinary call after the spike would find it still high
        s[o + 7] = Math.min(llr, c.fastThreshold);
        // ...and the excursion as a whole must show a jump (half the factor), not just a statistic that
        // crept up over a long quiet stretch, with the 5-minute window at least at its baseline (a burst
        // after a lull is the lull's make-up)
        const exRate = s[o + 10]! / exSpan;
        if (llr >= c.fastThreshold && s[o + 2]! - s[o + 8]! >= c.fastMinSpanMs && s[o + 9]! >= c.fastMinCalls && exRate * c.windowMs > c.minTokens && exRate >= 0.5 * c.fastFactor * own * fastSeason && s[o]! >= base * sf) {
          setJudged(fast, s[o]!, base, thr, s[o + 4]!, llr);
          fired = true;
          // a spike the fast test sees teaches the baseline a tenth of itself
          m = Math.min(m, 0.1);
        }
      }
    }
    // over the threshold it learns at most the threshold's rate: a short spike barely moves the baseline,
    // a lasting new level is accepted within about one baselineMs. The call counts with the same weight,
    // so the mean call size and its spread stay those of normal use.
    s[o + 1] = s[o + 1]! + tokens * wl * m;
    if (full) {
      s[o + 5] = s[o + 5]! + tokens * tokens * m * wl;
      s[o + 6] = s[o + 6]! + m * wl;
    }
    setJudged(slow, s[o]!, base, thr, s[o + 4]!, undefined);
    // the state keeps whole tokens and thousandths of calls and nats: a checkpoint of short numbers (a double
    // printed in full is ~18 characters), and a restored key computes on exactly what the live one held
    s[o] = Math.round(s[o]!);
    s[o + 1] = Math.round(s[o + 1]!);
    s[o + 4] = r3(s[o + 4]!);
    if (full) {
      s[o + 5] = Math.round(s[o + 5]!);
      s[o + 6] = r3(s[o + 6]!);
      s[o + 7] = r3(s[o + 7]!);
    }
    return fired;
  };

  const finding = (o: Observation, r: Judged, principal: string | null): Finding => {
    const ratio = r.base > 0 ? r.win / r.base : null;
    return {
      kind: principal ? 'principal_tokens' : 'key_tokens',
      // one incident per key, whichever subject showed it first
      incident: 'tokens',
      severity: ratio !== null && ratio >= 10 ? 'high' : 'medium',
      score: ratio ?? r.win,
      message: `${principal ? 'A principal of API key' : 'API key'} ${o.event.api_key_id} used ${Math.round(r.win)} tokens in ~${Math.round(c.windowMs / 60_000)} min${r.llr !== undefined ? ` (the fast test: its rate jumped about ${c.fastFactor}x)` : ''}, ${ratio !== null ? `${ratio.toFixed(1)}x` : 'far above'} its baseline of ${Math.round(r.base)}`,
      evidence: {
        subject: principal ? 'principal' : 'api_key',
        observed_tokens: Math.round(r.win),
        baseline_tokens: Math.round(r.base),
        threshold_tokens: Math.round(r.thr),
        ratio: ratio === null ? null : Math.round(ratio * 10) / 10,
        factor: c.factor,
        sigmas: c.sigmas,
        min_tokens: c.minTokens,
        calls: Math.round(r.calls),
        window_s: r.windowMs / 1000,
        ...(r.llr !== undefined ? { test: 'fast', llr: Math.round(r.llr * 10) / 10, fast_factor: c.fastFactor } : { test: 'window' }),
        baseline_window_s: c.baselineMs / 1000,
        model: o.event.model,
      },
      principal_id: o.event.principal_id,
      source_ip: o.event.source_ip,
      country: o.geo?.country_iso_code ?? null,
    };
  };

  const fresh = (t: number): State => {
    const s = new Array<number>(1 + SUB).fill(0);
    s[3] = s[4] = s[9] = t;
    return s;
  };

  return {
    observe(o, st, emit) {
      // refused calls consume no tokens (and bursts of them are invalid_request_burst's)
      if (o.late || o.event.status_code >= 400) return st;
      const tokens = o.event.input_tokens + o.event.output_tokens;
      const t = o.t;
      let s: State = st ?? fresh(t);
      const fastFired = add(s, 1, t, tokens, true, keySlow, keyFast);
      let fired = false;
      if (keySlow.win > keySlow.thr && keySlow.calls >= c.minCalls) {
        emit(finding(o, keySlow, null));
        fired = true;
      } else if (fastFired) {
        emit(finding(o, keyFast, null));
        fired = true;
      }
      const pid = o.event.principal_id;
      if (c.principals && pid) {
        const h = hash32(pid);
        if (s[0] === 0) s[0] = h;
        else if (s[0] !== h) {
          s[0] = -1;
          const ph = principalHash(h);
          let at = -1;
          for (let i = 1 + SUB; i < s.length; i += P) if (principalOf(s, i) === ph) at = i;
          if (at < 0 && (s.length - 1 - SUB) / P < c.maxPrincipals) {
            at = s.length;
            // a new array of the exact size: push() would leave spare capacity in every key's state
            s = spliceNumbers(s, s.length, [0, 0, 0]);
            packPrincipal(s, at, ph, [0, 0, t, t, 0]);
          }
          if (at >= 0) {
            unpackPrincipal(s, at, scratch);
            add(scratch, 0, t, tokens, false, principalSlow, keyFast);
            const rp = principalSlow;
            packPrincipal(s, at, ph, scratch);
            if (!fired && rp.win > rp.thr && rp.calls >= c.minCalls) emit(finding(o, rp, pid));
          }
        }
      }
      return s;
    },
    expire(s, now) {
      for (let i = s.length - P; i >= 1 + SUB; i -= P) if (now - principalLast(s, i) > c.principalIdleMs) s = spliceNumbers(s, i, [], P);
      return s;
    },
  };
}

const T0 = Date.UTC(2026, 0, 5, 9);
const steady = (from: number, to: number, key: string, tokens: number, everyMs: number) =>
  series(from, to, everyMs, (t, i) => fixtureEvent({ occurred_at: t, api_key_id: key, principal_id: `user-${i % 2}`, input_tokens: Math.round(tokens * 0.6), output_tokens: Math.round(tokens * 0.4) }));

export const detector = defineDetector({
  name: 'token_spike',
  description: 'Tokens per key or principal over a short event-time window far above the baseline learned for it.',
  severity: 'medium',
  knownGaps: [
    'Seasonality is per minute of the hour, hour of the day and hour of the week (UTC); the week remembers only weekSlots hours per key (the busiest beyond the daily pattern), so a key with more weekly-only busy hours than that alerts on the rest.',
    'A pattern is expected once seen twice: a key attacked at the same time two days running would have the attack expected on the third.',
    'A slow key (a few calls a minute) whose call rate rises four- or fivefold, with calls under twice their usual size, needs 35-85 s of calls before the fast test finds the jump significant: its first 30 s hold no more evidence than the bursts of ordinary keys.',
    'A key of under ~5 calls an hour holds fewer than fastMinBaselineCalls calls in its baseline and is left to the window test (its 10 calls take a minute or more).',
    'A burst of a few seconds at 6x or more on a steady key can fire the fast test.',
    'Principals beyond maxPrincipals per key are judged only through their key.',
    'An attacker who ramps slowly (over more than baselineMs) is learned as the new normal.',
    'A spike within a key\'s first defaultWeightMs is judged against the (generous) default; a key under ~500 tokens/min can spike tenfold and stay under minTokens.',
  ],
  config,
  clearAfterMs: (c) => c.windowMs * 2,
  create,
  fixtures: {
    fires: {
      description: 'A key at ~5k tokens/min for an hour, then 60k tokens/min for five minutes.',
      events: () => [...steady(T0, T0 + 3_600_000, 'key_spiky', 2_500, 30_000), ...steady(T0 + 3_600_000, T0 + 3_900_000, 'key_spiky', 10_000, 10_000)],
    },
    quiet: {
      description: 'A key growing threefold over three hours, with noise.',
      events: () =>
        series(T0, T0 + 3 * 3_600_000, 20_000, (t, i) =>
          fixtureEvent({ occurred_at: t, api_key_id: 'key_growing', principal_id: `user-${i % 3}`, input_tokens: Math.round((1_000 + (2_000 * (t - T0)) / (3 * 3_600_000)) * (0.5 + ((i * 7919) % 100) / 100)), output_tokens: 500 }),
        ),
    },
  },
});
