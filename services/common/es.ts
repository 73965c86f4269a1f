import { Client, type estypes } from '@elastic/elasticsearch';
import type { CoreConfig } from './settings.js';

export function createEs(core: Pick<CoreConfig, 'elasticsearchUrl' | 'elasticsearchUsername' | 'elasticsearchPassword'>): Client {
  // several nodes of one cluster, comma-separated: the client spreads requests and skips a dead node
  const urls = core.elasticsearchUrl.split(',').map((u) => u.trim()).filter(Boolean);
  return new Client({
    node: urls.length > 1 ? urls : urls[0] ?? core.elasticsearchUrl,
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


/**
 * Creates a single-shard index unless it exists. Instances racing at start each see it created or
 * already there: resource_already_exists is success. Returns whether this call created it.
 */
export async function createIndexIfMissing(es: Client, index: string, mappings?: estypes.MappingTypeMapping, settings: Record<string, unknown> = { number_of_shards: 1, number_of_replicas: 0 }): Promise<boolean> {
  if (await es.indices.exists({ index })) return false;
  try {
    await es.indices.create({ index, settings, ...(mappings ? { mappings } : {}) });
    return true;
  } catch (err) {
    if (isAlreadyExists(err)) return false;
    throw err;
  }
}

export function isAlreadyExists(err: unknown): boolean {
  const e = err as { meta?: { body?: { error?: { type?: string } } }; body?: { error?: { type?: string } } };
  return (e.meta?.body?.error?.type ?? e.body?.error?.type) === 'resource_already_exists_exception';
}
