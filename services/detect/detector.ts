import { randomUUID } from 'node:crypto';
import type { ConfigOf, ConfigSchema, FieldSpec } from '../common/config.js';
import type { Alert, Doc, Json, UsageEvent } from '../common/types.js';
import type { GeoInfo } from './geo.js';

export type Severity = Alert['severity'];

/** What a detector sees for one event of one API key. */
export interface Observation {
  event: UsageEvent;
  /** occurred_at */
  t: number;
  /** The key's event-time clock: the latest occurred_at seen for this key (this event included). */
  now: number;
  /** Older than `now - allowedLateness`: too late to count in windows. */
  late: boolean;
  geo: GeoInfo | null;
  /** Fields of the audit document a detector may use (owner's allowed countries...). */
  allowedCountries: string[] | null;
  /** The audit document as earlier stages left it (tokenize's counts, attribute's cost...): read, never write. */
  doc: Doc;
}

/** One piece of evidence that a condition holds. The engine turns findings into incidents and alerts. */
export interface Finding {
  kind: string;
  severity: Severity;
  /** Findings with the same incident key (per rule and API key) feed one incident; default: kind. */
  incident?: string;
  message: string;
  evidence: Record<string, Json>;
  /** How strong this evidence is (ratio, count...): the alert shows the strongest so far. Default: the latest wins. */
  score?: number;
  principal_id?: string | null;
  source_ip?: string | null;
  country?: string | null;
}

export interface DetectorContext {
  allowedLatenessMs: number;
  /** The process environment the stage was configured from (for keys shared with other stages). */
  env?: NodeJS.ProcessEnv;
}

/**
 * A detector's live half. Its per-key state is plain JSON (it is checkpointed as is) and it
 * returns the state to keep, or undefined to hold nothing for this key.
 */
export interface DetectorInstance<S = unknown> {
  observe(o: Observation, state: S | undefined, emit: (f: Finding) => void): S | undefined;
  /** Forget what is older than `before` (event time) inside a key's state; undefined drops it all. */
  expire?(state: S, before: number): S | undefined;
}

export interface Fixture {
  description: string;
  events: () => UsageEvent[];
}

/** What a file in detectors/ exports as `detector`. Adding a detector is that file and its test. */
export interface DetectorDef<Spec extends Record<string, FieldSpec> = Record<string, FieldSpec>> {
  /** The rule name in alerts (rule.name). */
  name: string;
  description: string;
  /** Severity of its most common finding; findings carry their own. */
  severity: Severity;
  /** Known gaps are better than unknown gaps. */
  knownGaps: string[];
  config: ConfigSchema<Spec>;
  /** Event time without evidence after which an incident is over: the next finding opens a new one. */
  clearAfterMs(cfg: ConfigOf<Spec>): number;
  create(cfg: ConfigOf<Spec>, ctx: DetectorContext): DetectorInstance<any>;
  /** The policy test runs these through the engine: `fires` must raise an alert of this rule, `quiet` none. */
  fixtures: { fires: Fixture; quiet: Fixture };
}

export function defineDetector<Spec extends Record<string, FieldSpec>>(d: DetectorDef<Spec>): DetectorDef<Spec> {
  return d;
}

/** A synthetic usage event for fixtures and tests. */
export function fixtureEvent(over: Partial<UsageEvent> & { occurred_at: number }): UsageEvent {
  return {
    event_id: randomUUID(),
    gateway_id: 'gw-test',
    environment: 'prod',
    provider: 'openai',
    operation: 'chat.completions',
    model: 'gpt-4o-mini',
    model_version: null,
    api_key_id: 'key_fixture',
    principal_id: 'user-fixture',
    source_ip: '81.2.69.142',
    user_agent: 'openai-node/4.71.1',
    status_code: 200,
    error_code: null,
    input_tokens: 300,
    output_tokens: 200,
    latency_ms: 400,
    request_id: null,
    prompt: null,
    completion: null,
    ...over,
  };
}

/** Every `stepMs` from `from` until `to` (exclusive), one event made by `make`. */
export function series(from: number, to: number, stepMs: number, make: (t: number, i: number) => UsageEvent): UsageEvent[] {
  const out: UsageEvent[] = [];
  for (let t = from, i = 0; t < to; t += stepMs, i++) out.push(make(t, i));
  return out;
}

/** 32-bit FNV-1a: principals are kept in state as numbers, not strings (bytes per key). Never 0. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) || 1;
}

/**
 * A copy of `s` with `insert` at `at`, of exactly the right size and with unboxed double elements
 * (array spread would box every number: ~24 instead of 8 bytes each, in every key's state).
 */
export function spliceNumbers(s: readonly number[], at: number, insert: readonly number[], remove = 0): number[] {
  const n = new Array<number>(s.length + insert.length - remove);
  let j = 0;
  for (let i = 0; i < at; i++) n[j++] = s[i]!;
  for (let i = 0; i < insert.length; i++) n[j++] = insert[i]!;
  for (let i = at + remove; i < s.length; i++) n[j++] = s[i]!;
  return n;
}

/**
 * 1 - Math.exp(-x), the share of an exponentially decayed sum a subject of age x (in time constants) has had time
 * to fill, as that expression computes it: from x = 40 on, exp(-x) < 2^-57, below half the spacing of doubles
 * under 1, so the difference rounds to exactly 1 and the exp call is skipped (for every key older than 40 windows).
 */
export function oneMinusExp(x: number): number {
  return x >= 40 ? 1 : 1 - Math.exp(-x);
}
