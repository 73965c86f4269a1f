import { createHmac } from 'node:crypto';
import type { Alert } from '../../common/types.js';
import { kibanaDiscoverUrl, runbookUrl, type LinkSettings } from '../message.js';
import { SinkError } from './errors.js';
import { newRecord, type DeliveryRecord, type Sink, type StatusChange, type Target } from './sink.js';

export const SIGNATURE_HEADER = 'X-LLM-Audit-Signature';
export const TIMESTAMP_HEADER = 'X-LLM-Audit-Timestamp';
export const DELIVERY_HEADER = 'X-LLM-Audit-Delivery';

/** `sha256=` HMAC-SHA256 of `<timestamp>.<body>`: the receiver recomputes it and checks the timestamp's age. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookSinkOptions {
  name: string;
  url: string;
  secret: string;
  timeoutMs: number;
  links: LinkSettings;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

/**
 * A generic JSON webhook (how PagerDuty, Opsgenie or Teams are reached through a small adapter).
 * Every request is signed; `X-LLM-Audit-Delivery` (<alert id>:<count>) lets the receiver drop a retry
 * it already has, since a timed-out request may have arrived.
 */
export class WebhookSink implements Sink {
  readonly name: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly o: WebhookSinkOptions) {
    this.name = o.name;
    this.fetchImpl = o.fetchImpl ?? fetch;
    this.now = o.now ?? Date.now;
  }

  body(type: 'alert' | 'alert.update' | 'alert.status', alert: Alert, extra: Record<string, unknown> = {}): string {
    return JSON.stringify({
      version: 1,
      type,
      alert: { ...alert, first_seen: new Date(alert.first_seen).toISOString(), last_seen: new Date(alert.last_seen).toISOString(), timestamp: new Date(alert.timestamp).toISOString(), created: new Date(alert.created).toISOString() },
      links: { kibana: kibanaDiscoverUrl(this.o.links, alert), runbook: runbookUrl(this.o.links, alert.rule) },
      ...extra,
    });
  }

  private async send(body: string, deliveryId: string): Promise<void> {
    const ts = Math.floor(this.now() / 1000);
    let res: Response;
    try {
      res = await this.fetchImpl(this.o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(ts), [SIGNATURE_HEADER]: webhookSignature(this.o.secret, ts, body), [DELIVERY_HEADER]: deliveryId, 'user-agent': 'llm-audit-alert/1' },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (err) {
      throw new SinkError('retry', `webhook ${this.name}: ${(err as Error).name === 'TimeoutError' ? `no answer within ${this.o.timeoutMs} ms` : 'request failed'}`, { cause: err, maybeDelivered: true });
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.ok) return;
    const retryAfter = Number(res.headers.get('retry-after'));
    if (res.status === 429 || res.status === 408 || res.status >= 500) {
      throw new SinkError('retry', `webhook ${this.name}: HTTP ${res.status}`, { retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined, maybeDelivered: res.status !== 429 });
    }
    throw new SinkError('drop', `webhook ${this.name}: HTTP ${res.status} (not retried)`);
  }

  async deliver(alert: Alert, target: Target, prior?: DeliveryRecord): Promise<DeliveryRecord> {
    const now = this.now();
    if (prior?.status === 'posted' && alert.count <= prior.last_count) return prior;
    const isUpdate = prior?.status === 'posted';
    await this.send(this.body(isUpdate ? 'alert.update' : 'alert', alert), `${alert.id}:${alert.count}`);
    const base: DeliveryRecord = prior ?? newRecord(alert, target, now);
    return { ...base, status: 'posted', last_count: alert.count, severity: alert.severity, updates: isUpdate ? base.updates + 1 : base.updates, delivered_at: base.delivered_at ?? now, updated_at: now, error: null, alert };
  }

  async updateStatus(alert: Alert, record: DeliveryRecord, change: StatusChange): Promise<void> {
    if (record.status !== 'posted') return;
    await this.send(this.body('alert.status', alert, { status: { status: change.status, by: change.by, at: new Date(change.at).toISOString() } }), `${alert.id}:${change.status}`);
  }
}
