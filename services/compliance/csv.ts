import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployDir } from '../common/paths.js';

type Props = Record<string, { type?: string; properties?: Props; enabled?: boolean }>;

/** Leaf field paths of an index template's mapping, in file order: the CSV columns. */
export function templateFields(kind = 'events'): string[] {
  const t = JSON.parse(readFileSync(join(deployDir(), 'elasticsearch', `${kind}-template.json`), 'utf8')) as { template: { mappings: { properties: Props } } };
  const out: string[] = [];
  const walk = (p: Props, path: string) => {
    for (const [k, v] of Object.entries(p)) {
      const full = path ? `${path}.${k}` : k;
      if (v.properties) walk(v.properties, full);
      else out.push(full);
    }
  };
  walk(t.template.mappings.properties, '');
  return out;
}

function get(doc: Record<string, unknown>, path: string): unknown {
  if (path in doc) return doc[path];
  let cur: unknown = doc;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/**
 * One RFC 4180 cell. Strings that a spreadsheet would run as a formula (= + - @ tab CR first) get a
 * leading apostrophe: an export opened in Excel must not execute text an API caller chose.
 */
export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s: string;
  if (typeof v === 'string') s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  else if (typeof v === 'number' || typeof v === 'boolean') s = String(v);
  else s = JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Header cells are our own field names (`@timestamp` must stay as it is), so only quoted, never escaped. */
export const csvHeader = (columns: string[]) => ['_index', '_id', ...columns].map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',') + '\r\n';

export function csvRow(index: string, id: string, source: Record<string, unknown>, columns: string[]): string {
  return [csvCell(index), csvCell(id), ...columns.map((c) => csvCell(get(source, c)))].join(',') + '\r\n';
}
