import type { Client } from '@elastic/elasticsearch';
import cron, { type ScheduledTask } from 'node-cron';
import { ConfigError, TransientError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import { esc, fmtNum, iso, type Block, type LinkSettings, type SlackMessage } from './message.js';
import type { Routing } from './routing.js';

const DAY = 24 * 3600_000;

export interface KeyUsage {
  key: string;
  tokens: number;
  cost: number;
}
export interface OpenIncident {
  id: string;
  rule: string;
  severity: string;
  key: string;
  status: string;
  first_seen: string;
}
export interface DigestData {
  team: string;
  since: number;
  until: number;
  alerts: number;
  byRule: [string, number][];
  bySeverity: [string, number][];
  topByTokens: KeyUsage[];
  topByCost: KeyUsage[];
  open: OpenIncident[];
  openTotal: number;
}

type Agg = { buckets: { key: string; doc_count: number; [k: string]: unknown }[] };

/**
 * Reads a team's last 24 hours from Elasticsearch: alerts by rule and severity, the top keys by tokens
 * and by cost (`<prefix>-events-*`), and incidents not yet resolved (any age up to 30 days).
 * Field names are ECS/llm_audit ones; a text field falls back to its `.keyword` sub-field.
 */
export class DigestReader {
  private fields = new Map<string, string>();
  constructor(private readonly es: Client, private readonly prefix: string) {}

  private async field(index: string, name: string): Promise<string> {
    const k = `${index}|${name}`;
    const known = this.fields.get(k);
    if (known) return known;
    const caps = await this.es.fieldCaps({ index, fields: [name, `${name}.keyword`], ignore_unavailable: true, allow_no_indices: true });
    const agg = (f: string) => Object.values(caps.fields[f] ?? {}).some((c) => c.aggregatable);
    const chosen = agg(name) ? name : agg(`${name}.keyword`) ? `${name}.keyword` : name;
    this.fields.set(k, chosen);
    return chosen;
  }

  /** Teams with alerts or usage in the window, with the channel their alerts carried (if any). */
  async teams(now: number): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    try {
      const ai = `${this.prefix}-alerts-*`;
      const ei = `${this.prefix}-events-*`;
      const [at, ac, et] = [await this.field(ai, 'llm_audit.owner.team'), await this.field(ai, 'llm_audit.owner.slack_channel'), await this.field(ei, 'llm_audit.owner.team')];
      const range = { range: { '@timestamp': { gte: now - DAY, lt: now } } };
      const a = await this.es.search({ index: ai, size: 0, ignore_unavailable: true, allow_no_indices: true, query: range, aggs: { t: { terms: { field: at, size: 500 }, aggs: { c: { terms: { field: ac, size: 1 } } } } } });
      for (const b of (a.aggregations?.t as Agg | undefined)?.buckets ?? []) out.set(String(b.key), (b.c as Agg).buckets[0]?.key as string | undefined);
      const e = await this.es.search({ index: ei, size: 0, ignore_unavailable: true, allow_no_indices: true, query: range, aggs: { t: { terms: { field: et, size: 500 } } } });
      for (const b of (e.aggregations?.t as Agg | undefined)?.buckets ?? []) if (!out.has(String(b.key))) out.set(String(b.key), undefined);
    } catch (err) {
      throw new TransientError(`digest: reading teams: ${(err as Error).message}`, err);
    }
    return out;
  }

  async collect(team: string, now: number, topN: number): Promise<DigestData> {
    const ai = `${this.prefix}-alerts-*`;
    const ei = `${this.prefix}-events-*`;
    const since = now - DAY;
    try {
      const teamA = { term: { [await this.field(ai, 'llm_audit.owner.team')]: team } };
      const inDay = { range: { '@timestamp': { gte: since, lt: now } } };
      const rule = await this.field(ai, 'rule.name');
      const sev = await this.field(ai, 'llm_audit.alert.severity');
      const status = await this.field(ai, 'llm_audit.alert.status');
      const a = await this.es.search({
        index: ai, size: 0, ignore_unavailable: true, allow_no_indices: true,
        query: { bool: { filter: [teamA, inDay] } },
        aggs: { rule: { terms: { field: rule, size: 50 } }, sev: { terms: { field: sev, size: 4 } } },
      });
      const open = await this.es.search<Record<string, unknown>>({
        index: ai, size: 15, ignore_unavailable: true, allow_no_indices: true, track_total_hits: true,
        query: { bool: { filter: [teamA, { range: { '@timestamp': { gte: now - 30 * DAY, lt: now } } }], must_not: [{ term: { [status]: 'resolved' } }] } },
        sort: [{ '@timestamp': 'desc' }],
      });
      const teamE = { term: { [await this.field(ei, 'llm_audit.owner.team')]: team } };
      const key = await this.field(ei, 'llm_audit.api_key.id');
      const sums = {
        in: { sum: { field: 'gen_ai.usage.input_tokens' } },
        out: { sum: { field: 'gen_ai.usage.output_tokens' } },
        cost: { sum: { field: 'llm_audit.cost.usd' } },
      };
      // no bucket_script (painless may be missing in a minimal Elasticsearch): a wider page ordered by
      // input tokens is re-sorted by input+output here
      const e = await this.es.search({
        index: ei, size: 0, ignore_unavailable: true, allow_no_indices: true,
        query: { bool: { filter: [teamE, inDay] } },
        aggs: {
          byTokens: { terms: { field: key, size: Math.max(topN * 4, 20), order: { in: 'desc' } }, aggs: sums },
          byCost: { terms: { field: key, size: topN, order: { cost: 'desc' } }, aggs: sums },
        },
      });
      const usage = (b: Agg['buckets'][number]): KeyUsage => {
        const v = (n: string) => ((b[n] as { value?: number } | undefined)?.value ?? 0);
        return { key: String(b.key), tokens: v('in') + v('out'), cost: Math.round(v('cost') * 100) / 100 };
      };
      const buckets = (r: { aggregations?: Record<string, unknown> }, n: string) => ((r.aggregations?.[n] as Agg | undefined)?.buckets ?? []);
      const total = open.hits.total;
      return {
        team, since, until: now,
        alerts: buckets(a, 'rule').reduce((n, b) => n + b.doc_count, 0),
        byRule: buckets(a, 'rule').map((b) => [String(b.key), b.doc_count]),
        bySeverity: buckets(a, 'sev').map((b) => [String(b.key), b.doc_count]),
        // ordered by input tokens in Elasticsearch over a wider page, then exactly by total tokens here
        topByTokens: buckets(e, 'byTokens').map(usage).sort((x, y) => y.tokens - x.tokens || x.key.localeCompare(y.key)).slice(0, topN),
        topByCost: buckets(e, 'byCost').map(usage).filter((u) => u.cost > 0),
        open: open.hits.hits.map((h) => {
          const s = h._source as { rule?: { name?: string }; llm_audit?: { api_key?: { id?: string }; alert?: { id?: string; severity?: string; status?: string; first_seen?: string } } };
          return { id: s.llm_audit?.alert?.id ?? h._id!, rule: s.rule?.name ?? '?', severity: s.llm_audit?.alert?.severity ?? '?', key: s.llm_audit?.api_key?.id ?? '?', status: s.llm_audit?.alert?.status ?? 'open', first_seen: s.llm_audit?.alert?.first_seen ?? '' };
        }),
        openTotal: typeof total === 'number' ? total : (total?.value ?? 0),
      };
    } catch (err) {
      throw new TransientError(`digest for ${team}: ${(err as Error).message}`, err);
    }
  }
}

export function digestMessage(d: DigestData, links: LinkSettings): SlackMessage {
  const pairs = (xs: [string, number][]) => xs.map(([k, n]) => `${esc(k)} ${fmtNum(n)}`).join(', ');
  const usageLines = (xs: KeyUsage[]) => xs.map((u, i) => `${i + 1}. \`${esc(u.key)}\` ${fmtNum(u.tokens)} tokens · $${u.cost.toFixed(2)}`).join('\n');
  const text = `LLM audit digest for ${d.team}: ${d.alerts} alert${d.alerts === 1 ? '' : 's'} in the last 24 h, ${d.openTotal} open incident${d.openTotal === 1 ? '' : 's'}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: `:bar_chart: LLM audit digest · ${d.team}`.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: `*${fmtNum(d.alerts)} alert${d.alerts === 1 ? '' : 's'}* from ${iso(d.since)} to ${iso(d.until)}${d.alerts ? `\nBy rule: ${pairs(d.byRule)}\nBy severity: ${pairs(d.bySeverity)}` : ''}` } },
    { type: 'section', text: { type: 'mrkdwn', text: `*Top keys by tokens*\n${d.topByTokens.length ? usageLines(d.topByTokens) : '_no usage_'}` } },
    { type: 'section', text: { type: 'mrkdwn', text: `*Top keys by cost*\n${d.topByCost.length ? usageLines(d.topByCost) : '_no cost recorded_'}` } },
  ];
  const open = d.open.map((o) => `• ${esc(o.severity.toUpperCase())} ${esc(o.rule)} \`${esc(o.key)}\` since ${esc(o.first_seen.replace(/\.\d{3}Z$/, 'Z'))}${o.status !== 'open' ? ` (${esc(o.status)})` : ''}`);
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Open incidents: ${fmtNum(d.openTotal)}*${open.length ? `\n${open.join('\n')}${d.openTotal > open.length ? `\n…and ${d.openTotal - open.length} more` : ''}` : ''}`.slice(0, 3000) } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${links.kibanaUrl.replace(/\/$/, '')}/app/discover|Open Kibana> · runbooks: <${links.runbookBaseUrl}|index>` }] });
  return { text, blocks };
}

export interface DigestDeps {
  reader: DigestReader;
  routing: Routing;
  post: (channel: string, m: SlackMessage) => Promise<unknown>;
  links: LinkSettings;
  topN: number;
  logger: Logger;
}

/** One digest per team: teams in the routing file plus teams seen in the last 24 hours. */
export async function runDigest(d: DigestDeps, now = Date.now()): Promise<{ team: string; channel: string }[]> {
  const seen = await d.reader.teams(now);
  const teams = new Map<string, string>();
  for (const [t, ch] of d.routing.teams) teams.set(t, ch);
  for (const [t, ch] of seen) if (!teams.has(t)) teams.set(t, ch ? (ch.startsWith('#') || /^[CGD][A-Z0-9]{6,}$/.test(ch) ? ch : `#${ch}`) : d.routing.defaultChannel);
  const sent: { team: string; channel: string }[] = [];
  for (const [team, channel] of [...teams].sort(([a], [b]) => a.localeCompare(b))) {
    const data = await d.reader.collect(team, now, d.topN);
    await d.post(channel, digestMessage(data, d.links));
    sent.push({ team, channel });
  }
  d.logger.info({ teams: sent.length }, 'digest posted');
  return sent;
}

/** Schedules the digest with node-cron 4 (createTask: created stopped, started here; no overlapping runs). */
export function scheduleDigest(expression: string, timezone: string, fn: () => Promise<unknown>, logger: Logger): ScheduledTask {
  if (!cron.validate(expression)) throw new ConfigError(`alert: LLM_AUDIT_DIGEST_CRON "${expression}" is not a valid cron expression (e.g. "0 9 * * 1-5")`);
  const task = cron.createTask(expression, async () => {
    try {
      await fn();
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'digest failed; next run at the next schedule');
    }
  }, { timezone, noOverlap: true, name: 'llm-audit-digest' });
  void task.start();
  return task;
}
