import { clientFamily, incidentId, NONE, principalTypeOf, utcDay, type Finding, type FindingInput, type Observation } from './common.js';

export interface SharedKeyOptions {
  windowMs: number;
  maxClients: number;
  maxPrincipalTypes: number;
}

/** Values seen with one key, each with the last event time seen with it. */
interface Window {
  seen: Map<string, number>;
  /** No entry is older than this: the expiry scan runs only when the window has moved past it. */
  oldest: number;
  /** The raw value of the last event and what it mapped to (a key's traffic repeats it). */
  lastRaw: string | null;
  lastValue: string | null;
}

interface KeyWindows {
  clients: Window;
  ptypes: Window;
}

const newWindow = (): Window => ({ seen: new Map(), oldest: Infinity, lastRaw: null, lastValue: null });

/**
 * One key used by several services or principal types within a window (least privilege: one key
 * per service). The usage event names no service, so "several services" is read from distinct
 * client families (user-agent products: openai-python, openai-node, langchain, curl...) and
 * "several principal types" from principal_id patterns. Only accepted calls count: a burst of 401s
 * from a script with someone's old key is an invalid-request burst, not a second service.
 */
export class SharedKey implements Finding {
  readonly name = 'shared_key';
  private readonly keys = new Map<string, KeyWindows>();

  constructor(private readonly o: SharedKeyOptions) {}

  private note(w: Window, raw: string | null, map: (raw: string | null) => string | null, at: number): Map<string, number> {
    let value: string | null;
    if (raw !== null && raw === w.lastRaw) value = w.lastValue;
    else {
      value = map(raw);
      w.lastRaw = raw;
      w.lastValue = value;
    }
    const s = w.seen;
    if (value !== null) {
      const t = Math.max(s.get(value) ?? 0, at);
      s.set(value, t);
      if (t < w.oldest) w.oldest = t;
    }
    if (w.oldest <= at - this.o.windowMs) this.expire(w, at);
    return s;
  }

  private expire(w: Window, now: number): void {
    let oldest = Infinity;
    for (const [v, t] of w.seen) {
      if (t <= now - this.o.windowMs) w.seen.delete(v);
      else if (t < oldest) oldest = t;
    }
    w.oldest = oldest;
  }

  check({ event }: FindingInput): Observation[] {
    if (event.status_code === 401 || event.status_code === 403) return NONE;
    const at = event.occurred_at;
    let k = this.keys.get(event.api_key_id);
    if (k === undefined) this.keys.set(event.api_key_id, (k = { clients: newWindow(), ptypes: newWindow() }));
    const clients = this.note(k.clients, event.user_agent, clientFamily, at);
    const ptypes = this.note(k.ptypes, event.principal_id, principalTypeOf, at);
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
    for (const [key, k] of this.keys) {
      this.expire(k.clients, now);
      this.expire(k.ptypes, now);
      if (!k.clients.seen.size && !k.ptypes.seen.size) this.keys.delete(key);
    }
  }
}
