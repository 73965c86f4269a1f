import { ErrorCode, WebClient, type WebAPICallResult } from '@slack/web-api';
import type { Alert } from '../../common/types.js';
import { alertMessage, summaryMessage, updateMessage, type LinkSettings } from '../message.js';
import { SinkError } from './errors.js';
import { newRecord, type DeliverContext, type DeliveryRecord, type Sink, type StatusChange, type Target } from './sink.js';

export const METADATA_EVENT = 'llm_audit_alert';

interface PostResult extends WebAPICallResult {
  ts?: string;
  channel?: string;
}
interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

const RETRY_PLATFORM = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
const FATAL_PLATFORM = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'missing_scope', 'no_permission', 'not_allowed_token_type']);
const CHANNEL_PLATFORM = new Set(['channel_not_found', 'not_in_channel', 'is_archived']);

/** Sorts every @slack/web-api failure into retry / drop / channel / fatal. */
export function classifySlackError(err: unknown, method: string): SinkError {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return new SinkError('retry', `slack ${method}: rate limited, retry after ${e.retryAfter}s`, { cause: err, retryAfterMs: (e.retryAfter ?? 1) * 1000 });
    case ErrorCode.RequestError:
      return new SinkError('retry', `slack ${method}: request failed (${e.message ?? 'network'})`, { cause: err, maybeDelivered: true });
    case ErrorCode.HTTPError:
      if ((e.statusCode ?? 0) >= 500 || e.statusCode === 408) return new SinkError('retry', `slack ${method}: HTTP ${e.statusCode}`, { cause: err, maybeDelivered: true });
      return new SinkError('drop', `slack ${method}: HTTP ${e.statusCode}`, { cause: err });
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown';
      if (RETRY_PLATFORM.has(code)) return new SinkError('retry', `slack ${method}: ${code}`, { cause: err, maybeDelivered: code !== 'ratelimited' });
      if (FATAL_PLATFORM.has(code)) return new SinkError('fatal', `slack ${method}: ${code}: check SLACK_BOT_TOKEN and the app's scopes`, { cause: err });
      if (CHANNEL_PLATFORM.has(code)) return new SinkError('channel', `slack ${method}: ${code}`, { cause: err });
      return new SinkError('drop', `slack ${method}: ${code}`, { cause: err });
    }
    default:
      return new SinkError('retry', `slack ${method}: ${e.message ?? String(err)}`, { cause: err, maybeDelivered: true });
  }
}

export interface SlackSinkOptions {
  token: string;
  slackApiUrl?: string;
  timeoutMs: number;
  links: LinkSettings;
  now?: () => number;
}

/**
 * Slack via @slack/web-api. The client's own retries are off (retries: 0, rate-limited calls rejected):
 * the alert service's one retry loop owns backoff, Retry-After and heartbeating. Every post carries
 * metadata (alert id, count), so after an ambiguous failure the sink can find what Slack already has.
 */
export class SlackSink implements Sink {
  readonly name = 'slack';
  readonly client: WebClient;
  private readonly channelIds = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly o: SlackSinkOptions) {
    this.client = new WebClient(o.token, {
      slackApiUrl: o.slackApiUrl,
      timeout: o.timeoutMs,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      // axios's `timeout` is an idle timer: a server that sent headers and trickles the body keeps a
      // call (and its channel's slot) forever. The signal bounds the whole call.
      requestInterceptor: (config) => {
        config.signal = AbortSignal.timeout(o.timeoutMs);
        return config;
      },
      // the client logs request bodies at debug level; keep it quiet whatever LOG_LEVEL says
      logger: { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => 'error' as never, setName() {} },
    });
    this.now = o.now ?? Date.now;
  }

  private async call<T extends WebAPICallResult>(method: string, args: Record<string, unknown>): Promise<T> {
    try {
      return (await this.client.apiCall(method, args)) as T;
    } catch (err) {
      throw classifySlackError(err, method);
    }
  }

  /** auth.test: a bad token fails at start, not at the first alert. */
  async check(): Promise<{ team?: string; user?: string }> {
    const r = await this.call<WebAPICallResult & { team?: string; user?: string }>('auth.test', {});
    return { team: r.team, user: r.user };
  }

  private async channelId(channel: string): Promise<string> {
    if (!channel.startsWith('#')) return channel;
    const known = this.channelIds.get(channel);
    if (known) return known;
    let cursor: string | undefined;
    do {
      const r = await this.call<WebAPICallResult & { channels?: { id: string; name: string }[]; response_metadata?: { next_cursor?: string } }>('conversations.list', { limit: 1000, exclude_archived: true, types: 'public_channel,private_channel', ...(cursor ? { cursor } : {}) });
      for (const c of r.channels ?? []) this.channelIds.set(`#${c.name}`, c.id);
      cursor = r.response_metadata?.next_cursor || undefined;
    } while (cursor && !this.channelIds.has(channel));
    const id = this.channelIds.get(channel);
    if (!id) throw new SinkError('channel', `slack: channel ${channel} not found`);
    return id;
  }

  /**
   * A message this service already posted for (alert id, count), if an earlier attempt got through.
   * Needs channels:history (groups:history for private channels). When the lookup itself is refused
   * (scope, membership, unknown channel) there is nothing to find or no way to look: post, and accept
   * that this one case may duplicate. Retriable lookup failures are retried like the post.
   */
  private async findPosted(channel: string, alertId: string, count: number | null, since: number, threadTs?: string): Promise<{ ts: string; channel: string; count?: number } | undefined> {
    try {
      const id = await this.channelId(channel);
      const args = { channel: id, oldest: String(Math.floor(since / 1000) - 60), include_all_metadata: true, limit: 200, ...(threadTs ? { ts: threadTs } : {}) };
      const r = await this.call<WebAPICallResult & { messages?: HistoryMessage[] }>(threadTs ? 'conversations.replies' : 'conversations.history', args);
      const hit = (r.messages ?? []).find((m) => m.metadata?.event_type === METADATA_EVENT && m.metadata.event_payload?.alert_id === alertId && (count === null || m.metadata.event_payload?.count === count) && m.ts !== threadTs);
      const c = hit?.metadata?.event_payload?.count;
      return hit?.ts ? { ts: hit.ts, channel: id, count: typeof c === 'number' ? c : undefined } : undefined;
    } catch (err) {
      if (err instanceof SinkError && err.failure !== 'retry') {
        this.lookupRefused++;
        return undefined;
      }
      throw err;
    }
  }

  /** Lookups Slack refused (see findPosted); exposed for metrics and tests. */
  lookupRefused = 0;

  private metadata(alertId: string, count: number, kind: string) {
    return { event_type: METADATA_EVENT, event_payload: { alert_id: alertId, count, kind } };
  }

  async deliver(alert: Alert, target: Target, prior?: DeliveryRecord, ctx: DeliverContext = {}): Promise<DeliveryRecord> {
    const now = this.now();
    const base: DeliveryRecord = prior ?? newRecord(alert, target, now);
    const thread = prior && (prior.status === 'posted' || prior.status === 'summarised') && prior.ts ? prior : undefined;
    if (!thread) {
      // a new incident (or one whose earlier attempt may have got through)
      let hit = ctx.uncertain ? await this.findPosted(target.channel, alert.id, null, base.attempt_started_at ?? now) : undefined;
      if (!hit) {
        const m = alertMessage(alert, this.o.links, { status: base.alert_status ?? 'open' });
        const r = await this.call<PostResult>('chat.postMessage', { channel: target.channel, text: m.text, blocks: m.blocks, unfurl_links: false, unfurl_media: false, metadata: this.metadata(alert.id, alert.count, 'alert') });
        hit = { ts: r.ts!, channel: r.channel!, count: alert.count };
      }
      if (target.channel.startsWith('#')) this.channelIds.set(target.channel, hit.channel);
      const posted: DeliveryRecord = { ...base, status: 'posted', ts: hit.ts, channel_id: hit.channel, last_count: hit.count ?? alert.count, severity: alert.severity, delivered_at: now, updated_at: now, error: null, alert };
      // the message found was posted with an older count (updates coalesced since): bring it up to date
      if (posted.last_count < alert.count) return this.deliver(alert, target, { ...posted, attempt_started_at: base.attempt_started_at ?? now }, ctx);
      return posted;
    }
    if (alert.count <= thread.last_count) return thread;
    const channel = thread.channel_id ?? target.channel;
    const summary = thread.status === 'summarised';
    const found = ctx.uncertain ? await this.findPosted(channel, alert.id, alert.count, thread.attempt_started_at ?? thread.updated_at, thread.ts!) : undefined;
    if (!found) {
      const m = updateMessage(alert, thread);
      await this.call<PostResult>('chat.postMessage', { channel, thread_ts: thread.ts, text: m.text, blocks: m.blocks, unfurl_links: false, metadata: this.metadata(alert.id, alert.count, 'update') });
    }
    // the top-level message shows the current numbers; a summary message stays as it was
    if (!summary) {
      const m = alertMessage(alert, this.o.links, statusView(thread));
      await this.call('chat.update', { channel, ts: thread.ts, text: m.text, blocks: m.blocks });
    }
    return { ...thread, last_count: alert.count, severity: alert.severity, updates: thread.updates + 1, updated_at: now, error: null, alert };
  }

  async updateStatus(alert: Alert, record: DeliveryRecord, change: StatusChange): Promise<void> {
    if (record.status !== 'posted' || !record.ts) return;
    const m = alertMessage(alert, this.o.links, statusView({ ...record, ...change, ...(change.status === 'acknowledged' ? { acknowledged_by: change.by, acknowledged_at: change.at } : { resolved_by: change.by, resolved_at: change.at }), alert_status: change.status }));
    await this.call('chat.update', { channel: record.channel_id ?? record.channel, ts: record.ts, text: m.text, blocks: m.blocks });
  }

  async summarise(channel: string, held: DeliveryRecord[], windowMs: number): Promise<{ ts: string; channel_id: string }> {
    const m = summaryMessage(channel, held, windowMs, this.o.links);
    const r = await this.call<PostResult>('chat.postMessage', { channel, text: m.text, blocks: m.blocks, unfurl_links: false, metadata: { event_type: METADATA_EVENT, event_payload: { kind: 'summary', alerts: held.length } } });
    return { ts: r.ts!, channel_id: r.channel! };
  }

  /** Any message (digest): posted once per call, no incident bookkeeping. */
  async post(channel: string, text: string, blocks: unknown[]): Promise<string> {
    const r = await this.call<PostResult>('chat.postMessage', { channel, text, blocks, unfurl_links: false });
    return r.ts!;
  }
}

type StatusFields = Pick<DeliveryRecord, 'alert_status' | 'acknowledged_by' | 'resolved_by'> & { acknowledged_at?: number | null; resolved_at?: number | null };
export function statusView(r: StatusFields) {
  return { status: r.alert_status ?? 'open', acknowledged_by: r.acknowledged_by, acknowledged_at: r.acknowledged_at, resolved_by: r.resolved_by, resolved_at: r.resolved_at } as const;
}
