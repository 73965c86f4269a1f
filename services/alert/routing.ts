import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../common/errors.js';
import type { Alert } from '../common/types.js';
import type { AlertConfig } from './config.js';
import type { Target } from './sinks/sink.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
const rank = (s: Severity) => SEVERITIES.indexOf(s);

export interface RateCap {
  burst: number;
  perMinute: number;
}

export interface WebhookRoute {
  name: string;
  url: string;
  /** Environment variable holding the HMAC secret (the file never holds secrets). */
  secretEnv: string;
  minSeverity: Severity;
  rules: string[];
  timeoutMs: number;
}

/** The routing file, after validation. */
export interface Routing {
  defaultChannel: string;
  escalation?: { channel: string; minSeverity: Severity };
  /** Per-channel minimum severity and rate cap; channels not listed get `channelDefaults`. */
  channels: Map<string, { minSeverity: Severity; rateCap: RateCap }>;
  channelDefaults: { minSeverity: Severity; rateCap: RateCap };
  /** team → channel, for owners whose directory entry has no slack_channel. */
  teams: Map<string, string>;
  webhooks: WebhookRoute[];
  /** false: no Slack at all (webhooks only). */
  slack: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function keys(where: string, o: Obj, allowed: string[]): void {
  const bad = Object.keys(o).filter((k) => !allowed.includes(k));
  if (bad.length) throw new ConfigError(`routing: unknown key(s) ${bad.join(', ')} in ${where}; allowed: ${allowed.join(', ')}`);
}
function sev(where: string, v: unknown, dflt: Severity): Severity {
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !(SEVERITIES as readonly string[]).includes(v)) throw new ConfigError(`routing: ${where} must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(v)}`);
  return v as Severity;
}
function channelName(where: string, v: unknown): string {
  if (typeof v !== 'string' || !/^(#[a-z0-9._-]{1,80}|[CGD][A-Z0-9]{6,})$/.test(v)) throw new ConfigError(`routing: ${where} must be a channel like #team-alerts or a channel id like C0123ABCD, got ${JSON.stringify(v)}`);
  return v;
}
function posNum(where: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v > 0)) throw new ConfigError(`routing: ${where} must be a positive number, got ${JSON.stringify(v)}`);
  return v;
}
function rateCap(where: string, v: unknown, dflt: RateCap): RateCap {
  if (v === undefined) return dflt;
  if (!isObj(v)) throw new ConfigError(`routing: ${where} must be a map with burst and perMinute`);
  keys(where, v, ['burst', 'perMinute']);
  return { burst: Math.floor(posNum(`${where}.burst`, v.burst, dflt.burst)), perMinute: posNum(`${where}.perMinute`, v.perMinute, dflt.perMinute) };
}

/**
 * Routing from YAML text. Example (docs/operators/alerting.md has the full reference):
 *
 *   defaultChannel: "#llm-audit-alerts"
 *   escalation: { channel: "#security-oncall", minSeverity: critical }
 *   channelDefaults: { minSeverity: low, rateCap: { burst: 10, perMinute: 6 } }
 *   channels: { "#team-payments": { minSeverity: medium } }
 *   teams: { payments: "#team-payments" }
 *   webhooks: [{ name: pagerduty, url: "https://...", secretEnv: PAGERDUTY_WEBHOOK_SECRET, minSeverity: critical }]
 */
export function parseRouting(text: string, c: Pick<AlertConfig, 'defaultChannel' | 'escalationChannel' | 'rateCapBurst' | 'rateCapPerMinute'>): Routing {
  let doc: unknown;
  try {
    doc = text.trim() === '' ? {} : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`routing: not valid YAML: ${(err as Error).message}`, err);
  }
  if (!isObj(doc)) throw new ConfigError('routing: the file must be a YAML map');
  keys('the top level', doc, ['defaultChannel', 'escalation', 'channelDefaults', 'channels', 'teams', 'webhooks', 'slack']);
  const baseCap = { burst: c.rateCapBurst, perMinute: c.rateCapPerMinute };
  const cd = doc.channelDefaults ?? {};
  if (!isObj(cd)) throw new ConfigError('routing: channelDefaults must be a map');
  keys('channelDefaults', cd, ['minSeverity', 'rateCap']);
  const channelDefaults = { minSeverity: sev('channelDefaults.minSeverity', cd.minSeverity, 'low'), rateCap: rateCap('channelDefaults.rateCap', cd.rateCap, baseCap) };

  const channels = new Map<string, { minSeverity: Severity; rateCap: RateCap }>();
  const ch = doc.channels ?? {};
  if (!isObj(ch)) throw new ConfigError('routing: channels must be a map of channel → settings');
  for (const [name, v] of Object.entries(ch)) {
    channelName(`channels key ${name}`, name);
    if (!isObj(v)) throw new ConfigError(`routing: channels.${name} must be a map`);
    keys(`channels.${name}`, v, ['minSeverity', 'rateCap']);
    channels.set(name, { minSeverity: sev(`channels.${name}.minSeverity`, v.minSeverity, channelDefaults.minSeverity), rateCap: rateCap(`channels.${name}.rateCap`, v.rateCap, channelDefaults.rateCap) });
  }

  const teams = new Map<string, string>();
  const t = doc.teams ?? {};
  if (!isObj(t)) throw new ConfigError('routing: teams must be a map of team → channel');
  for (const [team, v] of Object.entries(t)) teams.set(team, channelName(`teams.${team}`, v));

  let escalation: Routing['escalation'];
  if (doc.escalation !== undefined) {
    if (!isObj(doc.escalation)) throw new ConfigError('routing: escalation must be a map with channel and minSeverity');
    keys('escalation', doc.escalation, ['channel', 'minSeverity']);
    escalation = { channel: channelName('escalation.channel', doc.escalation.channel), minSeverity: sev('escalation.minSeverity', doc.escalation.minSeverity, 'critical') };
  } else if (c.escalationChannel) {
    escalation = { channel: channelName('LLM_AUDIT_ALERT_ESCALATION_CHANNEL', c.escalationChannel), minSeverity: 'critical' };
  }

  const webhooks: WebhookRoute[] = [];
  const w = doc.webhooks ?? [];
  if (!Array.isArray(w)) throw new ConfigError('routing: webhooks must be a list');
  w.forEach((v: unknown, i) => {
    const where = `webhooks[${i}]`;
    if (!isObj(v)) throw new ConfigError(`routing: ${where} must be a map`);
    keys(where, v, ['name', 'url', 'secretEnv', 'minSeverity', 'rules', 'timeoutMs']);
    if (typeof v.name !== 'string' || !/^[a-z0-9_-]+$/.test(v.name) || v.name === 'slack') throw new ConfigError(`routing: ${where}.name must be lower-case letters, digits, - or _ (and not "slack")`);
    if (webhooks.some((x) => x.name === v.name)) throw new ConfigError(`routing: webhook name ${v.name} is used twice`);
    if (typeof v.url !== 'string' || !/^https?:\/\//.test(v.url)) throw new ConfigError(`routing: ${where}.url must be an http(s) URL`);
    if (typeof v.secretEnv !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(v.secretEnv)) throw new ConfigError(`routing: ${where}.secretEnv must name the environment variable that holds the HMAC secret`);
    if (v.rules !== undefined && !(Array.isArray(v.rules) && v.rules.every((r) => typeof r === 'string'))) throw new ConfigError(`routing: ${where}.rules must be a list of rule names`);
    webhooks.push({
      name: v.name, url: v.url, secretEnv: v.secretEnv,
      minSeverity: sev(`${where}.minSeverity`, v.minSeverity, 'low'),
      rules: (v.rules as string[] | undefined) ?? [],
      timeoutMs: posNum(`${where}.timeoutMs`, v.timeoutMs, 10_000),
    });
  });
  if (doc.slack !== undefined && typeof doc.slack !== 'boolean') throw new ConfigError('routing: slack must be true or false');

  return {
    defaultChannel: doc.defaultChannel === undefined ? channelName('LLM_AUDIT_ALERT_DEFAULT_CHANNEL', c.defaultChannel) : channelName('defaultChannel', doc.defaultChannel),
    escalation, channels, channelDefaults, teams, webhooks,
    slack: doc.slack !== false,
  };
}

export function loadRouting(c: AlertConfig): Routing {
  if (!c.routingFile) return parseRouting('', c);
  let text: string;
  try {
    text = readFileSync(c.routingFile, 'utf8');
  } catch (err) {
    throw new ConfigError(`routing: cannot read LLM_AUDIT_ALERT_ROUTING_FILE=${c.routingFile}: ${(err as Error).message}`, err);
  }
  return parseRouting(text, c);
}

export const channelSettings = (r: Routing, channel: string) => r.channels.get(channel) ?? r.channelDefaults;

/** Normalises an owner's slack_channel from the directory ("team-x", "#team-x" or an id). */
function ownerChannel(v: string | null | undefined): string | undefined {
  if (!v) return undefined;
  const s = v.trim();
  if (/^[CGD][A-Z0-9]{6,}$/.test(s)) return s;
  const name = s.startsWith('#') ? s : `#${s}`;
  return /^#[a-z0-9._-]{1,80}$/.test(name) ? name : undefined;
}

/**
 * Where an alert goes: the owner's channel (directory, then the teams map), else the default channel;
 * plus the escalation channel; plus every webhook whose filter matches. A channel below its minimum
 * severity is left out; the result may be empty (the caller counts the alert as dropped by routing).
 */
export function route(r: Routing, a: Alert): Target[] {
  const out: Target[] = [];
  const s = a.severity as Severity;
  if (r.slack) {
    const owned = ownerChannel(a.owner?.slack_channel) ?? (a.owner?.team ? r.teams.get(a.owner.team) : undefined);
    const primary = owned ?? r.defaultChannel;
    if (rank(s) >= rank(channelSettings(r, primary).minSeverity)) out.push({ sink: 'slack', channel: primary, reason: owned ? 'owner' : 'default' });
    if (r.escalation && rank(s) >= rank(r.escalation.minSeverity) && r.escalation.channel !== primary) out.push({ sink: 'slack', channel: r.escalation.channel, reason: 'escalation' });
  }
  for (const w of r.webhooks) {
    if (rank(s) < rank(w.minSeverity)) continue;
    if (w.rules.length && !w.rules.includes(a.rule)) continue;
    out.push({ sink: w.name, channel: w.name, reason: 'webhook' });
  }
  return out;
}
