import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { ConfigError } from '../common/errors.js';
import { deployDir } from '../common/paths.js';
import { canonicalJson, sha256Hex } from '../compliance/canonical.js';
import { es, esError, statusOf } from '../compliance/es-util.js';
import { isAlreadyExists } from '../common/es.js';

export interface InstallOptions {
  prefix: string;
  shards?: number;
  replicas?: number;
  refreshInterval?: string;
  /** Days before ILM deletes a daily index (same settings as the retention job: LLM_AUDIT_EVENTS_RETENTION_DAYS, LLM_AUDIT_ALERTS_RETENTION_DAYS). */
  retentionDays?: { events: number; alerts: number };
  /** auto: use ILM when the cluster has it. */
  ilm?: 'auto' | 'on' | 'off';
  /** Reinstall even when the installed asset has the same checksum or a newer _meta.version. */
  force?: boolean;
  /** Report what would change, change nothing. */
  dryRun?: boolean;
  dir?: string;
}

export type AssetAction = 'created' | 'updated' | 'unchanged' | 'skipped';
export interface AssetResult {
  kind: 'index_template' | 'ilm_policy' | 'index';
  name: string;
  action: AssetAction;
  version?: number;
  detail?: string;
}
export interface InstallReport {
  ilm: boolean;
  retention: 'ilm' | 'retention-job';
  assets: AssetResult[];
}

/** Indices that exist once (not daily): setup creates them so Kibana and the CLI find them from the start. */
export const SINGLETON_INDICES = ['integrity', 'legal-hold', 'vault', 'reveal-audit'] as const;
/** Daily indices that the retention policy deletes. */
export const RETAINED_KINDS = ['events', 'alerts'] as const;

export const ilmPolicyName = (prefix: string, kind: string) => `${prefix}-${kind}-retention`;
export const templateName = (prefix: string, kind: string) => `${prefix}-${kind}`;

type Json = Record<string, unknown>;
interface Meta { version: number; description?: string; checksum?: string }

function substitute(v: unknown, vars: Record<string, string>): unknown {
  if (typeof v === 'string') return v.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
  if (Array.isArray(v)) return v.map((x) => substitute(x, vars));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, vars)]));
  return v;
}

function readJson(path: string): Json {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (err) {
    throw new ConfigError(`cannot read asset ${path}: ${(err as Error).message}`, err);
  }
}

function withChecksum<T extends Json>(body: T): T {
  const meta = (body._meta ?? {}) as Meta;
  if (typeof meta.version !== 'number') throw new ConfigError('every asset in deploy/elasticsearch needs an integer _meta.version');
  const { checksum: _ignored, ...rest } = meta;
  const checksum = sha256Hex(canonicalJson({ ...body, _meta: rest })).slice(0, 16);
  return { ...body, _meta: { ...rest, checksum } };
}

/**
 * The rendered assets: templates with prefix, sizing and (with ILM) the lifecycle policy applied.
 * _meta.checksum covers the rendered body, so a change of prefix, sizing or file content is an update.
 */
export const DEFAULT_RETENTION = { events: 400, alerts: 1100 };

export function renderAssets(o: InstallOptions & { withIlm: boolean }): { templates: { kind: string; name: string; body: Json }[]; policies: { name: string; body: Json }[] } {
  const dir = o.dir ?? join(deployDir(), 'elasticsearch');
  const vars = { prefix: o.prefix };
  const templates = readdirSync(dir)
    .filter((f) => f.endsWith('-template.json'))
    .sort()
    .map((f) => {
      const kind = f.replace(/-template\.json$/, '');
      const body = substitute(readJson(join(dir, f)), vars) as Json & { template: { settings?: Json } };
      const settings: Json = { ...(body.template.settings ?? {}) };
      if (o.shards !== undefined) settings.number_of_shards = o.shards;
      if (o.replicas !== undefined) settings.number_of_replicas = o.replicas;
      if (o.refreshInterval !== undefined && (RETAINED_KINDS as readonly string[]).includes(kind)) settings.refresh_interval = o.refreshInterval;
      if (o.withIlm && (RETAINED_KINDS as readonly string[]).includes(kind)) settings['index.lifecycle.name'] = ilmPolicyName(o.prefix, kind);
      return { kind, name: templateName(o.prefix, kind), body: withChecksum({ ...body, template: { ...body.template, settings } }) };
    });
  const policies = RETAINED_KINDS.map((kind) => {
    const days = String((o.retentionDays ?? DEFAULT_RETENTION)[kind]);
    const raw = substitute(readJson(join(dir, 'ilm-policy.json')), { ...vars, kind, retention_days: days }) as Json & { policy: Json };
    return { name: ilmPolicyName(o.prefix, kind), body: withChecksum({ _meta: raw._meta, policy: raw.policy } as Json) };
  });
  return { templates, policies };
}

/** Whether the cluster runs ILM. The minimal integ-test distribution answers 4xx (no handler) instead. */
export async function hasIlm(client: Client): Promise<boolean> {
  try {
    await client.ilm.getStatus();
    return true;
  } catch (err) {
    const s = statusOf(err);
    if (s !== undefined && s >= 400 && s < 500) return false;
    throw esError('GET _ilm/status', err);
  }
}

function decide(installed: Meta | undefined, wanted: Meta, force: boolean): { action: AssetAction; detail?: string } {
  if (!installed) return { action: 'created' };
  if (!force && installed.checksum === wanted.checksum) return { action: 'unchanged' };
  if (!force && typeof installed.version === 'number' && installed.version > wanted.version) {
    return { action: 'skipped', detail: `installed version ${installed.version} is newer than ${wanted.version}; rerun with --force to downgrade` };
  }
  return { action: 'updated' };
}

/**
 * Installs (or brings up to date) every Elasticsearch asset: index templates, the ILM policy when
 * the cluster has ILM, and the singleton indices. Safe to rerun against a live cluster: an asset
 * whose installed _meta.checksum matches is left untouched, a newer installed version is never downgraded,
 * and existing daily indices keep their settings (templates apply to indices created afterwards).
 */
export async function installAssets(client: Client, opts: InstallOptions): Promise<InstallReport> {
  const mode = opts.ilm ?? 'auto';
  const clusterIlm = mode === 'off' ? false : await hasIlm(client);
  if (mode === 'on' && !clusterIlm) throw new ConfigError('LLM_AUDIT_ILM=on but this cluster has no ILM (GET _ilm/status fails); use auto or off and run the retention job');
  const { templates, policies } = renderAssets({ ...opts, withIlm: clusterIlm });
  const assets: AssetResult[] = [];
  const force = opts.force ?? false;

  for (const policy of clusterIlm ? policies : []) {
    let installed: Meta | undefined;
    try {
      const res = await client.ilm.getLifecycle({ name: policy.name });
      installed = res[policy.name]?.policy._meta as Meta | undefined;
      installed ??= { version: 0 };
    } catch (err) {
      if (statusOf(err) !== 404) throw esError(`GET _ilm/policy/${policy.name}`, err);
    }
    const wanted = policy.body._meta as Meta;
    const d = decide(installed, wanted, force);
    if ((d.action === 'created' || d.action === 'updated') && !opts.dryRun) {
      await es(`PUT _ilm/policy/${policy.name}`, () =>
        client.ilm.putLifecycle({ name: policy.name, policy: { ...(policy.body.policy as object), _meta: wanted } as never }),
      );
    }
    assets.push({ kind: 'ilm_policy', name: policy.name, version: wanted.version, ...d });
  }

  for (const t of templates) {
    let installed: Meta | undefined;
    try {
      const res = await client.indices.getIndexTemplate({ name: t.name });
      installed = (res.index_templates[0]?.index_template._meta as Meta | undefined) ?? { version: 0 };
    } catch (err) {
      if (statusOf(err) !== 404) throw esError(`GET _index_template/${t.name}`, err);
    }
    const wanted = t.body._meta as Meta;
    const d = decide(installed, wanted, force);
    if ((d.action === 'created' || d.action === 'updated') && !opts.dryRun) {
      await es(`PUT _index_template/${t.name}`, () =>
        client.indices.putIndexTemplate({ name: t.name, ...t.body, version: wanted.version } as Parameters<Client['indices']['putIndexTemplate']>[0]),
      );
    }
    assets.push({ kind: 'index_template', name: t.name, version: wanted.version, ...d });
  }

  for (const kind of SINGLETON_INDICES) {
    const index = `${opts.prefix}-${kind}`;
    const exists = await es(`HEAD ${index}`, () => client.indices.exists({ index }));
    if (exists) {
      // templates only shape new indices; additive mapping changes reach the existing singleton here
      const t = templates.find((x) => x.kind === kind);
      const updatedTemplate = assets.find((a) => a.name === t?.name)?.action === 'updated';
      if (t && updatedTemplate && !opts.dryRun) {
        const mappings = (t.body.template as { mappings?: Json }).mappings ?? {};
        await es(`PUT ${index}/_mapping`, () => client.indices.putMapping({ index, ...(mappings as object) }));
        assets.push({ kind: 'index', name: index, action: 'updated', detail: 'mappings' });
      } else assets.push({ kind: 'index', name: index, action: 'unchanged' });
      continue;
    }
    if (!opts.dryRun) {
      try {
        await client.indices.create({ index });
      } catch (err) {
        // another setup running at the same moment created it: that is the outcome we wanted
        if (!isAlreadyExists(err)) {
          throw esError(`create ${index}`, err);
        }
      }
    }
    assets.push({ kind: 'index', name: index, action: 'created' });
  }
  return { ilm: clusterIlm, retention: clusterIlm ? 'ilm' : 'retention-job', assets };
}
