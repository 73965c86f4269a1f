import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { deployDir } from '../common/paths.js';

/**
 * Installs the index templates under deploy/elasticsearch/*-template.json, substituting the index prefix.
 * Idempotent: a template whose _meta.version is already installed is left alone.
 */
export async function installTemplates(es: Client, prefix: string): Promise<{ installed: string[]; unchanged: string[] }> {
  const dir = join(deployDir(), 'elasticsearch');
  const installed: string[] = [];
  const unchanged: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('-template.json')).sort()) {
    const body = JSON.parse(readFileSync(join(dir, f), 'utf8').replaceAll('{{prefix}}', prefix)) as { _meta?: { version?: number } } & Record<string, unknown>;
    const name = `${prefix}-${f.replace(/-template\.json$/, '')}`;
    let current: number | undefined;
    try {
      const res = await es.indices.getIndexTemplate({ name });
      current = (res.index_templates[0]?.index_template._meta as { version?: number } | undefined)?.version;
    } catch (err) {
      if ((err as { meta?: { statusCode?: number } }).meta?.statusCode !== 404) throw err;
    }
    if (current !== undefined && current === body._meta?.version) {
      unchanged.push(name);
      continue;
    }
    await es.indices.putIndexTemplate({ name, ...(body as object) } as Parameters<Client['indices']['putIndexTemplate']>[0]);
    installed.push(name);
  }
  return { installed, unchanged };
}
