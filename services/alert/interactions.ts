import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorMessage } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry } from '../common/metrics.js';
import type { RecordStore } from './deliveries.js';
import type { Dispatcher } from './dispatch.js';
import { advances, type AlertStatusStore } from './lifecycle.js';
import { ACK_ACTION, RESOLVE_ACTION } from './message.js';
import { ReplayGuard, verifySlackSignature } from './signature.js';
import type { AlertStatus } from './sinks/sink.js';

export const INTERACTIONS_PATH = '/slack/interactions';
const MAX_BODY = 64 * 1024;

export interface InteractionDeps {
  signingSecret: string;
  maxAgeSec: number;
  store: RecordStore;
  alerts: Pick<AlertStatusStore, 'setStatus'>;
  dispatcher: Dispatcher;
  logger: Logger;
  metrics: MetricsRegistry;
  now?: () => number;
}

interface BlockActionsPayload {
  type?: string;
  user?: { id?: string; username?: string };
  actions?: { action_id?: string; value?: string }[];
}

const M = 'llm_audit_alert_interactions_total';
const M_HELP = 'Slack interaction callbacks by outcome.';

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        // keep reading (and dropping) so the 413 reaches the client instead of a reset
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Slack interaction callbacks (Acknowledge / Resolve buttons). /healthz and /metrics are served by the ops server.
 * Only a correctly signed, fresh request reaches the lifecycle; everything else is 400/401.
 */
export function createInteractionServer(d: InteractionDeps): Server {
  const now = d.now ?? Date.now;
  const replays = new ReplayGuard();
  const reply = (res: ServerResponse, status: number, body = '', type = 'text/plain') => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = (req.url ?? '/').split('?')[0];
    // /healthz and /metrics are on the ops server (loopback by default), not on this public endpoint
    if (url !== INTERACTIONS_PATH) return reply(res, 404, 'not found\n');
    if (req.method !== 'POST') return reply(res, 405, 'POST only\n');
    const raw = await readBody(req);
    if (raw === null) {
      d.metrics.inc(M, M_HELP, { outcome: 'too_large' });
      res.setHeader('connection', 'close');
      return reply(res, 413, 'body too large\n');
    }
    const v = verifySlackSignature(d.signingSecret, { timestamp: req.headers['x-slack-request-timestamp'], signature: req.headers['x-slack-signature'] }, raw, now(), d.maxAgeSec);
    if (!v.ok) {
      d.metrics.inc(M, M_HELP, { outcome: `rejected_${v.status}` });
      d.logger.warn({ reason: v.reason, status: v.status }, 'slack interaction rejected');
      return reply(res, v.status, `${v.reason}\n`);
    }
    if (!replays.accept(String(req.headers['x-slack-signature']), String(req.headers['x-slack-request-timestamp']), now(), d.maxAgeSec)) {
      d.metrics.inc(M, M_HELP, { outcome: 'rejected_replay' });
      d.logger.warn({ status: 401 }, 'slack interaction rejected: signature seen before (replay)');
      return reply(res, 401, 'request already processed (replay)\n');
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return reply(res, 400, 'expected application/x-www-form-urlencoded\n');
    let payload: BlockActionsPayload;
    try {
      const p = new URLSearchParams(raw.toString('utf8')).get('payload');
      if (!p) throw new Error('no payload field');
      payload = JSON.parse(p) as BlockActionsPayload;
      if (typeof payload !== 'object' || payload === null) throw new Error('payload is not an object');
    } catch (err) {
      d.metrics.inc(M, M_HELP, { outcome: 'malformed' });
      return reply(res, 400, `malformed payload: ${errorMessage(err)}\n`);
    }
    const action = payload.actions?.find((a) => a.action_id === ACK_ACTION || a.action_id === RESOLVE_ACTION);
    // link buttons (Kibana, runbook) also call back; they need nothing from us
    if (payload.type !== 'block_actions' || !action) return reply(res, 200);
    if (typeof action.value !== 'string' || action.value === '' || !payload.user?.id) return reply(res, 400, 'action without alert id or user\n');
    const to: AlertStatus = action.action_id === ACK_ACTION ? 'acknowledged' : 'resolved';
    await applyStatus(action.value, to, payload.user.id);
    return reply(res, 200);
  }

  async function applyStatus(alertId: string, to: AlertStatus, by: string): Promise<void> {
    const records = await d.store.byAlert(alertId);
    const current = records.reduce<AlertStatus>((s, r) => (r.alert_status && advances(s, r.alert_status) ? r.alert_status : s), 'open');
    if (!advances(current, to)) {
      d.metrics.inc(M, M_HELP, { outcome: 'no_change' });
      return;
    }
    const change = { status: to, by, at: now() };
    const alert = records.find((r) => r.alert)?.alert;
    const r = await d.alerts.setStatus(alertId, change, alert);
    await d.dispatcher.changeStatus(records, change);
    d.metrics.inc(M, M_HELP, { outcome: to });
    d.logger.info({ alert_id: alertId, status: to, time_to_ack_ms: r.time_to_ack_ms, time_to_resolve_ms: r.time_to_resolve_ms }, 'alert status changed');
  }

  return createServer((req, res) => {
    handle(req, res).catch((err) => {
      d.logger.error({ err: errorMessage(err) }, 'interaction failed');
      d.metrics.inc(M, M_HELP, { outcome: 'error' });
      // 500 makes Slack show the user an error; they can click again (the change is idempotent)
      if (!res.headersSent) reply(res, 500, 'internal error\n');
    });
  });
}
