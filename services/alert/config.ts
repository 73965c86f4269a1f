import { defineConfig, type ConfigOf } from '../common/config.js';
import { ConfigError } from '../common/errors.js';

/** The alert service's settings. Secrets accept `<ENV>_FILE` (a mounted file) and are never logged. */
export const alertConfig = defineConfig('alert', {
  slackBotToken: {
    type: 'string', env: 'SLACK_BOT_TOKEN', secret: true, pattern: /^xoxb-[A-Za-z0-9-]+$/, example: 'xoxb-1234-5678-abcd',
    description: 'Slack bot token (xoxb-...), or SLACK_BOT_TOKEN_FILE. Needs chat:write, channels:history (recovery after timeouts).',
  },
  slackSigningSecret: {
    type: 'string', env: 'SLACK_SIGNING_SECRET', secret: true, pattern: /^[A-Za-z0-9]{32,}$/, example: '8f742231b10e8888abcd99yyyzzz85a5',
    description: 'Slack app signing secret (32+ letters and digits), or SLACK_SIGNING_SECRET_FILE. Verifies interaction callbacks.',
  },
  slackApiUrl: { type: 'string', env: 'SLACK_API_URL', default: 'https://slack.com/api/', description: 'Slack Web API base URL (tests point it at a local fake).' },
  slackTimeoutMs: { type: 'int', env: 'SLACK_TIMEOUT_MS', default: 10_000, min: 100, description: 'Timeout of one Slack API call; a timed-out post is looked up by its metadata before it is retried.' },
  routingFile: { type: 'string', env: 'LLM_AUDIT_ALERT_ROUTING_FILE', description: 'YAML routing file (channels, teams, webhooks). Unset: everything goes to the default channel.' },
  defaultChannel: { type: 'string', env: 'LLM_AUDIT_ALERT_DEFAULT_CHANNEL', default: '#llm-audit-alerts', description: 'Channel for alerts whose owner has no channel (the routing file may override).' },
  escalationChannel: { type: 'string', env: 'LLM_AUDIT_ALERT_ESCALATION_CHANNEL', description: 'Extra channel for critical alerts (the routing file may override).' },
  kibanaUrl: { type: 'string', env: 'LLM_AUDIT_KIBANA_URL', default: 'http://127.0.0.1:5601', description: 'Kibana base URL for Discover links in messages.' },
  kibanaDataView: { type: 'string', env: 'LLM_AUDIT_KIBANA_DATA_VIEW', default: 'llm-audit-events', description: 'Kibana data view id the Discover links open.' },
  runbookBaseUrl: {
    type: 'string', env: 'LLM_AUDIT_RUNBOOK_BASE_URL', default: 'https://github.com/llm-audit/llm-audit/blob/main/docs/runbooks',
    description: 'Base URL of the runbooks; a message links <base>/<rule>.md.',
  },
  groupId: { type: 'string', env: 'LLM_AUDIT_ALERT_GROUP_ID', default: 'llm-audit-alert', description: 'Kafka consumer group of the alert service.' },
  deliveriesIndex: { type: 'string', env: 'LLM_AUDIT_DELIVERIES_INDEX', description: 'Index of delivery records. Default: <prefix>-deliveries.' },
  rateCapBurst: { type: 'int', env: 'LLM_AUDIT_ALERT_RATE_BURST', default: 10, min: 1, description: 'New top-level messages a channel may get at once (token bucket size).' },
  rateCapPerMinute: { type: 'number', env: 'LLM_AUDIT_ALERT_RATE_PER_MIN', default: 6, min: 0.01, description: 'New top-level messages per minute a channel gets after its burst (refill rate).' },
  summaryIntervalMs: { type: 'int', env: 'LLM_AUDIT_ALERT_SUMMARY_INTERVAL_MS', default: 60_000, min: 100, description: 'How often held-back alerts are posted as one summary message per channel.' },
  retryInitialMs: { type: 'int', env: 'LLM_AUDIT_ALERT_RETRY_INITIAL_MS', default: 500, min: 1, description: 'First backoff delay while a sink is down.' },
  retryMaxMs: { type: 'int', env: 'LLM_AUDIT_ALERT_RETRY_MAX_MS', default: 10_000, min: 1, description: 'Longest backoff delay while a sink is down (keep below the session timeout: the consumer heartbeats between attempts).' },
  deliveryConcurrency: { type: 'int', env: 'LLM_AUDIT_ALERT_CONCURRENCY', default: 8, min: 1, max: 256, description: 'Deliveries in flight at once over all channels (new incidents are picked before thread updates).' },
  channelConcurrency: { type: 'int', env: 'LLM_AUDIT_ALERT_CHANNEL_CONCURRENCY', default: 2, min: 1, max: 32, description: 'Deliveries in flight at once on one channel.' },
  maxQueued: { type: 'int', env: 'LLM_AUDIT_ALERT_MAX_QUEUED', default: 10_000, min: 10, description: 'Deliveries queued before the consumer stops fetching (backpressure); pending updates of one incident count once.' },
  instanceId: {
    type: 'string', env: 'LLM_AUDIT_ALERT_INSTANCE_ID', pattern: /^[A-Za-z0-9._-]{1,100}$/, example: 'alert-0',
    description: 'A stable name for this instance, unique among running ones (a StatefulSet pod name, a host name). When set, a restarted instance removes the consumer-group member its crashed predecessor left, so partitions move at once instead of after the session timeout.',
  },
  sessionTimeoutMs: { type: 'int', env: 'LLM_AUDIT_ALERT_SESSION_TIMEOUT_MS', default: 30_000, min: 6_000, max: 300_000, description: 'Kafka consumer session timeout: how long a crashed instance keeps its partitions before another takes them.' },
  opsPort: { type: 'int', env: 'LLM_AUDIT_ALERT_HTTP_PORT', default: 9465, min: 0, max: 65535, description: 'Port of the alert service\'s /healthz and /metrics, bound to LLM_AUDIT_HTTP_HOST (loopback by default; 0 picks a free port).' },
  interactionPort: { type: 'int', env: 'LLM_AUDIT_ALERT_INTERACTION_PORT', default: 3000, min: 0, max: 65535, description: 'Port of the Slack interaction endpoint (POST /slack/interactions); 0 picks a free port.' },
  interactionHost: { type: 'string', env: 'LLM_AUDIT_ALERT_INTERACTION_HOST', default: '0.0.0.0', description: 'Address the interaction endpoint binds to.' },
  signatureMaxAgeSec: { type: 'int', env: 'LLM_AUDIT_SLACK_SIGNATURE_MAX_AGE_S', default: 300, min: 1, description: 'Interaction requests older (or further in the future) than this are rejected as replays.' },
  digestCron: { type: 'string', env: 'LLM_AUDIT_DIGEST_CRON', default: '0 9 * * 1-5', description: 'node-cron expression of the daily per-team digest.' },
  digestTimezone: { type: 'string', env: 'LLM_AUDIT_DIGEST_TZ', default: 'UTC', description: 'Time zone of the digest schedule.' },
  digestTopKeys: { type: 'int', env: 'LLM_AUDIT_DIGEST_TOP_KEYS', default: 5, min: 1, max: 20, description: 'Keys listed in the digest by tokens and by cost.' },
});
export type AlertConfig = ConfigOf<typeof alertConfig.spec>;

/**
 * Parses and checks the settings the running service cannot start without. Messages say which variable
 * to set and never echo a secret's value.
 */
export function loadAlertConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof AlertConfig, unknown>> = {}, need = { slack: true, interactions: true }): AlertConfig {
  const c = alertConfig.fromEnv(env, overrides);
  if (need.slack && !c.slackBotToken) throw new ConfigError('alert: SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_FILE) is required: a Slack bot token starting with xoxb-');
  if (need.interactions && !c.slackSigningSecret) throw new ConfigError('alert: SLACK_SIGNING_SECRET (or SLACK_SIGNING_SECRET_FILE) is required to verify interaction callbacks: the app\'s signing secret');
  return c;
}
