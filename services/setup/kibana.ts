import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, LlmAuditError, TransientError } from '../common/errors.js';
import { deployDir } from '../common/paths.js';

export interface SavedObject {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  references?: { id: string; type: string; name: string }[];
  [k: string]: unknown;
}

/** The NDJSON files are written for the default prefix; another prefix rewrites the data views' index patterns. */
export const DEFAULT_PREFIX = 'llm-audit';

export function kibanaDir(): string {
  return join(deployDir(), 'kibana');
}

export function loadSavedObjects(dir = kibanaDir()): { file: string; objects: SavedObject[] }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .sort()
    .map((file) => ({
      file,
      objects: readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l, i) => {
          try {
            return JSON.parse(l) as SavedObject;
          } catch (err) {
            throw new ConfigError(`deploy/kibana/${file} line ${i + 1} is not JSON: ${(err as Error).message}`, err);
          }
        }),
    }));
}

export function renderSavedObjects(objects: SavedObject[], prefix: string): string {
  return objects
    .map((o) => {
      if (o.type !== 'index-pattern' || prefix === DEFAULT_PREFIX) return JSON.stringify(o);
      const title = String(o.attributes.title);
      return JSON.stringify({ ...o, attributes: { ...o.attributes, title: title.startsWith(`${DEFAULT_PREFIX}-`) ? prefix + title.slice(DEFAULT_PREFIX.length) : title } });
    })
    .join('\n') + '\n';
}

export interface KibanaImportOptions {
  url: string;
  space?: string;
  username?: string;
  password?: string;
  fetchImpl?: typeof fetch;
}

export interface KibanaImportResult {
  success: boolean;
  successCount: number;
  errors: { id: string; type: string; error: unknown }[];
}

/** POST /api/saved_objects/_import?overwrite=true (multipart, one NDJSON file), Kibana's own import API. */
export async function importSavedObjects(ndjson: string, o: KibanaImportOptions): Promise<KibanaImportResult> {
  const base = o.url.replace(/\/$/, '') + (o.space ? `/s/${encodeURIComponent(o.space)}` : '');
  const form = new FormData();
  form.append('file', new Blob([ndjson], { type: 'application/ndjson' }), 'llm-audit.ndjson');
  const headers: Record<string, string> = { 'kbn-xsrf': 'llm-audit-setup' };
  if (o.username && o.password) headers.authorization = `Basic ${Buffer.from(`${o.username}:${o.password}`).toString('base64')}`;
  let res: Response;
  try {
    res = await (o.fetchImpl ?? fetch)(`${base}/api/saved_objects/_import?overwrite=true`, { method: 'POST', headers, body: form });
  } catch (err) {
    throw new TransientError(`Kibana unreachable at ${o.url}`, err);
  }
  const text = await res.text();
  if (res.status >= 500 || res.status === 429) throw new TransientError(`Kibana answered ${res.status} to the saved-objects import: ${text.slice(0, 300)}`);
  if (!res.ok) throw new LlmAuditError(`Kibana refused the saved-objects import (${res.status}): ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as KibanaImportResult;
  return { success: body.success, successCount: body.successCount ?? 0, errors: body.errors ?? [] };
}
