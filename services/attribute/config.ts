import { defineConfig, type ConfigOf } from '../common/config.js';

export const attributeConfig = defineConfig('attribute', {
  identityFile: { type: 'string', env: 'LLM_AUDIT_IDENTITY_FILE', description: 'Identity directory file (YAML or JSON), reloaded on change without a restart. Unset: the topic is the only source.', example: 'deploy/identities.example.yaml' },
  identityTopic: { type: 'string', env: 'LLM_AUDIT_IDENTITY_TOPIC', default: 'llm.identities.v1', description: 'Compacted topic of identity entries (key = api_key_id, Avro identity.v1 or JSON; null value deletes). Empty string turns it off.' },
  identityTopicEnabled: { type: 'bool', env: 'LLM_AUDIT_IDENTITY_TOPIC_ENABLED', default: true, description: 'Read the identity topic (created compacted if missing).' },
  identityPollMs: { type: 'int', env: 'LLM_AUDIT_IDENTITY_POLL_MS', default: 5_000, min: 100, description: 'mtime poll of the identity file, the fallback where fs.watch misses changes.' },
  identityCatchUpMs: { type: 'int', env: 'LLM_AUDIT_IDENTITY_CATCHUP_MS', default: 30_000, min: 100, description: 'How long start waits to read the identity topic to its end before failing.' },
  defaultRotationDays: { type: 'int', env: 'LLM_AUDIT_ROTATION_DAYS', default: 90, min: 1, description: 'Rotation policy (max key age, days) for entries that set none.' },
  priceFile: { type: 'string', env: 'LLM_AUDIT_PRICE_FILE', description: 'Price table (YAML/JSON, models: {name: {input, output}} in USD per 1k tokens) merged over the shipped defaults.' },
  dormantDays: { type: 'int', env: 'LLM_AUDIT_DORMANT_DAYS', default: 30, min: 1, description: 'A key unused this many days is dormant; its next use raises dormant_key_reactivated.' },
  sharedKeyWindowMinutes: { type: 'int', env: 'LLM_AUDIT_SHARED_KEY_WINDOW_MINUTES', default: 60, min: 1, description: 'Window in which distinct clients and principal types of one key are counted.' },
  sharedKeyMaxClients: { type: 'int', env: 'LLM_AUDIT_SHARED_KEY_MAX_CLIENTS', default: 2, min: 1, description: 'More distinct client families (user-agent products) than this on one key within the window raise shared_key.' },
  sharedKeyMaxPrincipalTypes: { type: 'int', env: 'LLM_AUDIT_SHARED_KEY_MAX_PRINCIPAL_TYPES', default: 1, min: 1, description: 'More distinct principal types (user, service, workload, from principal_id patterns) than this raise shared_key.' },
  budgetThresholds: { type: 'list', env: 'LLM_AUDIT_BUDGET_THRESHOLDS', default: ['80', '100'], description: 'Percentages of a budget that raise budget_exceeded, once per threshold and period.' },
  keyStateIndex: { type: 'string', env: 'LLM_AUDIT_KEY_STATE_INDEX', description: 'Index of per-key last-seen state. Default: <prefix>-key-state.' },
});
export type AttributeConfig = ConfigOf<typeof attributeConfig.spec>;

export const keyStateIndex = (c: AttributeConfig, prefix: string): string => c.keyStateIndex ?? `${prefix}-key-state`;
