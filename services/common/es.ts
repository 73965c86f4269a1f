import { readFileSync } from 'node:fs';
import { Client, type estypes } from '@elastic/elasticsearch';
import { ConfigError, TransientError, errorMessage } from './errors.js';
import type { CoreConfig } from './settings.js';

export type EsSettings = Pick<CoreConfig, 'elasticsearchUrl' | 'elasticsearchUsername' | 'elasticsearchPassword'> &
  Partial<Pick<CoreConfig, 'elasticsearchApiKey' | 'elasticsearchCaFile' | 'elasticsearchTlsVerify'>>;

export function createEs(core: EsSettings): Client {
  let ca: Buffer | undefined;
  if (core.elasticsearchCaFile) {
    try {
      ca = readFileSync(core.elasticsearchCaFile);
    } catch (err) {
      throw new ConfigError(`ELASTICSEARCH_CA_FILE=${core.elasticsearchCaFile} cannot be read: ${errorMessage(err)}`, err);
    }
  }
  const https = core.elasticsearchUrl.startsWith('https:');
  // several nodes of one cluster, comma-separated: the client spreads requests and skips a dead node
  const urls = core.elasticsearchUrl.split(',').map((u) => u.trim()).filter(Boolean);
  return new Client({
    node: urls.length > 1 ? urls : urls[0] ?? core.elasticsearchUrl,
    auth: core.elasticsearchApiKey
      ? { apiKey: core.elasticsearchApiKey }
      : core.elasticsearchUsername && core.elasticsearchPassword ? { username: core.elasticsearchUsername, password: core.elasticsearchPassword } : undefined,
    ...(https ? { tls: { ...(ca ? { ca } : {}), rejectUnauthorized: core.elasticsearchTlsVerify ?? true } } : {}),
    requestTimeout: 30_000,
    // the pipeline's own retry decides; the client must not retry a bulk behind its back
    maxRetries: 0,
  });
}

/**
 * One request at start, so a wrong credential or an untrusted certificate stops the service at once
 * with the setting to fix (ConfigError), instead of surfacing later as retried bulk failures.
 * An unreachable cluster is returned, not thrown: the services wait for it as before.
 */
export async function checkEs(es: Client, core: EsSettings): Promise<TransientError | undefined> {
  try {
    // not GET /: the integ-test-zip does not serve it; health needs only the monitor privilege
    await es.cluster.health({ timeout: '1s' });
  } catch (err) {
    const e = err as { name?: string; message?: string; meta?: { statusCode?: number } };
    const msg = e.message ?? String(err);
    const status = e.meta?.statusCode;
    if (status === 401) {
      const how = core.elasticsearchApiKey ? 'ELASTICSEARCH_API_KEY' : core.elasticsearchUsername ? 'ELASTICSEARCH_USERNAME / ELASTICSEARCH_PASSWORD' : 'ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME / ELASTICSEARCH_PASSWORD (none is set)';
      throw new ConfigError(`Elasticsearch at ${core.elasticsearchUrl} refused the credentials (401): check ${how}`, err);
    }
    if (status === 403) throw new ConfigError(`Elasticsearch at ${core.elasticsearchUrl} answered 403: the user or API key lacks the privileges llm-audit needs (see docs/operators/security.md)`, err);
    if (/certificate|self[- ]signed|UNABLE_TO_VERIFY|unable to get|CERT_|altnames/i.test(msg)) {
      throw new ConfigError(`Elasticsearch at ${core.elasticsearchUrl} presented a certificate that is not trusted (${msg}): set ELASTICSEARCH_CA_FILE to the CA that signed it`, err);
    }
    // unreachable is not a configuration mistake: the services wait and retry as they always did
    const hint = !core.elasticsearchUrl.startsWith('https:') && /other side closed|socket hang up|ECONNRESET|EPROTO/i.test(msg) ? ' (if the cluster has TLS on, use an https:// ELASTICSEARCH_URL)' : '';
    return new TransientError(`Elasticsearch at ${core.elasticsearchUrl} is not reachable: ${msg}${hint}`, err);
  }
  return undefined;
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
