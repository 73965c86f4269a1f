import { createHash } from 'node:crypto';
import type { Alert, AuditRecord, Doc, Json, UsageEvent } from '../common/types.js';
import { child, getPath } from '../common/types.js';
import type { DetectorDef, DetectorInstance, Finding, Observation, Severity } from './detector.js';
import type { GeoInfo, GeoLookup } from './geo.js';

export interface LoadedDetector {
  def: DetectorDef;
  inst: DetectorInstance;
  clearAfterMs: number;
}

/** An open incident, kept with its key's state so it survives restarts with it. */
interface Incident {
  id: string;
  rule: string;
  /** incident key within rule and API key */
  key: string;
  kind: string;
  sev: Severity;
  /** event time of the finding that opened it */
  first: number;
  last: number;
  count: number;
  created: number;
  /** strongest evidence so far, what the alert shows */
  peak: number;
  msg: string;
  ev: Record<string, Json>;
  p: string | null;
  ip: string | null;
  cc: string | null;
}

const CHUNK_MAX = 2 ** 14;
/** lengths are below this, and so are offsets within a chunk (a region is never split) */
const LEN = 2 ** 16;

/**
 * The flat number arrays detectors keep (most of a key's state), packed end to end in a few large chunks of
 * doubles: a JS array per key and detector costs 48 B of headers besides its numbers. A region is addressed by
 * chunk and offset, freed regions are reused by the next of the same length (keys grow through the same sizes).
 */
class NumberArena {
  private readonly chunks: Float64Array[] = [];
  private top = 0;
  private readonly freed = new Map<number, number[]>();

  /** Address of n free doubles (n < 2^16). */
  alloc(n: number): number {
    const f = this.freed.get(n);
    if (f?.length) return f.pop()!;
    let c = this.chunks.length - 1;
    if (c < 0 || this.top + n > this.chunks[c]!.length) {
      // chunks double up to CHUNK_MAX doubles (128 KB): a partition of a few keys holds a few KB, a big one wastes
      // at most the end of its last chunk
      const size = Math.max(n, Math.min(CHUNK_MAX, c < 0 ? 1024 : this.chunks[c]!.length * 2));
      this.chunks.push(new Float64Array(size));
      c++;
      this.top = 0;
    }
    const at = c * LEN + this.top;
    this.top += n;
    return at;
  }

  release(at: number, n: number): void {
    if (n === 0) return;
    let f = this.freed.get(n);
    if (!f) this.freed.set(n, (f = []));
    f.push(at);
  }

  read(at: number, n: number, into: number[]): void {
    const c = this.chunks[Math.floor(at / LEN)]!;
    const o = at % LEN;
    if (into.length !== n) into.length = n;
    for (let j = 0; j < n; j++) into[j] = c[o + j]!;
  }

  write(at: number, from: readonly number[]): void {
    const c = this.chunks[Math.floor(at / LEN)]!;
    const o = at % LEN;
    // an element loop: TypedArray.prototype.set from a JS array costs about twice as much at these lengths (10-50)
    for (let j = 0; j < from.length; j++) c[o + j] = from[j]!;
  }

  /** Bytes held, for the benchmark. */
  get bytes(): number {
    return this.chunks.reduce((n, c) => n + c.byteLength, 0);
  }
}

const isNumbers = (v: unknown): v is number[] => {
  if (!Array.isArray(v) || v.length >= LEN) return false;
  for (let j = 0; j < v.length; j++) if (typeof v[j] !== 'number') return false;
  return true;
};

/**
 * A partition's per-key state as columns (bytes per key): API key -> slot, and per slot the key's latest
 * occurred_at and each detector's state. An object and an array per key cost ~170 B of headers and pointers
 * before any detector holds a number; a slot costs 8 B per column. A detector state that is a flat array of
 * numbers lives in the arena (its column holds address x 2^16 + length); other states (objects) stay as they
 * are, in a map of the slots that have one. A detector that never kept state in this partition has no column;
 * freed slots (idle keys) are reused.
 *
 * Detectors get a number state as an array the engine reuses (the same one for every key): they read and
 * change it during observe or expire, or return a new one, and the engine writes what they return back.
 */
export class PartitionState {
  /** API key -> slot, in the order keys arrived (snapshots and sweeps walk it) */
  readonly keys = new Map<string, number>();
  /** per slot: latest occurred_at of its key */
  readonly t: number[] = [];
  /** per detector (engine order), per slot: its number state in the arena (-1: none) */
  private readonly refs: (number[] | undefined)[] = [];
  /** per detector: the slots whose state is not flat numbers, and that state (few: invalid_request_burst's, during failures) */
  private readonly objs: (Map<number, unknown> | undefined)[] = [];
  private readonly scratch: number[][] = [];
  private readonly arena = new NumberArena();
  /** open incidents of the slots that have any */
  readonly inc = new Map<number, Record<string, Incident>>();
  private readonly free: number[] = [];
  /** latest occurred_at in the partition, drives idle expiry */
  clock = 0;
  lastSweep = 0;
  /** last offset folded into the state (-1: none) */
  processed = -1;
  /** records at or below this offset were already in the restored snapshot */
  restored = -1;
  /** last offset whose batch the pipeline acknowledged */
  acked = -1;
  saved = -1;
  lastSaveAt = 0;
  incidentsChanged = false;

  /** A slot for a new key, holding nothing. */
  add(key: string, t: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.t.length;
      this.t.push(t);
      for (const c of this.refs) c?.push(-1);
    } else this.t[slot] = t;
    this.keys.set(key, slot);
    return slot;
  }

  remove(key: string, slot: number): void {
    this.keys.delete(key);
    for (let i = 0; i < Math.max(this.refs.length, this.objs.length); i++) this.put(i, slot, undefined);
    this.inc.delete(slot);
    this.free.push(slot);
  }

  /** Detector i's state at slot (a number state in the array reused for detector i: valid until the next get). */
  get(i: number, slot: number): unknown {
    const r = this.refs[i];
    const ref = r === undefined ? -1 : r[slot]!;
    if (ref >= 0) {
      const sc = (this.scratch[i] ??= []);
      this.arena.read(Math.floor(ref / LEN), ref % LEN, sc);
      return sc;
    }
    const o = this.objs[i];
    return o === undefined ? undefined : o.get(slot);
  }

  /** Keeps v as detector i's state at slot (after every observe or expire: a number state may have changed in place). */
  put(i: number, slot: number, v: unknown): void {
    const r = this.refs[i];
    const ref = r === undefined ? -1 : r[slot]!;
    // the array get() filled, at the length it had: dense, and detectors write numbers into it (number[]), so the
    // check of every element is skipped (most states come back this way, on every event)
    if ((ref >= 0 && v === this.scratch[i] && (v as number[]).length === ref % LEN) || isNumbers(v)) {
      const nv = v as number[];
      let at = Math.floor(ref / LEN);
      if (ref < 0 || ref % LEN !== nv.length) {
        if (ref >= 0) this.arena.release(at, ref % LEN);
        at = this.arena.alloc(nv.length);
      }
      this.arena.write(at, nv);
      let c = this.refs[i];
      if (c === undefined) {
        c = [];
        for (let j = 0; j < this.t.length; j++) c.push(-1);
        while (this.refs.length <= i) this.refs.push(undefined);
        this.refs[i] = c;
      }
      c[slot] = at * LEN + nv.length;
      this.objs[i]?.delete(slot);
      return;
    }
    if (ref >= 0) {
      this.arena.release(Math.floor(ref / LEN), ref % LEN);
      r![slot] = -1;
    }
    if (v === undefined) this.objs[i]?.delete(slot);
    else {
      while (this.objs.length <= i) this.objs.push(undefined);
      (this.objs[i] ??= new Map()).set(slot, v);
    }
  }

  /** Bytes of the arena's chunks (outside the JS heap), for the benchmark. */
  get arenaBytes(): number {
    return this.arena.bytes;
  }
}

/** Bumped whenever a detector's state layout changes: a snapshot of another version is not restored. */
export const SNAPSHOT_VERSION = 5;

export interface SnapshotBody {
  v: number;
  clock: number;
  keys: Record<string, { t: number; s: Record<string, unknown>; i?: Incident[] }>;
}

/**
 * A detector state that is a flat array of numbers is checkpointed as one string, `#` then the numbers: integers
 * in base 36, those closer to the key's time as `~` and their offset from it, others as `!` and their decimal
 * form. A JSON array of doubles costs 13-18 characters for each event time or packed number; this about half.
 * Decoding gives back the same doubles, so a restored key computes exactly as the live one did.
 */
/** 36^1..36^10 (exact doubles): a safe integer has at most 11 base-36 digits. */
const POW36 = Array.from({ length: 10 }, (_, i) => 36 ** (i + 1));

/** Characters of x.toString(36) for a safe integer x. */
export function len36(x: number): number {
  let n = 1;
  const a = Math.abs(x);
  for (let i = 0; i < POW36.length && a >= POW36[i]!; i++) n++;
  return x < 0 ? n + 1 : n;
}

const DIGITS36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** x.toString(36) for a safe integer, several times faster than the engine's general radix conversion. */
export function base36(x: number): string {
  if (x >= 0 && x < 36) return DIGITS36[x]!;
  let a = Math.abs(x);
  let out = '';
  // the floor is exact: below 2^53 / 36 the spacing of doubles is under 2 / 36, so a / 36 (correctly rounded)
  // never crosses the integer above it
  while (a > 0) {
    const q = Math.floor(a / 36);
    out = DIGITS36[a - q * 36]! + out;
    a = q;
  }
  return x < 0 ? `-${out}` : out;
}

/** ASCII codes of DIGITS36. */
const CODES36 = Uint8Array.from(DIGITS36, (ch) => ch.charCodeAt(0));
/** Where encodeNumbers writes (one snapshot's states one after another): a checkpoint string is one flat copy out of it. */
let encBuf = Buffer.allocUnsafe(4096);

/** Writes base36(x) (safe integer x) of `len` characters (len36(x)) at `at`, as base36 divides; returns the end. */
function put36(b: Buffer, at: number, x: number, len: number): number {
  const end = at + len;
  let a = Math.abs(x);
  let i = end;
  do {
    const q = Math.floor(a / 36);
    b[--i] = CODES36[a - q * 36]!;
    a = q;
  } while (a > 0);
  if (x < 0) b[--i] = 0x2d;
  return end;
}

export function encodeNumbers(a: unknown, t: number): unknown {
  if (!Array.isArray(a) || a.length === 0) return a;
  // the characters go into a byte buffer, not onto a string piece by piece: a string built by += is a rope of a
  // few pieces per number that JSON.stringify has to flatten again
  let b = encBuf;
  let p = 0;
  b[p++] = 0x23; // '#'
  for (let i = 0; i < a.length; i++) {
    const n: unknown = a[i];
    if (typeof n !== 'number' || !Number.isFinite(n)) return a;
    // a number takes at most 25 characters and its comma
    if (p + 32 > b.length) {
      const grown = Buffer.allocUnsafe(2 * b.length);
      b.copy(grown, 0, 0, p);
      encBuf = b = grown;
    }
    if (i) b[p++] = 0x2c; // ','
    if (Number.isSafeInteger(n)) {
      // the offset form when it is shorter: lengths are counted, so only the form written is printed
      const d = n - t;
      const ln = len36(n);
      const ld = Number.isSafeInteger(d) ? len36(d) : ln;
      if (ld + 1 < ln) {
        b[p++] = 0x7e; // '~'
        p = put36(b, p, d, ld);
      } else p = put36(b, p, n, ln);
    } else {
      b[p++] = 0x21; // '!'
      p += b.write(String(n), p, 'latin1');
    }
  }
  return b.toString('latin1', 0, p);
}

export function decodeNumbers(v: unknown, t: number): unknown {
  if (typeof v !== 'string' || v[0] !== '#') return v;
  return v
    .slice(1)
    .split(',')
    .map((x) => (x[0] === '~' ? t + parseInt(x.slice(1), 36) : x[0] === '!' ? Number(x.slice(1)) : parseInt(x, 36)));
}

export interface EngineOptions {
  allowedLatenessMs: number;
  keyIdleMs: number;
  sweepEveryMs?: number;
  geo?: GeoLookup | null;
  /** wall clock for `event.created` */
  wallClock?: () => number;
  onDetectorError?: (detector: string, err: unknown) => void;
}

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function incidentId(rule: string, incKey: string, apiKeyId: string, first: number): string {
  return createHash('sha256').update(`${rule}\n${incKey}\n${apiKeyId}\n${first}`).digest('hex').slice(0, 32);
}

function str(doc: Doc, path: string): string | null {
  const v = getPath(doc, path);
  return typeof v === 'string' && v ? v : null;
}

/** Routing metadata the attribute stage may have set; absent fields stay absent. */
export function ownerOf(doc: Doc): Alert['owner'] | undefined {
  const owner = {
    team: str(doc, 'llm_audit.owner.team'),
    service: str(doc, 'service.name') ?? str(doc, 'llm_audit.owner.service'),
    environment: str(doc, 'service.environment') ?? str(doc, 'llm_audit.owner.environment'),
    principal_type: str(doc, 'llm_audit.owner.principal_type') ?? str(doc, 'llm_audit.principal.type'),
    slack_channel: str(doc, 'llm_audit.slack_channel') ?? str(doc, 'llm_audit.owner.slack_channel'),
  };
  return Object.values(owner).some((v) => v !== null) ? owner : undefined;
}

const objectAt = (v: Json | undefined): Doc | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Doc) : undefined);

export function allowedCountries(doc: Doc): string[] | null {
  // getPath's walk of llm_audit.owner.allowed_countries, then llm_audit.api_key's, by hand: geo_anomaly asks on most calls
  const la = objectAt(doc.llm_audit);
  const v = (la && objectAt(la.owner)?.allowed_countries) ?? (la && objectAt(la.api_key)?.allowed_countries);
  return Array.isArray(v) && v.length ? v.filter((x): x is string => typeof x === 'string') : null;
}

export function geoDoc(g: GeoInfo): Json {
  const out: { [k: string]: Json } = { country_iso_code: g.country_iso_code };
  if (g.country_name) out.country_name = g.country_name;
  if (g.city_name) out.city_name = g.city_name;
  if (g.region_name) out.region_name = g.region_name;
  if (g.location) out.location = { lat: g.location.lat, lon: g.location.lon };
  return out;
}

/**
 * Runs every detector over each record of a partition, in order, on per-key state, and turns findings
 * into incidents: one alert id per incident, updated (count, last_seen) at most once per batch.
 */
/** The one Observation the engine hands every detector, refilled per event (detectors read it during observe only). */
class EventObservation implements Observation {
  event!: UsageEvent;
  t = 0;
  now = 0;
  late = false;
  geo: GeoInfo | null = null;
  doc!: Doc;
  private countries: string[] | null | undefined;

  reset(event: UsageEvent, doc: Doc, now: number, lateness: number, geo: GeoInfo | null): void {
    this.event = event;
    this.doc = doc;
    this.t = event.occurred_at;
    this.now = now;
    this.late = this.t < now - lateness;
    this.geo = geo;
    this.countries = undefined;
  }

  /** read from the document only by a detector that asks (geo_anomaly, on calls it judges) */
  get allowedCountries(): string[] | null {
    if (this.countries === undefined) this.countries = allowedCountries(this.doc);
    return this.countries;
  }
}

/**
 * Runs every detector over each record of a partition, in order, on per-key state, and turns findings
 * into incidents: one alert id per incident, updated (count, last_seen) at most once per batch.
 */
export class DetectEngine {
  private readonly wall: () => number;
  private readonly sweepEvery: number;
  private readonly obs = new EventObservation();
  // what the emit callback needs, set before each observe: one callback for every event, no closure per call
  private curPs: PartitionState | null = null;
  private curSlot = 0;
  private curDetector: LoadedDetector | null = null;
  private curRecord: AuditRecord | null = null;
  private curAlerts: Map<string, Alert> | null = null;
  private readonly emit = (f: Finding): void => {
    this.onFinding(this.curPs!, this.curSlot, this.curDetector!, this.curRecord!, this.obs, f, this.curAlerts!);
  };

  constructor(readonly detectors: LoadedDetector[], readonly opts: EngineOptions) {
    this.wall = opts.wallClock ?? Date.now;
    this.sweepEvery = opts.sweepEveryMs ?? 60_000;
  }

  /**
   * source.geo for each GeoInfo the lookup returned: its cache hands back one object per address, so the
   * documents of an address share one frozen object (no stage may change one document's geo for all of them)
   * instead of a new one per event.
   */
  private readonly geoDocs = new WeakMap<GeoInfo, Json>();

  /** Adds source.geo.* to the document; returns the lookup for the detectors. */
  enrich(r: AuditRecord): GeoInfo | null {
    const g = this.opts.geo?.lookup(r.event.source_ip) ?? null;
    if (g) {
      let d = this.geoDocs.get(g);
      if (d === undefined) {
        d = geoDoc(g) as { [k: string]: Json };
        if (d.location) Object.freeze(d.location);
        this.geoDocs.set(g, Object.freeze(d));
      }
      // setPath(r.doc, 'source.geo', ...) without its path walk (on every event)
      child(r.doc, 'source').geo = d;
    }
    return g;
  }

  /** Folds one record into the partition's state; alerts go to `r.alerts` (once per incident per batch). */
  detect(ps: PartitionState, r: AuditRecord, geo: GeoInfo | null, batchAlerts: Map<string, Alert>): void {
    const ev = r.event;
    const t = ev.occurred_at;
    let slot = ps.keys.get(ev.api_key_id);
    if (slot === undefined) slot = ps.add(ev.api_key_id, t);
    else if (t > ps.t[slot]!) ps.t[slot] = t;
    if (t > ps.clock) ps.clock = t;
    const o = this.obs;
    o.reset(ev, r.doc, ps.t[slot]!, this.opts.allowedLatenessMs, geo);
    this.curPs = ps;
    this.curSlot = slot;
    this.curRecord = r;
    this.curAlerts = batchAlerts;
    for (let i = 0; i < this.detectors.length; i++) {
      const d = this.detectors[i]!;
      this.curDetector = d;
      const before = ps.get(i, slot);
      try {
        ps.put(i, slot, d.inst.observe(o, before, this.emit));
      } catch (err) {
        // what the detector changed in place before it threw stays, as it would in an array of its own
        ps.put(i, slot, before);
        this.opts.onDetectorError?.(d.def.name, err);
      }
    }
    this.curPs = this.curDetector = this.curRecord = this.curAlerts = null;
    // sweeps fall on fixed event-time boundaries, so a restored partition sweeps where an uninterrupted one does
    if (Math.floor(ps.clock / this.sweepEvery) > Math.floor(ps.lastSweep / this.sweepEvery)) this.sweep(ps);
  }

  private onFinding(ps: PartitionState, slot: number, d: LoadedDetector, r: AuditRecord, o: Observation, f: Finding, batchAlerts: Map<string, Alert>): void {
    const rule = d.def.name;
    const key = f.incident ?? f.kind;
    const incSlot = `${rule}|${key}`;
    let incs = ps.inc.get(slot);
    if (!incs) ps.inc.set(slot, (incs = {}));
    let inc: Incident | undefined = incs[incSlot];
    if (inc && o.t - inc.last > d.clearAfterMs) inc = undefined;
    if (!inc) {
      inc = { id: incidentId(rule, key, o.event.api_key_id, o.t), rule, key, kind: f.kind, sev: f.severity, first: o.t, last: o.t, count: 0, created: this.wall(), peak: -1, msg: f.message, ev: f.evidence, p: null, ip: null, cc: null };
      incs[incSlot] = inc;
    }
    inc.count++;
    if (o.t > inc.last) inc.last = o.t;
    if (RANK[f.severity] > RANK[inc.sev]) inc.sev = f.severity;
    const score = f.score ?? Infinity;
    if (score >= inc.peak) {
      inc.peak = f.score ?? -1;
      inc.msg = f.message;
      inc.ev = f.evidence;
      inc.p = f.principal_id ?? null;
      inc.ip = f.source_ip ?? null;
      inc.cc = f.country ?? null;
    }
    ps.incidentsChanged = true;

    let a = batchAlerts.get(inc.id);
    if (!a) {
      a = {
        id: inc.id,
        rule,
        kind: inc.kind,
        severity: inc.sev,
        api_key_id: o.event.api_key_id,
        timestamp: inc.first,
        created: inc.created,
        first_seen: inc.first,
        last_seen: inc.last,
        count: inc.count,
        principal_id: inc.p,
        source_ip: inc.ip,
        country: inc.cc,
        message: inc.msg,
        evidence: inc.ev,
      };
      const owner = ownerOf(r.doc);
      if (owner) a.owner = owner;
      batchAlerts.set(inc.id, a);
      r.alerts.push(a);
    } else {
      // the same object is already on an earlier record of this batch: the pipeline sends its final state
      a.severity = inc.sev;
      a.last_seen = inc.last;
      a.count = inc.count;
      a.message = inc.msg;
      a.evidence = inc.ev;
      a.principal_id = inc.p;
      a.source_ip = inc.ip;
      a.country = inc.cc;
    }
  }

  /** Drops idle keys, closed incidents, and what detectors no longer need. */
  sweep(ps: PartitionState): void {
    ps.lastSweep = ps.clock;
    const idleBefore = ps.clock - this.opts.keyIdleMs;
    for (const [k, slot] of ps.keys) {
      if (ps.t[slot]! < idleBefore) {
        ps.remove(k, slot);
        continue;
      }
      for (let i = 0; i < this.detectors.length; i++) {
        const d = this.detectors[i]!;
        if (!d.inst.expire) continue;
        const st = ps.get(i, slot);
        if (st !== undefined) ps.put(i, slot, d.inst.expire(st, ps.clock));
      }
      const incs = ps.inc.get(slot);
      if (incs) {
        for (const [incSlot, inc] of Object.entries(incs)) {
          const d = this.detectors.find((x) => x.def.name === inc.rule);
          if (!d || ps.clock - inc.last > d.clearAfterMs) delete incs[incSlot];
        }
        if (Object.keys(incs).length === 0) ps.inc.delete(slot);
      }
    }
  }

  snapshot(ps: PartitionState): SnapshotBody {
    const keys: SnapshotBody['keys'] = {};
    for (const [k, slot] of ps.keys) {
      const t = ps.t[slot]!;
      const s: Record<string, unknown> = {};
      for (let i = 0; i < this.detectors.length; i++) {
        const st = ps.get(i, slot);
        if (st === undefined) continue;
        const enc = encodeNumbers(st, t);
        // a state encodeNumbers leaves as it is ([], NaN, Infinity) is the arena's scratch array: copy it, or the next key's read overwrites it
        s[this.detectors[i]!.def.name] = enc === st && Array.isArray(st) ? st.slice() : enc;
      }
      const incs = ps.inc.get(slot);
      keys[k] = { t, s, ...(incs ? { i: Object.values(incs) } : {}) };
    }
    return { v: SNAPSHOT_VERSION, clock: ps.clock, keys };
  }

  restore(body: SnapshotBody, offset: number): PartitionState {
    const ps = new PartitionState();
    ps.clock = ps.lastSweep = body.clock;
    ps.processed = ps.restored = ps.acked = ps.saved = offset;
    for (const [k, e] of Object.entries(body.keys)) {
      const slot = ps.add(k, e.t);
      for (let i = 0; i < this.detectors.length; i++) ps.put(i, slot, decodeNumbers(e.s[this.detectors[i]!.def.name], e.t));
      if (e.i?.length) {
        const incs: Record<string, Incident> = {};
        for (const inc of e.i) incs[`${inc.rule}|${inc.key}`] = inc;
        ps.inc.set(slot, incs);
      }
    }
    return ps;
  }
}
