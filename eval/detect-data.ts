import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from '../services/common/paths.js';
import type { Alert, UsageEvent } from '../services/common/types.js';

export interface Label { rule: string; api_key_id: string; start: number; end: number; kind?: string; country?: string; principal_id?: string }
export interface Labels { labels: Label[]; controls: { kind: string; api_key_id: string; start?: number }[]; keys: { api_key_id: string; home: string[] }[] }

export const dataDir = () => join(repoRoot(), '..', 'shared', 'data');

export function loadTraffic(): { events: UsageEvent[]; labels: Labels } {
  const text = gunzipSync(readFileSync(join(dataDir(), 'traffic-dev.events.jsonl.gz'))).toString('utf8');
  const events = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as UsageEvent);
  const labels = JSON.parse(readFileSync(join(dataDir(), 'traffic-dev.labels.json'), 'utf8')) as Labels;
  return { events, labels };
}

/** How far outside [start, end] an alert may first be seen and still match (windows need time to fill). */
export const SLACK_MS = 5 * 60_000;

export function matches(a: Alert, l: Label): boolean {
  return a.rule === l.rule && a.api_key_id === l.api_key_id && (!l.kind || a.kind === l.kind) && a.first_seen >= l.start - SLACK_MS && a.first_seen <= l.end + SLACK_MS;
}

export function explain(a: Alert): string {
  return `${a.rule}/${a.kind} ${a.api_key_id} at +${new Date(a.first_seen).toISOString()} count=${a.count}: ${a.message} ${JSON.stringify(a.evidence)}`;
}
