import { defineConfig, type ConfigOf } from '../common/config.js';

/** How `llm-audit setup` sizes and installs the Elasticsearch and Kibana assets. */
export const setupConfig = defineConfig('setup', {
  shards: { type: 'int', env: 'LLM_AUDIT_ES_SHARDS', default: 1, min: 1, max: 64, description: 'Primary shards of every llm-audit index (1 suits a single node and daily indices of a few GB).' },
  replicas: { type: 'int', env: 'LLM_AUDIT_ES_REPLICAS', default: 0, min: 0, max: 8, description: 'Replicas of every llm-audit index (0 on a single node, where replicas cannot be assigned; 1 or more on a cluster).' },
  refreshInterval: {
    type: 'string', env: 'LLM_AUDIT_ES_REFRESH_INTERVAL', pattern: /^(-1|\d+(ms|s|m))$/, example: '30s',
    description: "index.refresh_interval of events and alerts: how soon a written document is searchable. Unset, events keep Elasticsearch's default (1 s, skipped while no one has searched the index for 30 s; a search then refreshes first, so it still sees every acknowledged document) and alerts refresh every second.",
  },
  ilm: { type: 'enum', env: 'LLM_AUDIT_ILM', values: ['auto', 'on', 'off'], default: 'auto', description: 'Use ILM for retention (days from LLM_AUDIT_EVENTS_RETENTION_DAYS and LLM_AUDIT_ALERTS_RETENTION_DAYS, as the retention job): auto = when the cluster has it (GET _ilm/status answers), on = require it, off = leave retention to the retention job.' },
  kibanaUrl: { type: 'string', env: 'KIBANA_URL', pattern: /^https?:\/\//, example: 'http://127.0.0.1:5601', description: 'Kibana base URL; when set (or --kibana), setup imports the saved objects in deploy/kibana.' },
  kibanaSpace: { type: 'string', env: 'KIBANA_SPACE', description: 'Kibana space to import into (default space when unset).' },
  kibanaUsername: { type: 'string', env: 'KIBANA_USERNAME', description: 'Kibana basic-auth user (optional).' },
  kibanaPassword: { type: 'string', env: 'KIBANA_PASSWORD', secret: true, description: 'Kibana basic-auth password (optional; or KIBANA_PASSWORD_FILE).' },
});
export type SetupConfig = ConfigOf<typeof setupConfig.spec>;
