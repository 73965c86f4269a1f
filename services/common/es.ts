import { Client } from '@elastic/elasticsearch';
import type { CoreConfig } from './settings.js';

export function createEs(core: Pick<CoreConfig, 'elasticsearchUrl' | 'elasticsearchUsername' | 'elasticsearchPassword'>): Client {
  return new Client({
    node: core.elasticsearchUrl,
    auth: core.elasticsearchUsername && core.elasticsearchPassword ? { username: core.elasticsearchUsername, password: core.elasticsearchPassword } : undefined,
    requestTimeout: 30_000,
    // the pipeline's own retry decides; the client must not retry a bulk behind its back
    maxRetries: 0,
  });
}

/** Daily index name by event time (UTC): <prefix>-<kind>-YYYY.MM.DD. */
export function dailyIndex(prefix: string, kind: string, epochMs: number): string {
  const d = new Date(epochMs);
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(d.getUTCDate()).padStart(2, '0');
  return `${prefix}-${kind}-${d.getUTCFullYear()}.${mm}.${dd}`;
}
