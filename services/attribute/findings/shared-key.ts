import { clientFamily, incidentId, NONE, principalTypeOf, utcDay, type Finding, type FindingInput, type Observation } from './common.js';

export interface SharedKeyOptions {
  windowMs: number;
  maxClients: number;
  maxPrincipalTypes: number;
}

/**
 * One key used by several services or principal types within a window (least privilege: one key
 * per service). The usage event names no service, so "several services" is read from distinct
 * client families (user-agent products: openai-python, openai-node, langchain, curl...) and
 * "several principal types" from principal_id patterns. Only accepted calls count: a burst of 401s
 * from a script with someone's old key is an invalid-request burst, not a second service.
 */
export class SharedKey implements Finding {
  readonly name = 'shared_key';
  /** key -> value -> last event time seen with it */
  private readonly clients = new Map<string, Map<string, number>>();
  private readonly ptypes = new Map<string, Map<string, number>>();

  constructor(private readonly o: SharedKeyOptions) {}

  private note(m: Map<string, Map<string, number>>, key: string, value: string | null, at: number): Map<string, number> {
    let s = m.get(key);
    if (!s) m.set(key, (s = new Map()));
    if (value !== null) s.set(value, Math.max(s.get(value) ?? 0, at));
    for (const [v, t] of s) if (t <= at - this.o.windowMs) s.delete(v);
    return s;
  }

  check({ event }: FindingInput): Observation[] {
    if (event.status_code === 401 || event.status_code === 403) return NONE;
    const at = event.occurred_at;
    const clients = this.note(this.clients, event.api_key_id, clientFamily(event.user_agent), at);
    const ptypes = this.note(this.ptypes, event.api_key_id, principalTypeOf(event.principal_id), at);
    // the common case raises nothing: no evidence is built for it
    if (clients.size <= this.o.maxClients && ptypes.size <= this.o.maxPrincipalTypes) return NONE;
    const out: Observation[] = [];
    const evidence = { clients: [...clients.keys()].sort(), principal_types: [...ptypes.keys()].sort(), window_minutes: this.o.windowMs / 60_000 };
    if (clients.size > this.o.maxClients) {
      out.push({
        id: incidentId(this.name, event.api_key_id, 'clients', utcDay(at)),
        rule: this.name, kind: 'clients', severity: 'medium',
        message: `API key ${event.api_key_id} is used by ${clients.size} different clients within ${evidence.window_minutes} min (threshold ${this.o.maxClients})`,
        evidence: { ...evidence, observed: clients.size, threshold: this.o.maxClients },
      });
    }
    if (ptypes.size > this.o.maxPrincipalTypes) {
      out.push({
        id: incidentId(this.name, event.api_key_id, 'principal_types', utcDay(at)),
        rule: this.name, kind: 'principal_types', severity: 'medium',
        message: `API key ${event.api_key_id} is used by ${ptypes.size} principal types (${evidence.principal_types.join(', ')}) within ${evidence.window_minutes} min`,
        evidence: { ...evidence, observed: ptypes.size, threshold: this.o.maxPrincipalTypes },
      });
    }
    return out;
  }

  /** Drop keys whose windows are empty, so the maps do not grow with every key ever seen. */
  prune(now: number): void {
    for (const m of [this.clients, this.ptypes])
      for (const [k, s] of m) {
        for (const [v, t] of s) if (t <= now - this.o.windowMs) s.delete(v);
        if (!s.size) m.delete(k);
      }
  }
}
