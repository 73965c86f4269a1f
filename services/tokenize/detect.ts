import { findNames, type NameSpan } from './names.js';
import { findFieldNames } from './names-fields.js';
import { ENTITY_DEFS, ENTITY_TYPES, type EntityType } from './entities/index.js';
import type { ScanContext } from './entities/registry.js';
import { findSecrets, type Family } from './credentials/index.js';
import { luhnOk, ssnOk } from './validators.js';
import { wrappedPhone } from './entities/phone.js';

export { ENTITY_TYPES, type EntityType } from './entities/index.js';

export interface Span {
  type: EntityType;
  start: number;
  end: number;
  /** SECRET only: who issued the credential (`github`, `aws`, `generic`...). */
  provider?: string;
  /** SECRET only: the credential type (`github_pat`, `postgres_password`...). */
  subtype?: string;
  /** SECRET only: provider family (`llm`, `cloud`, `private_key`...). */
  family?: Family;
}

/** Lower rank wins an overlap: a JWT that contains digits is a SECRET, not a phone. Ranks live in each entity's file. */
const RANK: Record<string, number> = Object.fromEntries([['TOKEN', 0], ...ENTITY_DEFS.map((d) => [d.type, d.rank])]);
const FINDERS = ENTITY_DEFS.filter((d) => d.find);

/** Tokens this stage wrote earlier; never re-tokenized (idempotent on replays). */
export const TOKEN_RE = new RegExp(`<(?:${ENTITY_TYPES.join('|')}):([A-Za-z0-9_-]{1,16}):([0-9a-f]{16})>`, 'g');
/**
 * TOKEN_RE without its groups, for the scan: a field of a million token shapes makes a match per token, and the
 * groups would be two more strings each (a token's slots are read once per distinct token, in fakeToken).
 */
const TOKEN_SCAN = new RegExp(`<(?:${ENTITY_TYPES.join('|')}):[A-Za-z0-9_-]{1,16}:[0-9a-f]{16}>`, 'g');
/** What a key version looks like (k1, v2, key2026); anything else in that slot is a value someone wrapped. */
const VERSION_LIKE = /^[A-Za-z]{0,4}\d{0,4}$/;

function eachMatch(re: RegExp, text: string, fn: (m: RegExpExecArray) => number | void): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const next = fn(m);
    if (typeof next === 'number') re.lastIndex = next;
    else if (m[0].length === 0) re.lastIndex++;
  }
}

export interface DetectOptions {
  /** Types to look for (default: all). */
  types?: ReadonlySet<EntityType>;
  /**
   * Whether a token-shaped string is one this deployment wrote (configured key version, MAC tag checks out).
   * Only those are left alone; without this option every token-shaped string is scanned like other text.
   */
  isOwnToken?: (token: string) => boolean;
}

/** All entity spans in `text`, non-overlapping, in text order. Existing tokens are left alone. */
export function detect(text: string, opts: DetectOptions = {}): Span[] {
  const want = opts.types;
  const on = (t: EntityType) => !want || want.has(t);
  const cands: (Span | { type: 'TOKEN'; start: number; end: number })[] = [];

  const own = opts.isOwnToken;
  if (text.indexOf('<') !== -1) {
    const slots: Slots = { calls: 256, scans: 1024, seen: new Map() };
    // a replayed field repeats its tokens: each distinct one is read once (its tag checked: a hash; its slots
    // scanned), and each repeat costs a lookup and its spans moved to where it stands
    const read = new Map<string, TokenRead>();
    eachMatch(TOKEN_SCAN, text, (m) => {
      const tok = m[0];
      let r = read.get(tok);
      if (r === undefined) {
        r = own && own(tok) ? OWN : fakeToken(tok, opts.types, slots);
        // (a slot result the slot cache could not keep would be scanned again, budget permitting: not kept either)
        if (read.size < 4096 && slots.seen.size < 4096) read.set(tok, r);
      }
      const at = m.index;
      if (r === OWN) {
        cands.push({ type: 'TOKEN', start: at, end: at + tok.length });
        return;
      }
      for (const x of r.spans) cands.push({ ...x, start: x.start + at, end: x.end + at });
      // the phone check runs on every occurrence: it spends the field's library budget, and past it answers by length
      if (r.phone !== undefined && wrappedPhone(r.phone, slots)) cands.push({ type: 'PHONE', start: r.phoneAt + at, end: r.phoneAt + at + r.phone.length });
    });
  }

  if (on('SECRET')) for (const f of findSecrets(text)) cands.push({ type: 'SECRET', start: f.start, end: f.end, provider: f.provider, subtype: f.subtype, family: f.family });
  const ctx: ScanContext = { hasDigit: /\d/.test(text), hasAt: text.indexOf('@') !== -1, hasDot: text.indexOf('.') !== -1, hasColon: text.indexOf(':') !== -1 };
  for (const def of FINDERS) if (on(def.type)) def.find!(text, cands, ctx);
  if (on('PERSON')) {
    const names: NameSpan[] = [];
    findNames(text, names);
    findFieldNames(text, names);
    for (const n of names) cands.push({ type: 'PERSON', start: n.start, end: n.end });
  }
  return resolve(cands as (Span | { type: 'TOKEN'; start: number; end: number })[], text);
}

/**
 * A token-shaped string we did not write: its slots are scanned on their own (the `<`, `:` and hex around a value
 * defeat the detectors' boundaries), and a version slot that is no version is taken as a wrapped value.
 */
/**
 * Per field: library calls left for wrapped phones, slot scans left, and what a slot already seen gave (a field
 * of repeated token shapes scans each distinct slot once; past `scans` distinct ones, only the cheap checks run).
 */
interface Slots {
  calls: number;
  scans: number;
  seen: Map<string, Span[]>;
}

function scanSlot(slot: string, types: ReadonlySet<EntityType> | undefined, slots: Slots): Span[] {
  let got = slots.seen.get(slot);
  if (got) return got;
  if (slots.scans <= 0) {
    // past the bound: sixteen digits that pass Luhn are taken as a card, anything else is left to the checks below
    got = /^\d{16}$/.test(slot) && luhnOk(slot) && (!types || types.has('CREDIT_CARD')) ? [{ type: 'CREDIT_CARD', start: 0, end: 16 }] : [];
  } else {
    slots.scans--;
    got = detect(slot, { types });
  }
  if (slots.seen.size < 4096) slots.seen.set(slot, got);
  return got;
}

/** What a token-shaped string holds, relative to its start: spans, and digits to ask the phone check about. */
interface TokenRead {
  spans: Span[];
  phone?: string;
  phoneAt: number;
}
/** A token this deployment wrote: left alone. */
const OWN: TokenRead = { spans: [], phoneAt: 0 };

function fakeToken(tok: string, types: ReadonlySet<EntityType> | undefined, slots: Slots): TokenRead {
  const out: Span[] = [];
  const read: TokenRead = { spans: out, phoneAt: 0 };
  // `<TYPE:version:hex>`: the type has no `:`, the hex is the sixteen characters before the `>`
  const vs = tok.indexOf(':') + 1;
  const hs = tok.length - 17;
  const version = tok.slice(vs, hs - 1);
  const hex = tok.slice(hs, -1);
  // a version-shaped slot (k1, v2, key2026: at most four letters and four digits) holds no value, and in the hex
  // slot only sixteen digits can be one: a value with hex letters after it has no boundary any detector accepts
  // (the padded runs are checked below)
  const versionLike = VERSION_LIKE.test(version);
  const inVersion = versionLike ? [] : scanSlot(version, types, slots);
  for (const s of inVersion) out.push({ ...s, start: s.start + vs, end: s.end + vs });
  if (inVersion.length === 0 && !versionLike && (!types || types.has('SECRET'))) {
    out.push({ type: 'SECRET', start: vs, end: vs + version.length, provider: 'generic', subtype: 'fake_token_wrapper', family: 'other' });
  }
  if (/^\d+$/.test(hex)) for (const s of scanSlot(hex, types, slots)) out.push({ ...s, start: s.start + hs, end: s.end + hs });
  // a digit run padded with hex letters (502669018eccecee, 3047636165dadedd) is a value someone wrapped: random hex
  // has that shape about once in 6,000 slots (the shape, not the plan check, keeps other deployments' tokens intact:
  // most 10-digit runs are valid in one of the default plans)
  const run = /^(\d{8,12})[a-f]+$/.exec(hex);
  if (!run) return read;
  const d = run[1]!;
  if (d.length === 9 && (!types || types.has('US_SSN')) && ssnOk(d.slice(0, 3), d.slice(3, 5), d.slice(5))) out.push({ type: 'US_SSN', start: hs, end: hs + 9 });
  else if (!types || types.has('PHONE')) {
    read.phone = d;
    read.phoneAt = hs;
  }
  return read;
}

/**
 * The words of a name that a stronger finding does not cover ("Eleonora" when a street address took "Rossi" with its
 * line): they are still a name, and dropping the whole name would leave them in the text.
 */
function outside(text: string, c: { start: number; end: number }, clashes: (a: number, b: number) => boolean): Span[] {
  const out: Span[] = [];
  let run: Span | null = null;
  for (const m of text.slice(c.start, c.end).matchAll(/[\p{L}\p{M}'’-]+/gu)) {
    const a = c.start + m.index;
    const b = a + m[0].length;
    if (clashes(a, b)) run = null;
    else if (run && /^[ \t\u00a0]+$/.test(text.slice(run.end, a))) run.end = b;
    else out.push((run = { type: 'PERSON', start: a, end: b }));
  }
  return out;
}

type Cand = { type: EntityType | 'TOKEN'; start: number; end: number };
/** Overlap priority: lower rank first, then longer, then earlier (the sort is stable: then as found). */
const byRank = (a: Cand, b: Cand) => RANK[a.type]! - RANK[b.type]! || b.end - b.start - (a.end - a.start) || a.start - b.start;
/** Each type's place in rank order (ranks are unique): the bucket of a counting sort. */
const PLACE = new Map<string, number>([['TOKEN', 0], ...ENTITY_DEFS.map((d, i) => [d.type, i + 1] as const)]);

/**
 * `cands` in `byRank` order, for many candidates: bucketed by rank (stable), and a bucket sorted only when it is not
 * in order already. A finder reports in text order and a hostile field repeats one length, so a megabyte of
 * candidates is usually two linear passes, not a sort with a comparator.
 */
function ranked(cands: Cand[]): Cand[] {
  const count = new Array<number>(PLACE.size + 1).fill(0);
  const place = new Uint8Array(cands.length);
  for (let i = 0; i < cands.length; i++) count[(place[i] = PLACE.get(cands[i]!.type)!) + 1]!++;
  for (let b = 1; b < count.length; b++) count[b]! += count[b - 1]!;
  const from = count.slice();
  const out = new Array<Cand>(cands.length);
  for (let i = 0; i < cands.length; i++) out[count[place[i]!]!++] = cands[i]!;
  for (let b = 0; b < PLACE.size; b++) {
    const lo = from[b]!;
    const hi = from[b + 1]!;
    let sorted = true;
    for (let i = lo + 1; i < hi && sorted; i++) {
      const p = out[i - 1]!;
      const c = out[i]!;
      const lp = p.end - p.start;
      const lc = c.end - c.start;
      sorted = lc < lp || (lc === lp && c.start >= p.start);
    }
    if (!sorted) {
      const part = out.slice(lo, hi).sort(byRank);
      for (let i = lo; i < hi; i++) out[i] = part[i - lo]!;
    }
  }
  return out;
}

/** Most runs mergeRuns takes on (a finder's output is one run; a field dense with findings has a few finders' worth). */
const MAX_RUNS = 8;

/**
 * `cands` without its TOKEN candidates, in text order, when no two of them overlap; else null. A finder reports in
 * text order, so `cands` is a few runs, each in order (a megabyte of `x@y.com 4111 1111 1111 1111` is a run of
 * addresses and a run of cards): merged, they are checked and ordered in one pass, where ranking them and marking an
 * occupancy map would take a sort and a pass per character. Nothing overlapping, every candidate is taken, as resolve's
 * general path would take it.
 */
function mergeRuns(cands: Cand[]): Span[] | null {
  const from: number[] = [0];
  for (let i = 1; i < cands.length; i++) {
    if (cands[i]!.start < cands[i - 1]!.end) {
      if (from.length === MAX_RUNS) return null;
      from.push(i);
    }
  }
  const runs = from.length;
  const at = from.slice();
  const to = from.slice(1);
  to.push(cands.length);
  const out: Span[] = [];
  let prevEnd = -1;
  for (;;) {
    // the run whose next candidate starts first (starts are distinct unless two overlap, which ends the merge)
    let best = -1;
    let bestStart = Infinity;
    for (let r = 0; r < runs; r++) {
      if (at[r]! < to[r]! && cands[at[r]!]!.start < bestStart) {
        best = r;
        bestStart = cands[at[r]!]!.start;
      }
    }
    if (best === -1) return out;
    const c = cands[at[best]!++]!;
    if (c.start < prevEnd || c.end <= c.start) return null;
    prevEnd = c.end;
    if (c.type !== 'TOKEN') out.push(c as Span);
  }
}

function resolve(cands: Cand[], text: string): Span[] {
  if (cands.length === 0) return [];
  if (cands.length === 1) return cands[0]!.type === 'TOKEN' ? [] : [cands[0] as Span];
  if (cands.length > 32) {
    // a field dense with findings of one finder (a megabyte of `Alice: hi`) arrives in text order with no overlap:
    // nothing to rank, every candidate is taken. One linear check instead of two sorts of every candidate
    let disjoint = true;
    let tokens = 0;
    let prevEnd = -1;
    for (const c of cands) {
      if (c.start < prevEnd || c.end <= c.start) {
        disjoint = false;
        break;
      }
      prevEnd = c.end;
      if (c.type === 'TOKEN') tokens++;
    }
    if (disjoint) return (tokens ? cands.filter((c) => c.type !== 'TOKEN') : cands) as Span[];
    const merged = mergeRuns(cands);
    if (merged) return merged;
  }
  if (cands.length <= 32) cands.sort(byRank);
  else cands = ranked(cands);
  const taken: { start: number; end: number; type: string }[] = [];
  if (cands.length <= 32) {
    for (const c of cands) {
      let clash = false;
      for (const t of taken) {
        if (c.start < t.end && t.start < c.end) {
          clash = true;
          break;
        }
      }
      if (!clash) taken.push(c);
      else if (c.type === 'PERSON') for (const r of outside(text, c, (a, b) => taken.some((t) => a < t.end && t.start < b))) taken.push(r);
    }
  } else {
    // many candidates (hostile or huge text): an occupancy map keeps this linear instead of quadratic
    let max = 0;
    for (const c of cands) if (c.end > max) max = c.end;
    const used = new Uint8Array(max);
    for (const c of cands) {
      let clash = false;
      for (let k = c.start; k < c.end; k++) {
        if (used[k]) {
          clash = true;
          break;
        }
      }
      if (clash) {
        if (c.type === 'PERSON') for (const r of outside(text, c, (a, b) => used.subarray(a, b).includes(1))) {
          used.fill(1, r.start, r.end);
          taken.push(r);
        }
        continue;
      }
      for (let k = c.start; k < c.end; k++) used[k] = 1;
      taken.push(c);
    }
    // what was taken does not overlap: in text order by where each starts, one pass over the field instead of a
    // sort (taken comes rank by rank, so its runs interleave)
    // (an empty candidate would share its start with another: those fields take the sort)
    if (taken.every((t) => t.end > t.start)) {
      const at = new Int32Array(max);
      for (let i = 0; i < taken.length; i++) if (taken[i]!.type !== 'TOKEN') at[taken[i]!.start] = i + 1;
      const out: Span[] = [];
      for (let k = 0; k < max; k++) if (at[k]) out.push(taken[at[k]! - 1] as Span);
      return out;
    }
  }
  return (taken.filter((t) => t.type !== 'TOKEN') as Span[]).sort((a, b) => a.start - b.start);
}
