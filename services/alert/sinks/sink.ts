import type { Alert } from '../../common/types.js';

/** Where one alert goes: a sink and, for chat sinks, a channel. */
export interface Target {
  sink: string;
  channel: string;
  /** Why this target was chosen (owner channel, default, escalation...), shown in logs and records. */
  reason: string;
}

export type DeliveryStatus = 'pending' | 'posted' | 'held' | 'summarised' | 'failed';
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

/** One alert's delivery to one target. Stored in Elasticsearch under `<alert id>:<sink>:<channel>`. */
export interface DeliveryRecord {
  alert_id: string;
  sink: string;
  channel: string;
  status: DeliveryStatus;
  /** Slack message ts of the incident's top-level message (or of the summary that listed it). */
  ts?: string | null;
  /** Channel id Slack answered with (chat.update needs the id, not the name). */
  channel_id?: string | null;
  /** Highest `count` of the alert delivered so far: replays at or below it are duplicates. */
  last_count: number;
  updates: number;
  rule: string;
  severity: Alert['severity'];
  api_key_id: string;
  team?: string | null;
  first_seen: number;
  /** When the current attempt started: a `pending` record after a crash means "look before posting again". */
  attempt_started_at?: number | null;
  delivered_at?: number | null;
  updated_at: number;
  error?: string | null;
  alert_status?: AlertStatus;
  acknowledged_by?: string | null;
  acknowledged_at?: number | null;
  resolved_by?: string | null;
  resolved_at?: number | null;
  /** The latest alert delivered (to re-render the message on acknowledge/resolve). Stored, not indexed. */
  alert?: Alert;
}

/**
 * A delivery channel (Slack, webhook...). `deliver` posts a new incident when `prior` is absent and an
 * update otherwise, and returns the record to store. Errors are LlmAuditErrors: retriable ones are tried
 * again with backoff, others are recorded as failed.
 */
export interface Sink {
  readonly name: string;
  deliver(alert: Alert, target: Target, prior?: DeliveryRecord, ctx?: DeliverContext): Promise<DeliveryRecord>;
  /** Lifecycle change (acknowledge/resolve) of an incident already delivered to this target. */
  updateStatus?(alert: Alert, record: DeliveryRecord, change: StatusChange): Promise<void>;
  /** One message listing alerts held back by the rate cap. Returns the summary's ts. */
  summarise?(channel: string, held: DeliveryRecord[], windowMs: number): Promise<{ ts: string; channel_id: string }>;
  close?(): Promise<void>;
}

export interface DeliverContext {
  /** An earlier attempt may have reached the receiver (timeout, crash): look before posting again. */
  uncertain?: boolean;
}

export interface StatusChange {
  status: AlertStatus;
  by: string;
  at: number;
}

export function newRecord(alert: Alert, target: Target, now: number): DeliveryRecord {
  return {
    alert_id: alert.id,
    sink: target.sink,
    channel: target.channel,
    status: 'pending',
    ts: null,
    channel_id: null,
    last_count: 0,
    updates: 0,
    rule: alert.rule,
    severity: alert.severity,
    api_key_id: alert.api_key_id,
    team: alert.owner?.team ?? null,
    first_seen: alert.first_seen,
    attempt_started_at: now,
    delivered_at: null,
    updated_at: now,
    error: null,
    alert_status: 'open',
  };
}
