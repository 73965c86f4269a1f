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

export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

// toLocaleString builds a formatter per call: the top CPU cost of a message in bench:alert-delivery's profile
const NUM = { int: new Intl.NumberFormat('en-US'), small: new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }), large: new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }) };

export function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return NUM.int.format(n);
  return (Math.abs(n) < 10 ? NUM.small : NUM.large).format(n);
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
const pct = (r: number) => `${fmtNum(Math.round(r * 1000) / 10)}%`;
const list = (xs: string[] | undefined) => (xs && xs.length ? xs.map(esc).join(', ') : 'none');

// Field names are the detectors' (services/detect/detectors, services/attribute/findings), plus aliases.
const tokenSpike: Headline = (e) => {
  const observed = num(e, 'observed_tokens', 'observed', 'tokens');
  const baseline = num(e, 'baseline_tokens', 'baseline');
  const threshold = num(e, 'threshold_tokens', 'threshold');
  const ratio = num(e, 'ratio') ?? (observed !== undefined && baseline ? observed / baseline : undefined);
  const w = windowOf(e);
  const bw = num(e, 'baseline_window_s');
  const lines: string[] = [];
  if (observed !== undefined) {
    let l = `*Observed* ${fmtNum(observed)} tokens${w ? ` in ${w}` : ''}`;
    if (baseline !== undefined) l += ` against a baseline of ${fmtNum(baseline)}${bw !== undefined ? ` (learned over ${fmtDuration(bw * 1000)})` : ''}`;
    if (ratio !== undefined) l += `: *×${fmtNum(Math.round(ratio * 10) / 10)}*`;
    lines.push(l);
  }
  if (threshold !== undefined) {
    const factor = num(e, 'factor');
    const min = num(e, 'min_tokens');
    const how = [factor !== undefined ? `×${fmtNum(factor)} the baseline` : '', min !== undefined ? `at least ${fmtNum(min)}` : ''].filter(Boolean).join(', ');
    lines.push(`*Threshold* ${fmtNum(threshold)} tokens${how ? ` (${how})` : ''}`);
  }
  return { lines, used: ['observed_tokens', 'observed', 'tokens', 'baseline_tokens', 'baseline', 'threshold_tokens', 'threshold', 'ratio', 'baseline_window_s', 'factor', 'min_tokens', ...WINDOW_KEYS] };
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
  const size = num(e, 'observed', 'burst', 'burst_size') ?? a.count;
  const threshold = num(e, 'threshold');
  const ratio = num(e, 'ratio');
  const w = windowOf(e);
  const lines = [`*Burst* ~${fmtNum(size)} failed requests${w ? ` in ${w}` : ''}${threshold !== undefined ? ` (threshold ${fmtNum(threshold)})` : ''}${ratio !== undefined ? `, *${pct(ratio)}* of the key's requests` : ''}`];
  const statuses = mix(e.status_mix ?? e.statuses);
  const code = num(e, 'status_code');
  const err = str(e, 'error_code');
  const ips = num(e, 'failing_source_ips');
  const ipRatio = num(e, 'source_ip_ratio');
  const mixParts = [statuses, code !== undefined ? `last status ${code}${err ? ` \`${esc(err)}\`` : ''}` : '', ips !== undefined ? `${fmtNum(ips)} failing source IP${ips === 1 ? '' : 's'}` : '', ipRatio ? `${pct(ipRatio)} from the top IP` : ''].filter(Boolean);
  if (mixParts.length) lines.push(`*Status mix* ${mixParts.join(' · ')}`);
  const likely = str(e, 'classification');
  if (likely) lines.push(`*Likely* ${esc(likely)}`);
  return { lines, used: ['observed', 'burst', 'burst_size', 'threshold', 'ratio', 'status_mix', 'statuses', 'status_code', 'error_code', 'failing_source_ips', 'source_ip_ratio', 'classification', 'class', 'min_ratio', ...WINDOW_KEYS] };
};

const place = (cc: string | undefined, name?: string, city?: string) => `${esc(cc ?? '?')}${name || city ? ` (${[city, name].filter(Boolean).map((x) => esc(x!)).join(', ')})` : ''}`;

const geo: Headline = (e, a) => {
  const lines: string[] = [];
  const known = strList(e, 'known_countries', 'home_countries', 'baseline_countries');
  const cc = str(e, 'to_country', 'country') ?? a.country ?? undefined;
  const km = num(e, 'distance_km');
  if (a.kind === 'impossible_travel' || km !== undefined) {
    const from = str(e, 'from_country', 'previous_country');
    const gap = num(e, 'elapsed_s');
    const kmh = num(e, 'speed_kmh');
    const limit = num(e, 'max_kmh');
    let l = `*Travel* ${from ? `${esc(from)} → ` : 'to '}${place(cc, str(e, 'to_country_name', 'country_name'), str(e, 'to_city', 'city'))}`;
    if (km !== undefined) l += `, ${fmtNum(Math.round(km))} km`;
    if (gap !== undefined) l += ` in ${fmtDuration(gap * 1000)}`;
    l += `: *${kmh === undefined ? 'instant' : `${fmtNum(Math.round(kmh))} km/h`}*${limit !== undefined ? ` (limit ${fmtNum(limit)} km/h)` : ''}`;
    lines.push(l);
  } else if (a.kind === 'denied_country') {
    lines.push(`*Denied country* ${place(cc)} (deny list: ${list(strList(e, 'deny_list'))})`);
  } else if (cc) {
    const reason = str(e, 'reason');
    const why = reason === 'outside_allowed_countries' ? `outside its allowed countries (${list(strList(e, 'allowed_countries'))})` : 'never seen for this key';
    lines.push(`*New country* ${place(cc, str(e, 'country_name'), str(e, 'city'))}, ${why}`);
  }
  if (known) lines.push(`*Known countries* ${list(known)}${str(e, 'learning_since') ? ` (since ${esc(str(e, 'learning_since')!)})` : ''}`);
  return {
    lines,
    used: ['from_country', 'previous_country', 'to_country', 'country', 'country_name', 'to_country_name', 'city', 'to_city', 'known_countries', 'home_countries', 'baseline_countries', 'distance_km', 'speed_kmh', 'max_kmh', 'min_km', 'elapsed_s', 'deny_list', 'reason', 'allowed_countries', 'learning_since'],
  };
};

const budget: Headline = (e) => {
  const spent = num(e, 'spent', 'spend_usd');
  const limit = num(e, 'limit', 'budget_usd');
  const unit = str(e, 'unit') ?? (e.spend_usd !== undefined ? 'usd' : undefined);
  const money = (n: number) => (unit === 'usd' ? `$${fmtNum(n)}` : `${fmtNum(n)} tokens`);
  const period = str(e, 'period');
  const key = str(e, 'period_key');
  const percent = num(e, 'percent') ?? (spent !== undefined && limit ? (spent / limit) * 100 : undefined);
  const at = num(e, 'threshold_pct');
  const lines: string[] = [];
  if (spent !== undefined) {
    lines.push(`*Spend* ${money(spent)}${limit !== undefined ? ` of a ${money(limit)}${period ? ` ${esc(period)}` : ''} budget` : ''}${percent !== undefined ? `: *${fmtNum(Math.round(percent * 10) / 10)}%*` : ''}${at !== undefined ? ` (alerts at ${fmtNum(at)}%)` : ''}${key ? `, ${esc(key)}` : ''}`);
  }
  const scope = str(e, 'scope');
  const subject = str(e, 'subject');
  if (scope && subject) lines.push(`*Budget of* ${esc(scope)} \`${esc(subject)}\``);
  return { lines, used: ['spent', 'spend_usd', 'limit', 'budget_usd', 'unit', 'period', 'period_key', 'percent', 'threshold_pct', 'scope', 'subject'] };
};

const calls = (e: Ev): string | undefined => {
  const n = num(e, 'calls');
  const ok = num(e, 'accepted_calls');
  const bad = num(e, 'rejected_calls');
  if (n === undefined && ok === undefined) return undefined;
  if (n === undefined) return `*Calls* *${fmtNum(ok!)} accepted*${bad !== undefined ? `, ${fmtNum(bad)} rejected` : ''}`;
  return `*Calls* ${fmtNum(n)}${ok !== undefined ? ` (${fmtNum(ok)} accepted)` : ''}`;
};
const CALL_KEYS = ['calls', 'accepted_calls', 'rejected_calls'];
const via = (e: Ev) => {
  const gw = str(e, 'gateway_id');
  return gw ? ` via \`${esc(gw)}\`` : '';
};

const rotation: Headline = (e) => {
  const age = num(e, 'age_days');
  const max = num(e, 'max_age_days');
  const created = str(e, 'created');
  const overdue = num(e, 'overdue_days');
  const lines = age !== undefined ? [`*Key age* ${fmtNum(age)} days${max !== undefined ? ` (policy: rotate every ${fmtNum(max)} days${overdue !== undefined ? `, *${fmtNum(overdue)} days overdue*` : ''})` : ''}${created ? `, created ${esc(created)}` : ''}`] : [];
  const c = calls(e);
  if (c) lines.push(c);
  return { lines, used: ['age_days', 'max_age_days', 'created', 'overdue_days', ...CALL_KEYS] };
};

const dormant: Headline = (e) => {
  const idle = num(e, 'idle_days');
  const after = num(e, 'dormant_days');
  const last = str(e, 'last_seen_before');
  const lines = idle !== undefined ? [`*Idle* ${fmtNum(idle)} days before this use${via(e)}${after !== undefined ? ` (dormant after ${fmtNum(after)} days)` : ''}${last ? `; last used ${esc(last)}` : ''}`] : [];
  const c = calls(e);
  if (c) lines.push(c);
  return { lines, used: ['idle_days', 'dormant_days', 'last_seen_before', 'gateway_id', ...CALL_KEYS] };
};

const envMismatch: Headline = (e) => {
  const issued = str(e, 'issued_environment', 'expected_environment');
  const seen = str(e, 'seen_environment', 'observed_environment');
  const lines = issued || seen ? [`*Environment* issued for \`${esc(issued ?? '?')}\`, used in \`${esc(seen ?? '?')}\`${via(e)}`] : [];
  const c = calls(e);
  if (c) lines.push(c);
  return { lines, used: ['issued_environment', 'expected_environment', 'seen_environment', 'observed_environment', 'gateway_id', ...CALL_KEYS] };
};

const sharedKey: Headline = (e, a) => {
  const lines: string[] = [];
  const observed = num(e, 'observed');
  const threshold = num(e, 'threshold');
  const w = windowOf(e);
  const clients = strList(e, 'clients');
  const types = strList(e, 'principal_types');
  const head = a.kind === 'principal_types' ? 'Principal types' : 'Clients';
  if (observed !== undefined) lines.push(`*${head}* ${fmtNum(observed)}${w ? ` within ${w}` : ''}${threshold !== undefined ? ` (threshold ${fmtNum(threshold)})` : ''}`);
  const show = (xs: string[]) => xs.slice(0, 8).map((x) => `\`${esc(x)}\``).join(', ') + (xs.length > 8 ? `, … (${xs.length})` : '');
  if (clients?.length) lines.push(`*Clients seen* ${show(clients)}`);
  if (types?.length) lines.push(`*Principal types seen* ${show(types)}`);
  return { lines, used: ['observed', 'threshold', 'clients', 'principal_types', ...WINDOW_KEYS] };
};

const revoked: Headline = (e) => {
  const at = str(e, 'revoked_at');
  const lines = [`*Revoked* ${at ? esc(at) : 'yes (time unknown)'}; still presented${via(e)}${num(e, 'last_status_code') !== undefined ? `, last answer ${num(e, 'last_status_code')}` : ''}`];
  const c = calls(e);
  if (c) lines.push(c);
  return { lines, used: ['revoked_at', 'gateway_id', 'last_status_code', ...CALL_KEYS] };
};

const unattributed: Headline = (e) => {
  const env = str(e, 'environment');
  const client = str(e, 'client');
  const lines = [`*Owner* not in the identity directory; seen${via(e)}${env ? ` (${esc(env)})` : ''}${client ? `, client ${esc(client)}` : ''}`];
  const c = calls(e);
  if (c) lines.push(c);
  return { lines, used: ['gateway_id', 'environment', 'client', ...CALL_KEYS] };
};

export const HEADLINES: Record<string, Headline> = {
  token_spike: tokenSpike,
  invalid_request_burst: burst,
  geo_anomaly: geo,
  budget_exceeded: budget,
  key_rotation_overdue: rotation,
  dormant_key_reactivated: dormant,
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
  // the fallback text is rendered as mrkdwn too (notifications, old clients): escaped like the blocks
  return { text: esc(`[${a.severity.toUpperCase()}] ${ruleTitle(a)} on ${a.api_key_id}${who ? ` (${who})` : ''}: ${a.message}`).slice(0, 3000), blocks };
}

/** A thread reply for a later message of the same incident. */
export function updateMessage(a: Alert, prior: Pick<DeliveryRecord, 'last_count' | 'severity'>): SlackMessage {
  const grew = a.count - prior.last_count;
  const sev = a.severity !== prior.severity ? ` · severity ${prior.severity} → *${a.severity}*` : '';
  const evidence = evidenceLines(a);
  const text = `Update: ${ruleTitle(a)} on ${a.api_key_id}: ${fmtNum(a.count)} events (+${fmtNum(grew)}), last seen ${iso(a.last_seen)}${sev}`;
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: esc(text).replace(/^Update:/, '*Update:*') } }];
  if (evidence.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: evidence.join('\n').slice(0, 3000) }] });
  return { text: esc(text), blocks };
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
  return { text: esc(text), blocks };
}
