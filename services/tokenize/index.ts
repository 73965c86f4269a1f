import { detect, ENTITY_TYPES, type DetectOptions, type EntityType, type Span } from './detect.js';
import { base64Segments, LIMITS, lineJoins, normalizeView, proseWord, toOriginal, type Bound, type Bounds, type View } from './normalize.js';
import type { Keyring } from './keyring.js';
import { isOwnToken, tokenFor } from './tokens.js';

export { detect, ENTITY_TYPES, type EntityType, type Span } from './detect.js';
export { parseKeyring, type Keyring } from './keyring.js';
export { type Bound } from './normalize.js';
export { tokenFor, tokensForAllVersions, normalise, parseToken, isOwnToken, TOKEN_FORMAT } from './tokens.js';

/** SECRET entities also carry provider, subtype and family (see Span). */
export interface Entity extends Pick<Span, 'provider' | 'subtype' | 'family'> {
  type: EntityType;
  token: string;
  /** Offsets in the input text (after truncation). */
  start: number;
  end: number;
}

export interface TokenizeOptions {
  /** Entity types to look for (default all). Metadata fields use all but PERSON. */
  types?: ReadonlySet<EntityType>;
  /** Cap on the field in UTF-8 bytes; the rest is cut off before scanning. 0 or unset: no cap. */
  maxBytes?: number;
  /** Sees every value with its token, in the normalised form the token was computed on (the vault uses this); never log what it receives. */
  onValue?: (token: string, type: EntityType, raw: string) => void;
}

export interface TokenizeResult {
  text: string;
  entities: Entity[];
  truncated: boolean;
  /**
   * The normalisation bounds (LIMITS) that stopped work on this field, each once: past them part of the field was
   * read as written, not through its disguise (a value wrapped after the 64th line break, base64 past the budget).
   * Empty for nearly every field; the stage counts them.
   */
  bounded: readonly Bound[];
}

const NO_BOUNDS: readonly Bound[] = Object.freeze([]);
const BOUNDS: Bounds = new Set();

export const TRUNCATION_MARK = ' [llm-audit: truncated]';

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes, backing up to whitespace (within 256 bytes) so that a value
 * straddling the cut is dropped whole rather than kept half-visible and undetectable.
 */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (!maxBytes || text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  let cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  const ws = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\n'), cut.lastIndexOf('\t'));
  if (ws >= 0 && cut.length - ws <= 256) cut = cut.slice(0, ws);
  else if (ws < 0 || cut.length - ws > 256) cut = cut.slice(0, Math.max(0, cut.length - 256));
  return { text: cut, truncated: true };
}

/** A value found other than in the view's own spans: its original range and the normalised form its token is computed on. */
interface Found {
  type: EntityType;
  start: number;
  end: number;
  value: string;
  /** what the secret rules say of a SECRET (credential_exposure reports it) */
  provider?: string;
  subtype?: string;
  family?: Span['family'];
}

type Meta = Pick<Found, 'provider' | 'subtype' | 'family'>;
const NO_META: Meta = {};

/**
 * What a field holds: detect's spans on the view, read in place (each is mapped to its original range and its value
 * sliced only when it is replaced, so a megabyte of findings makes no object per finding here), and the few values
 * found otherwise (as written, across lines, in base64), in the order they were found.
 */
interface Findings {
  view: View;
  spans: readonly Span[];
  more: Found[];
}

/** Whether the view spans' original ranges are all non-empty and in text order without overlap. */
function viewRanges(f: Findings): boolean {
  const { start: vs, end: ve } = f.view;
  let prev = -1;
  for (const s of f.spans) {
    if (s.end <= s.start) return false;
    const start = vs && ve ? vs[s.start]! : s.start;
    const end = vs && ve ? ve[s.end - 1]! : s.end;
    if (end <= start || start < prev) return false;
    prev = end;
  }
  return true;
}

/** Every finding as an object, view spans first, as the passes found them. */
function allFound(f: Findings): Found[] {
  const out: Found[] = [];
  const { text, start: vStart, end: vEnd } = f.view;
  // the view's own findings, mapped back without a pair per span (toOriginal's cases, inlined)
  for (const s of f.spans) {
    if (s.end <= s.start) continue;
    const start = vStart && vEnd ? vStart[s.start]! : s.start;
    const end = vStart && vEnd ? vEnd[s.end - 1]! : s.end;
    if (end > start) out.push({ type: s.type, start, end, value: text.slice(s.start, s.end), provider: s.provider, subtype: s.subtype, family: s.family });
  }
  for (const m of f.more) out.push(m);
  return out;
}

/**
 * Detects on the normalised view (see normalize.ts) and maps each span back to the original range it came from;
 * then looks across wrapped lines and inside base64 segments (a finding there stands for the whole segment).
 */
/** Types whose value carries a checksum: found across a line break, they are trusted over what either line holds. */
const CHECKSUMMED: ReadonlySet<string> = new Set(['IBAN', 'CREDIT_CARD']);

const noPersonSets = new WeakMap<ReadonlySet<EntityType>, ReadonlySet<EntityType>>();
const ALL_BUT_PERSON: ReadonlySet<EntityType> = new Set(ENTITY_TYPES.filter((t) => t !== 'PERSON'));
/** The types without PERSON, made once per types set (the stage passes the same few sets for every field). */
function withoutPerson(types: ReadonlySet<EntityType> | undefined): ReadonlySet<EntityType> {
  if (!types) return ALL_BUT_PERSON;
  let s = noPersonSets.get(types);
  if (!s) noPersonSets.set(types, (s = new Set([...types].filter((t) => t !== 'PERSON'))));
  return s;
}

const N_TYPES = ENTITY_TYPES.length;
const TYPE_INDEX = new Map<EntityType, number>(ENTITY_TYPES.map((t, i) => [t, i]));

/**
 * What the wrapped-line and base64 passes ask of detect's spans for each of their findings, answered by binary search
 * (a megabyte of wrapped IBANs has some 40,000 spans and a pass asks for each join). Spans come in text order.
 */
class SpanIndex {
  private readonly starts: Int32Array;
  /** the largest end among spans [0, i] */
  private readonly maxEnd: Float64Array;
  /** the smallest end among spans [i, n), with and without PHONE spans */
  private readonly minEnd: Float64Array;
  private readonly minEndNoPhone: Float64Array;
  /**
   * (end, type) pairs of the spans, one number each, sorted: a binary search, not a set (a megabyte of wrapped IBANs
   * has 40,000 ends, and the set's growth cost more than every question the passes ask of it)
   */
  private readonly ends: Float64Array;
  constructor(spans: readonly Span[]) {
    const n = spans.length;
    this.starts = new Int32Array(n);
    this.maxEnd = new Float64Array(n);
    this.ends = new Float64Array(n);
    let max = -Infinity;
    let sorted = true;
    for (let i = 0; i < n; i++) {
      const p = spans[i]!;
      this.starts[i] = p.start;
      this.maxEnd[i] = max = Math.max(max, p.end);
      const key = p.end * N_TYPES + TYPE_INDEX.get(p.type)!;
      // (detect's spans do not overlap, so their ends come in order: the sort is for an empty span inside another)
      if (i > 0 && key < this.ends[i - 1]!) sorted = false;
      this.ends[i] = key;
    }
    if (!sorted) this.ends.sort();
    this.minEnd = new Float64Array(n + 1);
    this.minEndNoPhone = new Float64Array(n + 1);
    this.minEnd[n] = this.minEndNoPhone[n] = Infinity;
    for (let i = n - 1; i >= 0; i--) {
      const p = spans[i]!;
      this.minEnd[i] = Math.min(this.minEnd[i + 1]!, p.end);
      this.minEndNoPhone[i] = p.type === 'PHONE' ? this.minEndNoPhone[i + 1]! : Math.min(this.minEndNoPhone[i + 1]!, p.end);
    }
  }
  /** the first span whose start is above `a` (strict) or at least `a` */
  private bound(a: number, strict: boolean): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? this.starts[mid]! <= a : this.starts[mid]! < a) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** some span holds [a, b) */
  holds(a: number, b: number): boolean {
    const k = this.bound(a, true);
    return k > 0 && this.maxEnd[k - 1]! >= b;
  }
  /** some span starts at `a` or later and ends by `b` (PHONE spans left out when `noPhone`) */
  within(a: number, b: number, noPhone: boolean): boolean {
    return (noPhone ? this.minEndNoPhone : this.minEnd)[this.bound(a, false)]! <= b;
  }
  endsAt(type: EntityType, end: number): boolean {
    const key = end * N_TYPES + TYPE_INDEX.get(type)!;
    const e = this.ends;
    let lo = 0;
    let hi = e.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (e[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo < e.length && e[lo] === key;
  }
}

function findValues(text: string, opts: DetectOptions, depth: number, budget: { left: number; segments: number }, bounds: Bounds): Findings {
  const view = normalizeView(text, bounds);
  const more: Found[] = [];
  // one object shape for every finding (no spread): the SECRET fields stay undefined on the others
  const add = (type: EntityType, vs: number, ve: number, value: string, m: Meta = NO_META) => {
    const [start, end] = toOriginal(view, vs, ve);
    if (end > start) more.push({ type, start, end, value, provider: m.provider, subtype: m.subtype, family: m.family });
  };
  const spans = detect(view.text, opts);
  const found: Findings = { view, spans, more };
  if (view.start && text.length <= LIMITS.asWrittenChars) {
    // the text as written too, where the view found nothing: a rule can need what decoding takes away (a length
    // threshold that `%2B` met), and normalising must not lose what the detectors found before it. Only in the gaps:
    // where the view found a value, its reading wins (`token=…&q=hello%20world` stops at the decoded space)
    const raw = detect(text, opts);
    if (raw.length) {
      // found ranges by start with the running maximum of their ends: one binary search per span, no pair loop
      const ranges: [number, number][] = [];
      for (const f of allFound(found)) ranges.push([f.start, f.end]);
      ranges.sort((a, b) => a[0] - b[0]);
      const maxEnd: number[] = [];
      for (const [, e] of ranges) maxEnd.push(Math.max(e, maxEnd[maxEnd.length - 1] ?? -1));
      for (const s of raw) {
        let lo = 0;
        let hi = ranges.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (ranges[mid]![0] < s.end) lo = mid + 1;
          else hi = mid;
        }
        if (lo === 0 || maxEnd[lo - 1]! <= s.start) more.push({ type: s.type, start: s.start, end: s.end, value: text.slice(s.start, s.end), provider: s.provider, subtype: s.subtype, family: s.family });
      }
    }
  }
  let index: SpanIndex | undefined;
  const idx = () => (index ??= new SpanIndex(spans));
  if (view.text.indexOf('\n') !== -1) {
    // a name does not wrap in the middle and "Thanks\nAnna" would join two words into one
    const noPerson: DetectOptions = { ...opts, types: withoutPerson(opts.types) };
    for (const j of lineJoins(view.text, bounds)) {
      for (const s of detect(j.text, noPerson)) {
        const g = j.glues.find((x) => s.start < x.left && s.end > x.right);
        if (!g) continue;
        if (proseWord(j.text.slice(g.right, s.end)) && idx().endsAt(s.type, g.lineEnd)) continue;
        // a token whole on its line does not run on into the next line when that line is not more of a token
        // (`gho_…\napp.image=…`, `sk-or-v1-…\n  sha256: …`): config and prose carry `.`, `=`, `:`, `/`, spaces
        if (idx().endsAt(s.type, g.lineEnd) && /[^A-Za-z0-9_+-]/.test(j.text.slice(g.right, s.end))) continue;
        const [vs, ve] = toOriginal(j.map, s.start, s.end);
        // a value found whole in the view already (a PEM block spans its lines anyway), or a join that would swallow
        // a value the next line has of its own (`npm_…\napp.db.password=…`)
        const rightAt = j.map.start ? j.map.start[g.right]! : g.right;
        // (a checksummed value that only holds across the break beats a phone the next line reads as on its own:
        // `DE89 3704 0044\n0532 0130 00` is an IBAN, not an IBAN stub and a Turkish mobile)
        if (idx().holds(vs, ve) || idx().within(rightAt, ve, CHECKSUMMED.has(s.type))) continue;
        add(s.type, vs, ve, j.text.slice(s.start, s.end), s);
      }
    }
  }
  if (depth < LIMITS.base64Depth) {
    const covered = (a: number, b: number) => idx().holds(a, b);
    for (const seg of base64Segments(view.text, budget, covered, bounds)) {
      for (const f of allFound(findValues(seg.decoded, opts, depth + 1, budget, bounds))) add(f.type, seg.start, seg.end, f.value, f);
    }
  }
  return found;
}

/**
 * Overlapping findings (a wrapped value and its first line, a base64 segment and what was seen in its letters)
 * become one replaced range: a finding inside another is dropped, the rest keep a token each, in text order.
 * Calls `emit` per kept finding and `range` once per replaced range, before its findings; one walk, no objects.
 */
function eachCluster(found: Found[], range: (start: number, end: number) => void, emit: (f: Found) => void): void {
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const n = found.length;
  let i = 0;
  while (i < n) {
    const first = found[i]!;
    let end = first.end;
    let j = i + 1;
    while (j < n && found[j]!.start < end) end = Math.max(end, found[j++]!.end);
    range(first.start, end);
    if (j === i + 1) emit(first);
    else {
      // members come sorted by start, longest first: one inside an earlier one goes (the same range stays: two
      // values of one base64 segment), then repeats of one value
      let maxEnd = -1;
      let maxStart = -1;
      const seen = new Set<string>();
      for (let k = i; k < j; k++) {
        const f = found[k]!;
        const inside = f.end <= maxEnd && !(f.start === maxStart && f.end === maxEnd);
        if (f.end > maxEnd) {
          maxEnd = f.end;
          maxStart = f.start;
        }
        const key = `${f.type}\u0000${f.value}`;
        if (inside || seen.has(key)) continue;
        seen.add(key);
        emit(f);
      }
    }
    i = j;
  }
}

/**
 * eachCluster for findings whose view spans are in text order without overlap once mapped back (viewRanges): the few
 * others are sorted and merged in where the sort of all of them would put them (by start, longest first, a view span
 * before another finding on a tie: the sort is stable and allFound lists the view's first). A megabyte of wrapped
 * IBANs has 40,000 view spans and a hundred joins: no object and no comparator call per view span, and a span's
 * value is sliced only when it is emitted.
 */
function eachClusterInOrder(f: Findings, range: (start: number, end: number) => void, emit: (type: EntityType, value: string, start: number, end: number, m: Meta) => void): void {
  const { text: vt, start: vStart, end: vEnd } = f.view;
  const spans = f.spans;
  const more = f.more.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  const n = spans.length + more.length;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  // a view span's index, or -1 - the index in `more`
  const ref = new Int32Array(n);
  for (let i = 0, k = 0, j = 0; j < n; j++) {
    if (i < spans.length) {
      const s = spans[i]!;
      const vs = vStart && vEnd ? vStart[s.start]! : s.start;
      const ve = vStart && vEnd ? vEnd[s.end - 1]! : s.end;
      const m = more[k];
      if (!m || vs < m.start || (vs === m.start && ve >= m.end)) {
        starts[j] = vs;
        ends[j] = ve;
        ref[j] = i++;
        continue;
      }
    }
    const m = more[k]!;
    starts[j] = m.start;
    ends[j] = m.end;
    ref[j] = -1 - k++;
  }
  const typeOf = (x: number) => (ref[x]! >= 0 ? spans[ref[x]!]!.type : more[-1 - ref[x]!]!.type);
  const valueOf = (x: number) => {
    const r = ref[x]!;
    if (r < 0) return more[-1 - r]!.value;
    const s = spans[r]!;
    return vt.slice(s.start, s.end);
  };
  const put = (x: number, value: string) => {
    const r = ref[x]!;
    const m: Found | Span = r >= 0 ? spans[r]! : more[-1 - r]!;
    emit(m.type, value, starts[x]!, ends[x]!, m);
  };
  let i = 0;
  while (i < n) {
    let end = ends[i]!;
    let j = i + 1;
    while (j < n && starts[j]! < end) end = Math.max(end, ends[j++]!);
    range(starts[i]!, end);
    if (j === i + 1) put(i, valueOf(i));
    else {
      // as in eachCluster
      let maxEnd = -1;
      let maxStart = -1;
      const seen = new Set<string>();
      for (let k = i; k < j; k++) {
        const fs = starts[k]!;
        const fe = ends[k]!;
        const inside = fe <= maxEnd && !(fs === maxStart && fe === maxEnd);
        if (fe > maxEnd) {
          maxEnd = fe;
          maxStart = fs;
        }
        const value = valueOf(k);
        const key = `${typeOf(k)}\u0000${value}`;
        if (inside || seen.has(key)) continue;
        seen.add(key);
        put(k, value);
      }
    }
    i = j;
  }
}

/** Findings past which a field takes the dense path (its tables cost more than they save on a few). */
const MANY = 64;
/** Slots of the dense path's tables of recent values and gaps (a power of two). */
const SLOTS = 64;

export function tokenizeText(text: string, keyring: Keyring, opts: TokenizeOptions = {}): TokenizeResult {
  const t = opts.maxBytes ? truncateUtf8(text, opts.maxBytes) : { text, truncated: false };
  const src = t.text;
  // one place for what detect is told: the own-token check (issue 11) passes its key ring here too
  const detectOpts: DetectOptions = { types: opts.types, isOwnToken: (tok) => isOwnToken(tok, keyring) };
  // one set for every call, emptied first: it is read before anything here can call back (onValue runs after)
  const bounds = BOUNDS;
  bounds.clear();
  const found = findValues(src, detectOpts, 0, { left: LIMITS.base64Budget, segments: LIMITS.base64Segments }, bounds);
  const bounded = bounds.size ? [...bounds] : NO_BOUNDS;
  if (found.spans.length === 0 && found.more.length === 0) return { text: t.truncated ? src + TRUNCATION_MARK : src, entities: [], truncated: t.truncated, bounded };
  // concatenated, not joined: a field has a few findings, and an array of parts costs more than the string it makes
  let out = '';
  const entities: Entity[] = [];
  let pos = 0;
  // a value repeated within the field (a megabyte of `Alice: hi`) is normalised and looked up once; findings of one
  // type come in runs, so the last type's map is kept at hand
  const memo = new Map<EntityType, Map<string, string>>();
  let lastType: EntityType | undefined;
  let byValue: Map<string, string> | undefined;
  const onValue = opts.onValue;
  const range = (start: number, end: number) => {
    out += src.slice(pos, start);
    pos = end;
  };
  const emit = (type: EntityType, value: string, start: number, end: number, m: Meta) => {
    if (type !== lastType || !byValue) {
      lastType = type;
      byValue = memo.get(type);
      if (!byValue) memo.set(type, (byValue = new Map()));
    }
    // the token is computed on the normalised value: the same address with or without a zero-width space is one token
    let token = byValue.get(value);
    if (token === undefined) byValue.set(value, (token = tokenFor(type, value, keyring)));
    onValue?.(token, type, value);
    out += token;
    entities.push({ type, token, start, end, provider: m.provider, subtype: m.subtype, family: m.family });
  };
  const inOrder = viewRanges(found);
  if (found.more.length === 0 && found.spans.length > MANY && inOrder) {
    // a field dense with findings (a megabyte of `Alice: hi`, of CSV rows): its few distinct values and gaps are
    // kept in small tables keyed by length and end characters, and a repeat is matched in place, not sliced and
    // looked up again
    const { text: vt, start: vStart, end: vEnd } = found.view;
    const gaps = new Array<string>(SLOTS).fill('');
    const values = new Array<string>(SLOTS).fill('');
    const types = new Array<EntityType | undefined>(SLOTS).fill(undefined);
    const tokens = new Array<string>(SLOTS).fill('');
    for (const s of found.spans) {
      const start = vStart && vEnd ? vStart[s.start]! : s.start;
      const end = vStart && vEnd ? vEnd[s.end - 1]! : s.end;
      const gl = start - pos;
      const gs = gl === 0 ? 0 : (gl * 31 + src.charCodeAt(pos) * 7 + src.charCodeAt(start - 1)) & (SLOTS - 1);
      let gap = gaps[gs]!;
      if (gap.length !== gl || !src.startsWith(gap, pos)) gaps[gs] = gap = src.slice(pos, start);
      out += gap;
      pos = end;
      const vl = s.end - s.start;
      const vs = (vl * 31 + vt.charCodeAt(s.start) * 7 + vt.charCodeAt(s.end - 1)) & (SLOTS - 1);
      let value = values[vs]!;
      const type = s.type;
      let token: string;
      if (types[vs] === type && value.length === vl && vt.startsWith(value, s.start)) token = tokens[vs]!;
      else {
        values[vs] = value = vt.slice(s.start, s.end);
        types[vs] = type;
        if (type !== lastType || !byValue) {
          lastType = type;
          byValue = memo.get(type);
          if (!byValue) memo.set(type, (byValue = new Map()));
        }
        const known = byValue.get(value);
        if (known === undefined) byValue.set(value, (token = tokenFor(type, value, keyring)));
        else token = known;
        tokens[vs] = token;
      }
      onValue?.(token, type, value);
      out += token;
      entities.push({ type, token, start, end, provider: s.provider, subtype: s.subtype, family: s.family });
    }
  } else if (found.more.length === 0 && inOrder) {
    // the usual field: the view's spans in text order, none overlapping once mapped back; each is its own range
    const { text: vt, start: vStart, end: vEnd } = found.view;
    for (const s of found.spans) {
      const start = vStart && vEnd ? vStart[s.start]! : s.start;
      const end = vStart && vEnd ? vEnd[s.end - 1]! : s.end;
      range(start, end);
      emit(s.type, vt.slice(s.start, s.end), start, end, s);
    }
  } else if (inOrder) eachClusterInOrder(found, range, emit);
  else {
    eachCluster(allFound(found), range, (f) => emit(f.type, f.value, f.start, f.end, f));
  }
  out += src.slice(pos);
  if (t.truncated) out += TRUNCATION_MARK;
  return { text: out, entities, truncated: t.truncated, bounded };
}

export const ALL_TYPES: ReadonlySet<EntityType> = new Set(ENTITY_TYPES);
export const METADATA_TYPES: ReadonlySet<EntityType> = new Set(ENTITY_TYPES.filter((t) => t !== 'PERSON'));
