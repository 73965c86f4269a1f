import type { Client } from '@elastic/elasticsearch';
import type { Alert, Json, UsageEvent } from '../common/types.js';
import { severityMax, type Observation } from './findings/common.js';

interface Open {
  alert: Alert;
  once: boolean;
  tally: Record<string, number>;
}

/**
 * Turns observations into alerts with the detectors' contract: one alert per incident id, count and
 * last_seen growing with evidence, first_seen fixed. Open incidents live in memory; the first time
 * this process sees an id, `resolve` asks Elasticsearch whether an earlier run raised it already, so
 * a restart continues the count and a once-only alert (budget threshold) stays once.
 */
export class IncidentBook {
  private readonly open = new Map<string, Open>();
  private pendingNew: Alert[] = [];
  private readonly maxOpen: number;

  constructor(opts: { maxOpen?: number } = {}) {
    this.maxOpen = opts.maxOpen ?? 100_000;
  }

  /** Returns the alert to attach to the event's record, or undefined when nothing is to be (re)emitted. */
  observe(o: Observation, event: UsageEvent, owner: Alert['owner'], now = Date.now()): Alert | undefined {
    const cur = this.open.get(o.id);
    if (cur) {
      if (cur.once) return undefined;
      const a = cur.alert;
      a.count++;
      a.last_seen = Math.max(a.last_seen, event.occurred_at);
      a.timestamp = event.occurred_at;
      a.created = now;
      a.severity = severityMax(a.severity, o.severity);
      a.message = o.message;
      a.principal_id = event.principal_id;
      a.source_ip = event.source_ip;
      if (owner) a.owner = owner;
      for (const [k, v] of Object.entries(o.tally ?? {})) cur.tally[k] = (cur.tally[k] ?? 0) + v;
      a.evidence = { ...o.evidence, ...cur.tally };
      return a;
    }
    if (this.open.size >= this.maxOpen) this.evictOldest();
    const alert: Alert = {
      id: o.id,
      rule: o.rule,
      kind: o.kind,
      severity: o.severity,
      api_key_id: event.api_key_id,
      timestamp: event.occurred_at,
      created: now,
      first_seen: event.occurred_at,
      last_seen: event.occurred_at,
      count: 1,
      principal_id: event.principal_id,
      source_ip: event.source_ip,
      message: o.message,
      evidence: { ...o.evidence, ...(o.tally ?? {}) },
      ...(owner ? { owner } : {}),
    };
    this.open.set(o.id, { alert, once: !!o.once, tally: { ...(o.tally ?? {}) } });
    this.pendingNew.push(alert);
    return alert;
  }

  private evictOldest(): void {
    let oldest: string | undefined;
    let t = Infinity;
    for (const [id, o] of this.open) if (o.alert.last_seen < t) (t = o.alert.last_seen), (oldest = id);
    if (oldest) this.open.delete(oldest);
  }

  /**
   * Merges what Elasticsearch holds for the incidents first seen in this process. Returns the ids
   * that must not be emitted again (once-only alerts already raised). Best effort: without an
   * answer the alerts go out as new, which at worst repeats a notification.
   */
  async resolve(es: Client | undefined, alertsPattern: string): Promise<Set<string>> {
    const fresh = this.pendingNew;
    this.pendingNew = [];
    const suppressed = new Set<string>();
    if (!es || fresh.length === 0) return suppressed;
    const res = await es.search<{ llm_audit?: { alert?: { count?: number; first_seen?: string } } }>({
      index: alertsPattern,
      ignore_unavailable: true,
      allow_no_indices: true,
      size: fresh.length,
      query: { ids: { values: fresh.map((a) => a.id) } },
      _source: ['llm_audit.alert.count', 'llm_audit.alert.first_seen'],
    });
    const byId = new Map(res.hits.hits.map((h) => [h._id, h._source] as const));
    for (const a of fresh) {
      const prior = byId.get(a.id);
      if (!prior) continue;
      const o = this.open.get(a.id);
      if (o?.once) {
        suppressed.add(a.id);
        continue;
      }
      const pc = prior.llm_audit?.alert?.count ?? 0;
      const pf = prior.llm_audit?.alert?.first_seen ? Date.parse(prior.llm_audit.alert.first_seen) : NaN;
      a.count += pc;
      if (Number.isFinite(pf) && pf < a.first_seen) a.first_seen = pf;
      a.evidence = { ...a.evidence, resumed_from_count: pc as Json };
    }
    return suppressed;
  }

  get size(): number {
    return this.open.size;
  }

  /** Closes incidents without evidence since `before` (event time), so a later recurrence opens a fresh alert. */
  expire(before: number): void {
    // once-only incidents (budget thresholds) must outlive their period, a month at most
    for (const [id, o] of this.open) if (o.alert.last_seen < (o.once ? before - 35 * 86_400_000 : before)) this.open.delete(id);
  }
}
