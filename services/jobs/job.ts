import type { Client } from '@elastic/elasticsearch';
import type { Producer } from 'kafkajs';
import { alertEncoder, alertIndex, alertToDoc, toAvro } from '../common/alert.js';
import { schemaSourceFor } from '../common/avro.js';
import { errorMessage, TransientError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { CoreConfig } from '../common/settings.js';
import type { Alert, Json } from '../common/types.js';
import type { AttributeConfig } from '../attribute/config.js';
import type { IdentityDirectory } from '../attribute/directory.js';
import type { JobsConfig } from './config.js';

export interface JobContext {
  es: Client;
  /** Alerts go to the alerts topic too when a producer is given. */
  producer?: Producer;
  logger: Logger;
  core: CoreConfig;
  jobs: JobsConfig;
  attribute: AttributeConfig;
  directory: () => Promise<IdentityDirectory>;
  now: number;
  dryRun: boolean;
}

/** A scheduled job: one file each; `run` returns a summary that is logged and printed by the CLI. */
export interface Job {
  name: string;
  description: string;
  cron: (c: JobsConfig) => string;
  run(ctx: JobContext): Promise<Record<string, Json>>;
}

/**
 * Writes job-raised alerts that no one raised before (same incident ids as the stage), to the alerts
 * index and the alerts topic. Returns the ones written.
 */
export async function raiseNewAlerts(ctx: JobContext, alerts: Alert[]): Promise<Alert[]> {
  if (!alerts.length) return [];
  const prefix = ctx.core.indexPrefix;
  let known: Set<string>;
  try {
    const res = await ctx.es.search({ index: `${prefix}-alerts-*`, ignore_unavailable: true, allow_no_indices: true, size: alerts.length, _source: false, query: { ids: { values: alerts.map((a) => a.id) } } });
    known = new Set(res.hits.hits.map((h) => h._id!));
  } catch (err) {
    throw new TransientError(`looking up existing alerts failed: ${errorMessage(err)}`, err);
  }
  const fresh = alerts.filter((a) => !known.has(a.id));
  if (!fresh.length || ctx.dryRun) return fresh;
  const operations = fresh.flatMap((a) => [{ create: { _index: alertIndex(prefix, a), _id: a.id } }, alertToDoc(a)]);
  const res = await ctx.es.bulk({ operations, refresh: 'wait_for' });
  const written = fresh.filter((_, i) => {
    const item = res.items[i]?.create;
    return item && (!item.error || item.status === 409);
  });
  if (ctx.producer && written.length) {
    const enc = alertEncoder(schemaSourceFor(ctx.core.schemaRegistryUrl));
    await ctx.producer.send({
      topic: ctx.core.alertsTopic,
      messages: await Promise.all(written.map(async (a) => ({ key: a.api_key_id, value: await enc.encode(toAvro(a)), headers: { 'alert-id': a.id, rule: a.rule } }))),
    });
  }
  return written;
}

export function alertFrom(o: { id: string; rule: string; kind: string; severity: Alert['severity']; message: string; evidence: Record<string, Json> }, keyId: string, at: number, owner?: Alert['owner']): Alert {
  return { id: o.id, rule: o.rule, kind: o.kind, severity: o.severity, api_key_id: keyId, timestamp: at, created: at, first_seen: at, last_seen: at, count: 1, message: o.message, evidence: o.evidence, ...(owner ? { owner } : {}) };
}
