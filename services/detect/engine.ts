import { createHash } from 'node:crypto';
import type { Alert, AuditRecord, Doc, Json } from '../common/types.js';
import { getPath, setPath } from '../common/types.js';
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

interface KeyEntry {
  /** latest occurred_at of this key */
  t: number;
  /** per detector, in engine order */
  s: unknown[];
  inc?: Record<string, Incident>;
}

export class PartitionState {
  readonly keys = new Map<string, KeyEntry>();
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
export function encodeNumbers(a: unknown, t: number): unknown {
  if (!Array.isArray(a) || a.length === 0) return a;
  let out = '#';
  for (let i = 0; i < a.length; i++) {
    const n: unknown = a[i];
    if (typeof n !== 'number' || !Number.isFinite(n)) return a;
    if (i) out += ',';
    if (Number.isSafeInteger(n)) {
      const plain = n.toString(36);
      const d = n - t;
      const off = Number.isSafeInteger(d) ? d.toString(36) : plain;
      out += off.length + 1 < plain.length ? `~${off}` : plain;
    } else out += `!${String(n)}`;
  }
  return out;
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

function allowedCountries(doc: Doc): string[] | null {
  const v = getPath(doc, 'llm_audit.owner.allowed_countries') ?? getPath(doc, 'llm_audit.api_key.allowed_countries');
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
export class DetectEngine {
  private readonly wall: () => number;
  private readonly sweepEvery: number;

  constructor(readonly detectors: LoadedDetector[], readonly opts: EngineOptions) {
    this.wall = opts.wallClock ?? Date.now;
    this.sweepEvery = opts.sweepEveryMs ?? 60_000;
  }

  /** Adds source.geo.* to the document; returns the lookup for the detectors. */
  enrich(r: AuditRecord): GeoInfo | null {
    const g = this.opts.geo?.lookup(r.event.source_ip) ?? null;
    if (g) setPath(r.doc, 'source.geo', geoDoc(g));
    return g;
  }

  /** Folds one record into the partition's state; alerts go to `r.alerts` (once per incident per batch). */
  detect(ps: PartitionState, r: AuditRecord, geo: GeoInfo | null, batchAlerts: Map<string, Alert>): void {
    const ev = r.event;
    const t = ev.occurred_at;
    let entry = ps.keys.get(ev.api_key_id);
    if (!entry) {
      entry = { t, s: new Array(this.detectors.length) };
      ps.keys.set(ev.api_key_id, entry);
    }
    if (t > entry.t) entry.t = t;
    if (t > ps.clock) ps.clock = t;
    const o: Observation = { event: ev, t, now: entry.t, late: t < entry.t - this.opts.allowedLatenessMs, geo, allowedCountries: allowedCountries(r.doc), doc: r.doc };
    for (let i = 0; i < this.detectors.length; i++) {
      const d = this.detectors[i]!;
      try {
        entry.s[i] = d.inst.observe(o, entry.s[i], (f) => this.onFinding(ps, entry!, d, r, o, f, batchAlerts));
      } catch (err) {
        this.opts.onDetectorError?.(d.def.name, err);
      }
    }
    // sweeps fall on fixed event-time boundaries, so a restored partition sweeps where an uninterrupted one does
    if (Math.floor(ps.clock / this.sweepEvery) > Math.floor(ps.lastSweep / this.sweepEvery)) this.sweep(ps);
  }

  private onFinding(ps: PartitionState, entry: KeyEntry, d: LoadedDetector, r: AuditRecord, o: Observation, f: Finding, batchAlerts: Map<string, Alert>): void {
    const rule = d.def.name;
    const key = f.incident ?? f.kind;
    const slot = `${rule}|${key}`;
    const incs = (entry.inc ??= {});
    let inc: Incident | undefined = incs[slot];
    if (inc && o.t - inc.last > d.clearAfterMs) inc = undefined;
    if (!inc) {
      inc = { id: incidentId(rule, key, o.event.api_key_id, o.t), rule, key, kind: f.kind, sev: f.severity, first: o.t, last: o.t, count: 0, created: this.wall(), peak: -1, msg: f.message, ev: f.evidence, p: null, ip: null, cc: null };
      incs[slot] = inc;
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
    for (const [k, e] of ps.keys) {
      if (e.t < idleBefore) {
        ps.keys.delete(k);
        continue;
      }
      for (let i = 0; i < this.detectors.length; i++) {
        const d = this.detectors[i]!;
        if (e.s[i] !== undefined && d.inst.expire) e.s[i] = d.inst.expire(e.s[i], ps.clock);
      }
      if (e.inc) {
        for (const [slot, inc] of Object.entries(e.inc)) {
          const d = this.detectors.find((x) => x.def.name === inc.rule);
          if (!d || ps.clock - inc.last > d.clearAfterMs) delete e.inc[slot];
        }
        if (Object.keys(e.inc).length === 0) e.inc = undefined;
      }
    }
  }

  snapshot(ps: PartitionState): SnapshotBody {
    const keys: SnapshotBody['keys'] = {};
    for (const [k, e] of ps.keys) {
      const s: Record<string, unknown> = {};
      this.detectors.forEach((d, i) => {
        if (e.s[i] !== undefined) s[d.def.name] = encodeNumbers(e.s[i], e.t);
      });
      keys[k] = { t: e.t, s, ...(e.inc ? { i: Object.values(e.inc) } : {}) };
    }
    return { v: SNAPSHOT_VERSION, clock: ps.clock, keys };
  }

  restore(body: SnapshotBody, offset: number): PartitionState {
    const ps = new PartitionState();
    ps.clock = ps.lastSweep = body.clock;
    ps.processed = ps.restored = ps.acked = ps.saved = offset;
    for (const [k, e] of Object.entries(body.keys)) {
      const entry: KeyEntry = { t: e.t, s: this.detectors.map((d) => decodeNumbers(e.s[d.def.name], e.t)) };
      if (e.i?.length) {
        entry.inc = {};
        for (const inc of e.i) entry.inc[`${inc.rule}|${inc.key}`] = inc;
      }
      ps.keys.set(k, entry);
    }
    return ps;
  }
}

