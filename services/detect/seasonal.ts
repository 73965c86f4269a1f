/**
 * Seasonal profiles of a per-key quantity (tokens), packed into a few numbers of a detector's flat state.
 *
 * A profile has B buckets of Z ms over a period of B x Z (12 x 5 min: the minute of the hour; 24 x 1 h: the
 * hour of the day, UTC). For each bucket it keeps the amount of its last two periods, log-quantized to 8 bits
 * each (steps of 2^(1/8), 9%), three buckets to a number (48 bits, exact in a double). The amount a bucket is
 * expected to hold is the smaller of its last two: a pattern counts once it has been seen twice, and one
 * spike does not teach the profile to expect another.
 */
export interface ProfileSpec {
  buckets: number;
  bucketMs: number;
}

export const HOUR_PROFILE: ProfileSpec = { buckets: 12, bucketMs: 300_000 };
export const DAY_PROFILE: ProfileSpec = { buckets: 24, bucketMs: 3_600_000 };

const PER_NUMBER = 3;
const SLOT = 65_536;

/** Numbers a profile takes in state: its packed buckets plus the running amount of the current bucket. */
export const profileSize = (p: ProfileSpec) => Math.ceil(p.buckets / PER_NUMBER) + 1;

const enc = (amount: number) => (amount <= 0 ? 0 : Math.min(255, Math.round(Math.log2(1 + amount) * 8)));
// tables of the same doubles the expressions give: the hot path reads profiles several times per event
const DEC = Array.from({ length: 256 }, (_, v) => (v === 0 ? 0 : 2 ** (v / 8) - 1));
const dec = (v: number) => DEC[v]!;
const SLOT_W = Array.from({ length: PER_NUMBER }, (_, i) => SLOT ** i);

function getSlot(s: number[], o: number, i: number): number {
  const n = s[o + Math.floor(i / PER_NUMBER)]!;
  return Math.floor(n / SLOT_W[i % PER_NUMBER]!) % SLOT;
}

function setSlot(s: number[], o: number, i: number, v: number): void {
  const at = o + Math.floor(i / PER_NUMBER);
  const w = SLOT_W[i % PER_NUMBER]!;
  const n = s[at]!;
  s[at] = n - (Math.floor(n / w) % SLOT) * w + v * w;
}

/**
 * Adds `amount` at t to the profile at s[o..]; `last` is the subject's previous event time (before this
 * event). Finished buckets (and any skipped, as empty) are folded in. A late event of an already closed
 * bucket only counts towards the current one.
 */
export function profileAdd(s: number[], o: number, p: ProfileSpec, last: number, t: number, amount: number): void {
  const acc = o + Math.ceil(p.buckets / PER_NUMBER);
  const from = Math.floor(last / p.bucketMs);
  const to = Math.floor(t / p.bucketMs);
  if (to > from) {
    // at most one period of buckets to close: older ones would be overwritten anyway
    const first = Math.max(from, to - p.buckets);
    for (let b = first; b < to; b++) {
      const i = b % p.buckets;
      const v = getSlot(s, o, i);
      setSlot(s, o, i, (b === from ? enc(s[acc]!) : 0) + (v % 256) * 256);
    }
    s[acc] = 0;
  }
  s[acc] = s[acc]! + amount;
}

/** What the profile expects the bucket holding t to hold: the smaller of its last two periods. */
export function profileExpected(s: number[], o: number, p: ProfileSpec, t: number): number {
  const v = getSlot(s, o, Math.floor(t / p.bucketMs) % p.buckets);
  return Math.min(dec(v % 256), dec(Math.floor(v / 256)));
}

/**
 * Hour of the week, as a bounded list of exceptions to the hour-of-day profile (168 buckets of two periods would
 * be 56 numbers per key; most keys have no weekly pattern beyond their daily one). An hour that held at least
 * `minAmount` (the caller's "well above what the day profile and the baseline expect") takes a slot, or refreshes
 * its slot; the slot expects, one week later, the smaller of its last two weeks: a weekly pattern counts once it
 * has been seen twice. A slot whose hour came back quiet, or that skipped a week, expects nothing.
 * One number per slot: hour of week (8 bits), week number mod 2^16, last level, expected level (8 bits each).
 */
export const WEEK_HOURS = 168;
const HOUR_MS = 3_600_000;
const W16 = 65_536;

const slotHow = (v: number) => v % 256;
const slotWeek = (v: number) => Math.floor(v / 256) % W16;
const slotLast = (v: number) => Math.floor(v / (256 * W16)) % 256;
const slotExp = (v: number) => Math.floor(v / (256 * W16 * 256)) % 256;
const packSlot = (how: number, week: number, last: number, exp: number) => how + 256 * ((week % W16) + W16 * (last + 256 * exp));

/** Closes the hour bucket `b` (hours since the epoch) that held `amount`, in the `n` week slots at s[o..]. */
export function weekClose(s: number[], o: number, n: number, b: number, amount: number, minAmount: number): void {
  const how = b % WEEK_HOURS;
  const week = Math.floor(b / WEEK_HOURS) % W16;
  const lvl = enc(amount);
  let free = -1;
  let weakest = -1;
  for (let i = 0; i < n; i++) {
    const v = s[o + i]!;
    if (v === 0) {
      if (free < 0) free = i;
      continue;
    }
    if (slotHow(v) === how) {
      const lastWeek = (week - slotWeek(v) + W16) % W16 === 1;
      const exp = lastWeek ? Math.min(slotLast(v), lvl) : 0;
      // a slot quiet two weeks running is freed
      s[o + i] = amount < minAmount && exp === 0 ? 0 : packSlot(how, week, lvl, exp);
      return;
    }
    // a slot not refreshed for two weeks can go; otherwise the one with the least to expect
    if (weakest < 0 || strengthOf(v, week) < strengthOf(s[o + weakest]!, week)) weakest = i;
  }
  if (amount < minAmount) return;
  const at = free >= 0 ? free : weakest >= 0 && strengthOf(s[o + weakest]!, week) < lvl ? weakest : -1;
  if (at >= 0) s[o + at] = packSlot(how, week, lvl, 0);
}

function strengthOf(v: number, week: number): number {
  return (week - slotWeek(v) + W16) % W16 > 1 ? -1 : Math.max(slotLast(v), slotExp(v));
}

/** What the week slots expect the hour holding t to hold (0: nothing beyond the day profile). */
export function weekExpected(s: number[], o: number, n: number, t: number): number {
  const b = Math.floor(t / HOUR_MS);
  const how = b % WEEK_HOURS;
  const week = Math.floor(b / WEEK_HOURS) % W16;
  for (let i = 0; i < n; i++) {
    const v = s[o + i]!;
    if (v !== 0 && slotHow(v) === how) {
      const age = (week - slotWeek(v) + W16) % W16;
      return age <= 1 ? dec(slotExp(v)) : 0;
    }
  }
  return 0;
}
