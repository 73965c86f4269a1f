import { renderAssets } from './assets.js';
import type { SavedObject } from './kibana.js';

/**
 * Kibana cannot run on our machines, so this checks what Kibana would reject or render empty:
 * every field a saved object uses exists in the index template behind its data view, with a type
 * that supports the use, and every reference resolves.
 */
export type Use = 'terms' | 'date_histogram' | 'numeric' | 'min_max' | 'unique_count' | 'geo' | 'column' | 'sort' | 'query' | 'range' | 'time_field';

const NUMERIC = ['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long'];
const SUPPORTS: Record<Use, (t: FieldInfo) => boolean> = {
  terms: (f) => f.aggregatable && ['keyword', 'ip', 'boolean', ...NUMERIC].includes(f.type),
  date_histogram: (f) => f.aggregatable && ['date', 'date_nanos'].includes(f.type),
  numeric: (f) => f.aggregatable && NUMERIC.includes(f.type),
  min_max: (f) => f.aggregatable && [...NUMERIC, 'date', 'date_nanos'].includes(f.type),
  unique_count: (f) => f.aggregatable && ['keyword', 'ip', 'boolean', 'date', ...NUMERIC].includes(f.type),
  geo: (f) => f.aggregatable && ['geo_point', 'geo_shape'].includes(f.type),
  column: () => true,
  sort: (f) => f.aggregatable,
  query: (f) => f.searchable,
  range: (f) => f.searchable && [...NUMERIC, 'date', 'date_nanos', 'ip'].includes(f.type),
  time_field: (f) => ['date', 'date_nanos'].includes(f.type),
};

export interface FieldInfo {
  type: string;
  searchable: boolean;
  aggregatable: boolean;
}

type Props = Record<string, { type?: string; properties?: Props; enabled?: boolean; index?: boolean; doc_values?: boolean; fields?: Props }>;

export function flattenMapping(props: Props, path = '', out = new Map<string, FieldInfo>()): Map<string, FieldInfo> {
  for (const [k, v] of Object.entries(props)) {
    const full = path ? `${path}.${k}` : k;
    if (v.enabled === false) {
      out.set(full, { type: 'object', searchable: false, aggregatable: false });
      continue;
    }
    if (v.properties) {
      flattenMapping(v.properties, full, out);
      continue;
    }
    const type = v.type ?? 'object';
    out.set(full, { type, searchable: v.index !== false, aggregatable: type !== 'text' && v.doc_values !== false });
    if (v.fields) flattenMapping(v.fields, full, out);
  }
  return out;
}

function globToRe(p: string): RegExp {
  return new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

export interface TemplateInfo {
  name: string;
  patterns: string[];
  fields: Map<string, FieldInfo>;
}

export function templatesFor(prefix = 'llm-audit'): TemplateInfo[] {
  return renderAssets({ prefix, withIlm: false }).templates.map((t) => ({
    name: t.name,
    patterns: (t.body as { index_patterns: string[] }).index_patterns,
    fields: flattenMapping(((t.body.template as { mappings?: { properties?: Props } }).mappings?.properties ?? {}) as Props),
  }));
}

/** Templates whose indices a data view title reaches. */
export function templatesOfView(title: string, templates: TemplateInfo[]): TemplateInfo[] {
  const samples = ['', '2026.11.27', '-2026.11.27'].map((x) => title.replace(/\*/g, x));
  return templates.filter((t) => t.patterns.some((p) => samples.some((s) => globToRe(p).test(s))));
}

/** Field names in a KQL query, with whether they are compared by range. Quoted strings are skipped. */
export function kqlFields(kql: string): { field: string; use: Use }[] {
  const bare = kql.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const out: { field: string; use: Use }[] = [];
  for (const m of bare.matchAll(/([A-Za-z@_][\w.@-]*)\s*(<=|>=|<|>|:)/g)) out.push({ field: m[1]!, use: m[2] === ':' ? 'query' : 'range' });
  return out;
}

export interface Usage {
  object: string;
  view: string;
  field: string;
  use: Use;
}

type Json = Record<string, unknown>;
const parse = (s: unknown): unknown => (typeof s === 'string' && s ? JSON.parse(s) : s ?? {});

const LENS_OPS: Record<string, Use> = {
  terms: 'terms', date_histogram: 'date_histogram', sum: 'numeric', average: 'numeric', median: 'numeric', percentile: 'numeric', standard_deviation: 'numeric',
  min: 'min_max', max: 'min_max', last_value: 'column', unique_count: 'unique_count', range: 'range',
};

/** Every (data view, field, use) in a set of saved objects, plus every reference that does not resolve. */
export function collectUsages(objects: SavedObject[]): { usages: Usage[]; problems: string[] } {
  const usages: Usage[] = [];
  const problems: string[] = [];
  const byKey = new Map(objects.map((o) => [`${o.type}/${o.id}`, o]));
  if (byKey.size !== objects.length) problems.push('duplicate saved object type/id');
  for (const o of objects) {
    const name = `${o.type}/${o.id}`;
    const refs = o.references ?? [];
    for (const r of refs) if (!byKey.has(`${r.type}/${r.id}`)) problems.push(`${name}: reference ${r.name} -> ${r.type}/${r.id} does not resolve`);
    const ref = (refName: string, type = 'index-pattern'): string | undefined => {
      const r = refs.find((x) => x.name === refName);
      if (!r) problems.push(`${name}: no reference named ${refName}`);
      else if (r.type !== type) problems.push(`${name}: reference ${refName} is a ${r.type}, expected ${type}`);
      return r?.id;
    };
    const use = (view: string | undefined, field: string, u: Use) => view && usages.push({ object: name, view, field, use: u });
    const a = o.attributes;
    switch (o.type) {
      case 'index-pattern':
        if (a.timeFieldName) use(o.id, String(a.timeFieldName), 'time_field');
        break;
      case 'search': {
        const src = parse((a.kibanaSavedObjectMeta as Json | undefined)?.searchSourceJSON) as Json;
        const view = ref(String(src.indexRefName));
        for (const c of (a.columns as string[]) ?? []) use(view, c, 'column');
        for (const [f] of (a.sort as [string, string][]) ?? []) use(view, f, 'sort');
        for (const k of kqlFields(String((src.query as Json | undefined)?.query ?? ''))) use(view, k.field, k.use);
        break;
      }
      case 'lens': {
        const st = a.state as Json;
        for (const k of kqlFields(String((st.query as Json | undefined)?.query ?? ''))) {
          for (const r of refs.filter((x) => x.type === 'index-pattern')) use(r.id, k.field, k.use);
        }
        const layers = ((st.datasourceStates as Json).formBased as Json).layers as Record<string, { columns: Record<string, Json>; columnOrder: string[] }>;
        for (const [layerId, layer] of Object.entries(layers)) {
          const view = ref(`indexpattern-datasource-layer-${layerId}`);
          for (const id of layer.columnOrder) if (!layer.columns[id]) problems.push(`${name}: columnOrder names missing column ${id}`);
          for (const [cid, col] of Object.entries(layer.columns)) {
            const op = String(col.operationType);
            if (op === 'count') continue;
            const u = LENS_OPS[op];
            if (!u) problems.push(`${name}: column ${cid} uses operation ${op}, which this check does not know`);
            else use(view, String(col.sourceField), u);
            const orderBy = (col.params as Json | undefined)?.orderBy as Json | undefined;
            if (orderBy?.type === 'column' && !layer.columns[String(orderBy.columnId)]) problems.push(`${name}: ${cid} is ordered by missing column ${String(orderBy.columnId)}`);
          }
        }
        const vis = JSON.stringify(st.visualization ?? {});
        for (const m of vis.matchAll(/"(?:xAccessor|splitAccessor|metricAccessor|columnId|accessors|primaryGroups|metrics)":(\[[^\]]*\]|"[^"]*")/g)) {
          const ids = (JSON.parse(m[1]!) as string | string[]);
          for (const id of Array.isArray(ids) ? ids : [ids]) {
            if (!Object.values(layers).some((l) => l.columns[id])) problems.push(`${name}: visualization refers to missing column ${id}`);
          }
        }
        break;
      }
      case 'map': {
        const layers = parse(a.layerListJSON) as Json[];
        for (const l of layers) {
          const sd = l.sourceDescriptor as Json;
          if (sd.indexPatternRefName) {
            const view = ref(String(sd.indexPatternRefName));
            if (sd.geoField) use(view, String(sd.geoField), 'geo');
            for (const m of (sd.metrics as Json[]) ?? []) if (m.field) use(view, String(m.field), m.type === 'terms' ? 'terms' : m.type === 'cardinality' ? 'unique_count' : 'numeric');
          }
          for (const j of (l.joins as Json[]) ?? []) {
            const right = j.right as Json;
            const view = ref(String(right.indexPatternRefName));
            use(view, String(right.term), 'terms');
            for (const m of (right.metrics as Json[]) ?? []) if (m.field) use(view, String(m.field), 'numeric');
          }
        }
        break;
      }
      case 'dashboard': {
        const panels = parse(a.panelsJSON) as Json[];
        for (const p of panels) {
          const r = refs.find((x) => x.name === `${String(p.panelIndex)}:${String(p.panelRefName)}`);
          if (!r) problems.push(`${name}: panel ${String(p.panelIndex)} has no reference ${String(p.panelIndex)}:${String(p.panelRefName)}`);
          else if (r.type !== p.type) problems.push(`${name}: panel ${String(p.panelIndex)} is a ${String(p.type)} but references a ${r.type}`);
        }
        break;
      }
      default:
        problems.push(`${name}: saved object type ${o.type} is not checked; add it to kibana-check.ts`);
    }
  }
  return { usages, problems };
}

/** All problems: unresolved references, unknown fields, fields whose type does not support their use. */
export function checkSavedObjects(objects: SavedObject[], templates: TemplateInfo[] = templatesFor()): string[] {
  const { usages, problems } = collectUsages(objects);
  const views = new Map(objects.filter((o) => o.type === 'index-pattern').map((o) => [o.id, String(o.attributes.title)]));
  for (const u of usages) {
    const title = views.get(u.view);
    if (!title) continue; // reported as an unresolved reference
    const ts = templatesOfView(title, templates);
    if (!ts.length) {
      problems.push(`${u.object}: data view ${title} matches no index template`);
      continue;
    }
    for (const t of ts) {
      const f = t.fields.get(u.field);
      if (!f) problems.push(`${u.object}: field ${u.field} (${u.use}) is not in template ${t.name}`);
      else if (!SUPPORTS[u.use](f)) problems.push(`${u.object}: field ${u.field} is ${f.type}${f.aggregatable ? '' : ' (not aggregatable)'}${f.searchable ? '' : ' (not searchable)'} in ${t.name}, which does not support ${u.use}`);
    }
  }
  return [...new Set(problems)];
}
