import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from '../services/common/paths.js';
import type { Alert, UsageEvent } from '../services/common/types.js';

export interface Label { rule: string; api_key_id: string; start: number; end: number; kind?: string; country?: string; principal_id?: string; evidence_at?: number }
export interface Control { kind: string; api_key_id: string; start?: number; allow_until?: number }
export interface Labels { labels: Label[]; controls: Control[]; keys: { api_key_id: string; home: string[] }[] }

export const dataDir = () => process.env.LLM_AUDIT_SHARED_DATA ?? join(repoRoot(), '..', 'shared', 'data');

/** `traffic-dev` (the first data set) or `traffic-dev-v2` (with cost, replay, credential and smuggling attacks). */
export function loadTraffic(name = 'traffic-dev'): { events: UsageEvent[]; labels: Labels } {
  const text = gunzipSync(readFileSync(join(dataDir(), `${name}.events.jsonl.gz`))).toString('utf8');
  const events = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as UsageEvent);
  const labels = JSON.parse(readFileSync(join(dataDir(), `${name}.labels.json`), 'utf8')) as Labels;
  return { events, labels };
}

/** How far outside [start, end] an alert may first be seen and still match (windows need time to fill). */
export const SLACK_MS = 5 * 60_000;

export function matches(a: Alert, l: Label): boolean {
  return a.rule === l.rule && a.api_key_id === l.api_key_id && (!l.kind || a.kind === l.kind) && a.first_seen >= l.start - SLACK_MS && a.first_seen <= l.end + SLACK_MS;
}

/** An alert on a control key that counts against the detectors (the seasonal control may alert while it is being learned). */
export function countsOnControl(a: Alert, controls: Control[]): boolean {
  return controls.some((c) => c.api_key_id === a.api_key_id && !(c.allow_until !== undefined && a.first_seen < c.allow_until));
}

export function explain(a: Alert): string {
  return `${a.rule}/${a.kind} ${a.api_key_id} at +${new Date(a.first_seen).toISOString()} count=${a.count}: ${a.message} ${JSON.stringify(a.evidence)}`;
}

/** Event time (s) from each labelled token spike's start (or `evidence_at`) to its first token_spike alert; null when missed. */
export function spikeDelays(alerts: Alert[], labels: Label[]): { label: Label; delay: number | null }[] {
  return labels
    .filter((l) => l.rule === 'token_spike')
    .map((label) => {
      const hit = alerts.filter((a) => matches(a, label)).sort((a, b) => a.first_seen - b.first_seen)[0];
      return { label, delay: hit ? (hit.first_seen - (label.evidence_at ?? label.start)) / 1000 : null };
    });
}

/** The issue's target: a token spike is alerted within this much event time of its start. */
export const SPIKE_TARGET_S = 30;

/** One line for the eval's output: each spike's delay, sorted, and how many are over the target. */
export function describeDelays(ds: { label: Label; delay: number | null }[]): string {
  const sorted = [...ds].sort((a, b) => (a.delay ?? Infinity) - (b.delay ?? Infinity));
  const over = ds.filter((d) => d.delay === null || d.delay > SPIKE_TARGET_S).length;
  return `token_spike delays: ${sorted.map((d) => `${d.label.api_key_id} ${d.delay === null ? 'missed' : `${d.delay.toFixed(1)} s`}`).join(', ')}; ${over} over the ${SPIKE_TARGET_S} s target`;
}
