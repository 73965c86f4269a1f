import type { Alert, Json } from '../common/types.js';
import type { AlertStatus, DeliveryRecord } from './sinks/sink.js';

/** Slack Block Kit, as plain objects (exactly what goes on the wire, so tests compare them whole). */
export type Block = Record<string, unknown>;
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export interface LinkSettings {
  kibanaUrl: string;
  kibanaDataView: string;
  runbookBaseUrl: string;
}

export interface StatusView {
  status: AlertStatus;
  acknowledged_by?: string | null;
  acknowledged_at?: number | null;
  resolved_by?: string | null;
  resolved_at?: number | null;
}

export const ACK_ACTION = 'llm_audit_ack';
export const RESOLVE_ACTION = 'llm_audit_resolve';

const SEVERITY_EMOJI: Record<Alert['severity'], string> = {
  critical: ':rotating_light:',
  high: ':red_circle:',
  medium: ':large_orange_circle:',
  low: ':large_blue_circle:',
};

/** Slack mrkdwn control characters; everything from detectors or the directory passes through here. */
export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

export function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n.toLocaleString('en-US', { maximumFractionDigits: Math.abs(n) < 10 ? 2 : 1 });
}

function fmtDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.round(m / 6) / 10;
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} d`;
}

/** Rison, the URL encoding Kibana's app state uses: strings in single quotes, `!` escapes `'` and `!`. */
const rison = (s: string): string => `'${s.replace(/!/g, '!!').replace(/'/g, "!'")}'`;

/** Discover on the alert's key, from 15 minutes before the incident to 15 minutes after its last evidence. */
export function kibanaDiscoverUrl(links: LinkSettings, a: Pick<Alert, 'api_key_id' | 'first_seen' | 'last_seen'>): string {
  const pad = 15 * 60_000;
  const query = `llm_audit.api_key.id:"${a.api_key_id.replace(/["\\]/g, '\\$&')}"`;
  const g = `(time:(from:${rison(iso(a.first_seen - pad))},to:${rison(iso(a.last_seen + pad))}))`;
  const st = `(dataSource:(dataViewId:${rison(links.kibanaDataView)},type:dataView),query:(language:kuery,query:${rison(query)}))`;
  return `${links.kibanaUrl.replace(/\/$/, '')}/app/discover#/?_g=${encodeURIComponent(g)}&_a=${encodeURIComponent(st)}`;
}

export const runbookUrl = (links: LinkSettings, rule: string): string => `${links.runbookBaseUrl.replace(/\/$/, '')}/${encodeURIComponent(rule)}.md`;

// ---- evidence: the numbers that explain each rule ---------------------------------------------------

type Ev = Record<string, Json>;
const num = (e: Ev, ...keys: string[]): number | undefined => {
  for (const k of keys) if (typeof e[k] === 'number') return e[k] as number;
  return undefined;
};
const str = (e: Ev, ...keys: string[]): string | undefined => {
  for (const k of keys) if (typeof e[k] === 'string' && e[k] !== '') return e[k] as string;
  return undefined;
};
const strList = (e: Ev, ...keys: string[]): string[] | undefined => {
  for (const k of keys) if (Array.isArray(e[k])) return (e[k] as Json[]).map((x) => String(x));
  return undefined;
};
function windowOf(e: Ev): string | undefined {
  const ms = num(e, 'window_ms');
  if (ms !== undefined) return fmtDuration(ms);
  const s = num(e, 'window_s', 'window_sec', 'window_seconds');
  if (s !== undefined) return fmtDuration(s * 1000);
  const m = num(e, 'window_min', 'window_minutes');
  if (m !== undefined) return fmtDuration(m * 60_000);
  return str(e, 'window');
}

/**
 * A rule's headline lines. Keys it reads are listed in `used` so the rest of the evidence is still shown
 * (a detector adding a field never hides it). Unknown rules get only the generic list.
 */
type Headline = (e: Ev, a: Alert) => { lines: string[]; used: string[] };

const WINDOW_KEYS = ['window', 'window_ms', 'window_s', 'window_sec', 'window_seconds', 'window_min', 'window_minutes'];

const observedVsBaseline: Headline = (e) => {
  const observed = num(e, 'observed', 'observed_tokens', 'tokens');
  const baseline = num(e, 'baseline', 'baseline_tokens', 'baseline_mean', 'expected');
  const threshold = num(e, 'threshold', 'threshold_tokens');
  const zscore = num(e, 'zscore', 'z_score', 'z');
  const w = windowOf(e);
  const lines: string[] = [];
  if (observed !== undefined) {
    let l = `*Observed* ${fmtNum(observed)} tokens${w ? ` in ${w}` : ''}`;
    if (baseline !== undefined) l += ` against a baseline of ${fmtNum(baseline)}${baseline > 0 ? ` (*×${fmtNum(Math.round((observed / baseline) * 10) / 10)}*)` : ''}`;
    lines.push(l);
  }
  const extra = [threshold !== undefined ? `threshold ${fmtNum(threshold)}` : '', zscore !== undefined ? `z-score ${fmtNum(zscore)}` : ''].filter(Boolean);
  if (extra.length) lines.push(`*Rule* ${extra.join(', ')}`);
  return { lines, used: ['observed', 'observed_tokens', 'tokens', 'baseline', 'baseline_tokens', 'baseline_mean', 'expected', 'threshold', 'threshold_tokens', 'zscore', 'z_score', 'z', ...WINDOW_KEYS] };
};

function mix(v: Json | undefined): string | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const parts = Object.entries(v)
    .filter(([, n]) => typeof n === 'number')
    .sort((x, y) => (y[1] as number) - (x[1] as number))
    .map(([k, n]) => `${esc(k)}: ${fmtNum(n as number)}`);
  return parts.length ? parts.join(', ') : undefined;
}

const burst: Headline = (e, a) => {
  const size = num(e, 'burst', 'burst_size', 'observed', 'failures', 'count') ?? a.count;
  const total = num(e, 'total', 'requests');
  const threshold = num(e, 'threshold');
  const w = windowOf(e);
  const lines = [`*Burst* ${fmtNum(size)} failed requests${total !== undefined ? ` of ${fmtNum(total)}` : ''}${w ? ` in ${w}` : ''}${threshold !== undefined ? ` (threshold ${fmtNum(threshold)})` : ''}`];
  const statuses = mix(e.status_mix ?? e.statuses ?? e.status_codes);
  if (statuses) lines.push(`*Status mix* ${statuses}`);
  const codes = mix(e.error_codes ?? e.error_mix);
  if (codes) lines.push(`*Error codes* ${codes}`);
  return { lines, used: ['burst', 'burst_size', 'observed', 'failures', 'count', 'total', 'requests', 'threshold', 'status_mix', 'statuses', 'status_codes', 'error_codes', 'error_mix', ...WINDOW_KEYS] };
};

const geo: Headline = (e, a) => {
  const lines: string[] = [];
  const from = str(e, 'from_country', 'previous_country', 'prev_country');
  const to = str(e, 'to_country', 'country') ?? a.country ?? undefined;
  const home = strList(e, 'home_countries', 'known_countries', 'baseline_countries', 'usual_countries');
  const km = num(e, 'distance_km');
  const kmh = num(e, 'speed_kmh');
  const gapMs = num(e, 'elapsed_ms', 'gap_ms') ?? (num(e, 'elapsed_s', 'gap_s') ?? NaN) * 1000;
  if (a.kind === 'impossible_travel' || km !== undefined || from) {
    let l = `*Travel* ${esc(from ?? '?')} → ${esc(to ?? '?')}`;
    if (km !== undefined) l += `, ${fmtNum(Math.round(km))} km`;
    if (Number.isFinite(gapMs)) l += ` in ${fmtDuration(gapMs)}`;
    if (kmh !== undefined) l += ` (*${fmtNum(Math.round(kmh))} km/h*)`;
    lines.push(l);
  } else if (to) {
    lines.push(`*New country* ${esc(to)}${home ? ` (usual: ${home.map(esc).join(', ') || 'none'})` : ''}`);
  }
  if (home && lines[0]?.startsWith('*Travel*')) lines.push(`*Usual countries* ${home.map(esc).join(', ') || 'none'}`);
  return { lines, used: ['from_country', 'previous_country', 'prev_country', 'to_country', 'country', 'home_countries', 'known_countries', 'baseline_countries', 'usual_countries', 'distance_km', 'speed_kmh', 'elapsed_ms', 'gap_ms', 'elapsed_s', 'gap_s'] };
};

const budget: Headline = (e) => {
  const spent = num(e, 'spend_usd', 'cost_usd', 'observed_usd', 'observed');
  const limit = num(e, 'budget_usd', 'budget', 'limit_usd');
  const period = str(e, 'period', 'budget_period');
  const lines: string[] = [];
  if (spent !== undefined) lines.push(`*Spend* $${fmtNum(spent)}${limit !== undefined ? ` of a $${fmtNum(limit)} budget${limit > 0 ? ` (*${Math.round((spent / limit) * 100)}%*)` : ''}` : ''}${period ? ` this ${esc(period)}` : ''}`);
  return { lines, used: ['spend_usd', 'cost_usd', 'observed_usd', 'observed', 'budget_usd', 'budget', 'limit_usd', 'period', 'budget_period'] };
};

const ageVsMax = (ageKeys: string[], maxKeys: string[], label: string): Headline => (e) => {
  const age = num(e, ...ageKeys);
  const max = num(e, ...maxKeys);
  const lines = age !== undefined ? [`*${label}* ${fmtNum(age)} days${max !== undefined ? ` (policy: ${fmtNum(max)} days)` : ''}`] : [];
  return { lines, used: [...ageKeys, ...maxKeys] };
};

const envMismatch: Headline = (e) => {
  const expected = str(e, 'expected_environment', 'key_environment', 'directory_environment');
  const observed = str(e, 'observed_environment', 'gateway_environment', 'environment');
  const lines = expected || observed ? [`*Environment* key is for \`${esc(expected ?? '?')}\`, used from \`${esc(observed ?? '?')}\``] : [];
  return { lines, used: ['expected_environment', 'key_environment', 'directory_environment', 'observed_environment', 'gateway_environment', 'environment'] };
};

const sharedKey: Headline = (e) => {
  const lines: string[] = [];
  for (const [k, label] of [['principals', 'Principals'], ['services', 'Services'], ['source_ips', 'Source IPs']] as const) {
    const list = strList(e, k);
    const n = num(e, `distinct_${k}`, `${k}_count`) ?? list?.length;
    if (n !== undefined) lines.push(`*${label}* ${fmtNum(n)}${list?.length ? `: ${list.slice(0, 5).map((x) => `\`${esc(x)}\``).join(', ')}${list.length > 5 ? ', …' : ''}` : ''}`);
  }
  return { lines, used: ['principals', 'services', 'source_ips', 'distinct_principals', 'principals_count', 'distinct_services', 'services_count', 'distinct_source_ips', 'source_ips_count'] };
};

const revoked: Headline = (e) => {
  const at = str(e, 'revoked_at') ?? (typeof e.revoked_at === 'number' ? iso(e.revoked_at) : undefined);
  return { lines: at ? [`*Revoked* ${esc(at)}; the key is still being used`] : [], used: ['revoked_at'] };
};

const unattributed: Headline = () => ({ lines: ['*Owner* the key is not in the identity directory'], used: [] });

export const HEADLINES: Record<string, Headline> = {
  token_spike: observedVsBaseline,
  invalid_request_burst: burst,
  geo_anomaly: geo,
  budget_exceeded: budget,
  key_rotation_overdue: ageVsMax(['age_days', 'key_age_days'], ['max_age_days', 'rotation_days', 'policy_days'], 'Key age'),
  dormant_key_reactivated: ageVsMax(['dormant_days', 'idle_days', 'inactive_days'], ['dormant_after_days', 'threshold_days'], 'Dormant for'),
  environment_mismatch: envMismatch,
  shared_key: sharedKey,
  revoked_key_used: revoked,
  unattributed_key: unattributed,
};

function fmtValue(v: Json): string {
  if (typeof v === 'number') return fmtNum(v);
  if (typeof v === 'string') return esc(v);
  if (Array.isArray(v)) return v.map((x) => fmtValue(x)).join(', ');
  if (v && typeof v === 'object') return mix(v) ?? esc(JSON.stringify(v));
  return String(v);
}

export function evidenceLines(a: Alert): string[] {
  const h = HEADLINES[a.rule];
  const { lines, used } = h ? h(a.evidence, a) : { lines: [], used: [] };
  const skip = new Set(used);
  for (const [k, v] of Object.entries(a.evidence).sort(([x], [y]) => x.localeCompare(y))) {
    if (skip.has(k) || v === null || v === '') continue;
    lines.push(`${esc(k.replace(/_/g, ' '))}: ${fmtValue(v)}`);
  }
  return lines;
}

// ---- messages -------------------------------------------------------------------------------------

const ruleTitle = (a: Pick<Alert, 'rule' | 'kind'>): string => (a.kind && a.kind !== a.rule ? `${a.rule} (${a.kind})` : a.rule);

function statusLine(s: StatusView): string {
  if (s.status === 'resolved') return `:white_check_mark: Resolved by ${s.resolved_by ? `<@${s.resolved_by}>` : 'someone'}${s.resolved_at ? ` at ${iso(s.resolved_at)}` : ''}`;
  if (s.status === 'acknowledged') return `:eyes: Acknowledged by ${s.acknowledged_by ? `<@${s.acknowledged_by}>` : 'someone'}${s.acknowledged_at ? ` at ${iso(s.acknowledged_at)}` : ''}`;
  return 'Status: open';
}

/** The incident's top-level message (posted once, then kept current with chat.update). */
export function alertMessage(a: Alert, links: LinkSettings, status: StatusView = { status: 'open' }): SlackMessage {
  const o = a.owner ?? {};
  const field = (label: string, value: string | null | undefined) => ({ type: 'mrkdwn', text: `*${label}*\n${value ? esc(value) : '_unknown_'}` });
  const principal = [o.principal_type, a.principal_id].filter(Boolean).join(' ');
  const evidence = evidenceLines(a);
  const buttons: Block[] = [];
  if (status.status === 'open') buttons.push({ type: 'button', action_id: ACK_ACTION, text: { type: 'plain_text', text: 'Acknowledge' }, style: 'primary', value: a.id });
  if (status.status !== 'resolved') buttons.push({ type: 'button', action_id: RESOLVE_ACTION, text: { type: 'plain_text', text: 'Resolve' }, value: a.id });
  buttons.push(
    { type: 'button', action_id: 'llm_audit_kibana', text: { type: 'plain_text', text: 'Open in Kibana' }, url: kibanaDiscoverUrl(links, a) },
    { type: 'button', action_id: 'llm_audit_runbook', text: { type: 'plain_text', text: 'Runbook' }, url: runbookUrl(links, a.rule) },
  );
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: `${SEVERITY_EMOJI[a.severity]} ${a.severity.toUpperCase()} · ${ruleTitle(a)}`.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: esc(a.message).slice(0, 3000) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Key*\n\`${esc(a.api_key_id)}\`` },
        field('Team', o.team),
        field('Service', o.service),
        field('Environment', o.environment),
        field('Principal', principal || null),
        { type: 'mrkdwn', text: `*Events*\n${fmtNum(a.count)} from ${iso(a.first_seen)} to ${iso(a.last_seen)}` },
      ],
    },
  ];
  if (evidence.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Evidence*\n${evidence.join('\n')}`.slice(0, 3000) } });
  blocks.push({ type: 'actions', block_id: 'llm_audit_actions', elements: buttons });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${statusLine(status)} · alert \`${esc(a.id)}\` · detected ${iso(a.created)}` }] });
  const who = [o.team, o.service].filter(Boolean).join('/');
  return { text: `[${a.severity.toUpperCase()}] ${ruleTitle(a)} on ${a.api_key_id}${who ? ` (${who})` : ''}: ${a.message}`.slice(0, 3000), blocks };
}

/** A thread reply for a later message of the same incident. */
export function updateMessage(a: Alert, prior: Pick<DeliveryRecord, 'last_count' | 'severity'>): SlackMessage {
  const grew = a.count - prior.last_count;
  const sev = a.severity !== prior.severity ? ` · severity ${prior.severity} → *${a.severity}*` : '';
  const evidence = evidenceLines(a);
  const text = `Update: ${ruleTitle(a)} on ${a.api_key_id}: ${fmtNum(a.count)} events (+${fmtNum(grew)}), last seen ${iso(a.last_seen)}${sev}`;
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: esc(text).replace(/^Update:/, '*Update:*') } }];
  if (evidence.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: evidence.join('\n').slice(0, 3000) }] });
  return { text, blocks };
}

/** Lines of a summary, grouped into section blocks of at most ~2,900 characters (Slack's limit is 3,000). */
export function summaryMessage(channel: string, held: Pick<DeliveryRecord, 'alert_id' | 'rule' | 'severity' | 'api_key_id' | 'team' | 'last_count'>[], windowMs: number, links: LinkSettings): SlackMessage {
  const byRule = new Map<string, number>();
  for (const h of held) byRule.set(h.rule, (byRule.get(h.rule) ?? 0) + 1);
  const perRule = [...byRule].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([r, n]) => `${r}: ${n}`).join(', ');
  const text = `Alert storm in ${channel}: ${held.length} alert${held.length === 1 ? '' : 's'} held back by the rate cap in the last ${fmtDuration(windowMs)} (${perRule})`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: `:ocean: Alert storm: ${held.length} held back`, emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: esc(text) } },
  ];
  const maxSections = 45; // 50 blocks per message, minus header, intro and footer
  let chunk = '';
  let listed = 0;
  for (const h of held) {
    const line = `• ${h.severity.toUpperCase()} ${esc(h.rule)} \`${esc(h.api_key_id)}\`${h.team ? ` ${esc(h.team)}` : ''} ×${fmtNum(h.last_count)} · \`${esc(h.alert_id)}\``;
    if (chunk.length + line.length + 1 > 2900) {
      if (blocks.length - 2 >= maxSections) break;
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
      chunk = '';
    }
    chunk += (chunk ? '\n' : '') + line;
    listed++;
  }
  if (chunk && blocks.length - 2 < maxSections) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  else if (chunk) listed -= chunk.split('\n').length;
  const rest = held.length - listed;
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `${rest > 0 ? `…and ${rest} more, all recorded in Elasticsearch. ` : ''}Updates of these incidents go to this message's thread. <${links.kibanaUrl.replace(/\/$/, '')}/app/discover|Open Kibana>` }],
  });
  return { text, blocks };
}
