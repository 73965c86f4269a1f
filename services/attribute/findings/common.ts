import { createHash } from 'node:crypto';
import type { Alert, Json, UsageEvent } from '../../common/types.js';
import type { Identity, TeamPolicy } from '../identity.js';

export const DAY_MS = 86_400_000;

/** What the attribute stage knows about one event when it asks the findings. */
export interface FindingInput {
  event: UsageEvent;
  identity: Identity | undefined;
  team: TeamPolicy | undefined;
  /** Whether any directory source is configured (without one, every key is unknown and that is not news). */
  directoryConfigured: boolean;
  /** Estimated USD of this call (0 for failed calls, undefined when the model has no price). */
  costUsd: number | undefined;
  /** Last use of the key before this event (event time, epoch ms), from the persisted key state. */
  previousLastSeen: number | undefined;
}

export interface Observation {
  /** Stable incident id: same rule and subject, same id, so more evidence updates one alert. */
  id: string;
  rule: string;
  kind: string;
  severity: Alert['severity'];
  message: string;
  evidence: Record<string, Json>;
  /** Numbers summed into evidence across the incident's events (e.g. accepted/rejected calls). */
  tally?: Record<string, number>;
  /** Raise once and never update (budget thresholds). */
  once?: boolean;
}

/** What a finding returns when nothing is to be raised: one shared frozen array, not one per event. */
export const NONE: Observation[] = Object.freeze([]) as unknown as Observation[];

/** A finding: one file, one rule. Pure per event apart from its own window state. */
export interface Finding {
  readonly name: string;
  check(input: FindingInput): Observation[];
}

// the same incident is observed on every event of its key: the hash of a recent input is kept (bounded)
const ids = new Map<string, string>();
const MAX_IDS = 20_000;

export function incidentId(rule: string, ...parts: (string | number | null | undefined)[]): string {
  let input = rule;
  for (const p of parts) input += `\u0000${p ?? ''}`;
  let id = ids.get(input);
  if (id === undefined) {
    id = `${rule}-${createHash('sha256').update(input).digest('hex').slice(0, 24)}`;
    if (ids.size >= MAX_IDS) ids.delete(ids.keys().next().value!);
    ids.set(input, id);
  }
  return id;
}

// called for every event with event times that stay within a day for hours: the last day's strings are kept
let memoDay = NaN;
let memoDayKey = '';
let memoMonthKey = '';
function dayKeys(ms: number): void {
  const d = Math.floor(ms / DAY_MS);
  if (d === memoDay) return;
  const iso = new Date(ms).toISOString();
  memoDay = d;
  memoDayKey = iso.slice(0, 10);
  memoMonthKey = iso.slice(0, 7);
}
export const utcDay = (ms: number): string => (dayKeys(ms), memoDayKey);
export const utcMonth = (ms: number): string => (dayKeys(ms), memoMonthKey);

/**
 * The principal type a principal_id looks like. The usage event carries no service name, so this and
 * the client family are the signals shared_key can use; the patterns are the conventions our gateways
 * assert (user-…, e-mail, svc-…, spiffe://…, Kubernetes service accounts).
 */
export function principalTypeOf(principalId: string | null): 'user' | 'service' | 'workload' | null {
  if (!principalId) return null;
  const p = principalId.toLowerCase();
  if (p.startsWith('spiffe://') || p.startsWith('system:serviceaccount:') || p.startsWith('workload-') || p.startsWith('wl-') || p.startsWith('arn:aws:sts:')) return 'workload';
  if (p.startsWith('svc-') || p.startsWith('service-') || p.startsWith('sa-') || p.startsWith('app-') || p.endsWith('.iam.gserviceaccount.com')) return 'service';
  if (p.startsWith('user-') || p.startsWith('usr-') || p.startsWith('u-') || p.includes('@')) return 'user';
  return null;
}

/** "openai-python/1.54.0" -> "openai-python": the product, not the version, so an upgrade is not a second client. */
export function clientFamily(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const first = userAgent.trim().split(/[\s/]/, 1)[0]!.toLowerCase();
  return first || null;
}

export function severityMax(a: Alert['severity'], b: Alert['severity']): Alert['severity'] {
  const order = ['low', 'medium', 'high', 'critical'] as const;
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}
