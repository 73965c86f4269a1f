/**
 * Every stage counts the same four things under the same names (Vector's component contract):
 * llm_audit_events_{received,sent,dropped,errored}_total{stage="..."}. Exposed in Prometheus text format.
 */
export interface StageCounters {
  readonly stage: string;
  received: number;
  sent: number;
  dropped: number;
  errored: number;
}

type Labels = Record<string, string>;

/** Distinct label sets kept per metric; past it new ones are counted under every label = "other" (memory stays bounded). */
export const MAX_SERIES_PER_METRIC = 500;

/**
 * A label value taken from producer-controlled text (model, error code...): kept when it is in `known`, or (without
 * a known set) when it is a short plain identifier with no long digit run, '@' or token; anything else is `other`.
 * So a producer can put neither PII nor unbounded cardinality into /metrics.
 */
export function producerLabel(v: string | null | undefined, known?: ReadonlySet<string>): string {
  if (v === null || v === undefined || v === '') return 'none';
  if (known) return known.has(v) ? v : 'other';
  if (!/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/.test(v)) return 'other';
  const runs = v.match(/\d{6,}/g);
  return runs && runs.some((r) => !/^20\d{6}$/.test(r)) ? 'other' : v;
}

function seriesKey(values: Map<string, unknown>, labels: Labels): string {
  const k = labelKey(labels);
  if (values.size < MAX_SERIES_PER_METRIC || values.has(k)) return k;
  return labelKey(Object.fromEntries(Object.keys(labels).map((l) => [l, 'other'])));
}

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
}

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly buckets: number[]) {
    this.counts = new Array(buckets.length).fill(0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]!) this.counts[i]!++;
  }
}

export class MetricsRegistry {
  private readonly stages = new Map<string, StageCounters>();
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly gauges = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly histograms = new Map<string, { help: string; buckets: number[]; values: Map<string, Histogram> }>();

  stage(name: string): StageCounters {
    let c = this.stages.get(name);
    if (!c) {
      c = { stage: name, received: 0, sent: 0, dropped: 0, errored: 0 };
      this.stages.set(name, c);
    }
    return c;
  }

  stageSnapshot(): StageCounters[] {
    return [...this.stages.values()].map((c) => ({ ...c }));
  }

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    let m = this.counters.get(name);
    if (!m) this.counters.set(name, (m = { help, values: new Map() }));
    const k = seriesKey(m.values, labels);
    m.values.set(k, (m.values.get(k) ?? 0) + by);
  }

  set(name: string, help: string, labels: Labels, value: number): void {
    let m = this.gauges.get(name);
    if (!m) this.gauges.set(name, (m = { help, values: new Map() }));
    m.values.set(seriesKey(m.values, labels), value);
  }

  observe(name: string, help: string, labels: Labels, value: number, buckets = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]): void {
    let m = this.histograms.get(name);
    if (!m) this.histograms.set(name, (m = { help, buckets, values: new Map() }));
    const k = seriesKey(m.values, labels);
    let h = m.values.get(k);
    if (!h) m.values.set(k, (h = new Histogram(m.buckets)));
    h.observe(value);
  }

  counterValue(name: string, labels: Labels = {}): number {
    return this.counters.get(name)?.values.get(labelKey(labels)) ?? 0;
  }

  render(): string {
    const out: string[] = [];
    const kinds = ['received', 'sent', 'dropped', 'errored'] as const;
    for (const kind of kinds) {
      const name = `llm_audit_events_${kind}_total`;
      out.push(`# HELP ${name} Events ${kind} by a pipeline stage.`, `# TYPE ${name} counter`);
      for (const c of this.stages.values()) out.push(`${name}{stage="${c.stage}"} ${c[kind]}`);
    }
    for (const [name, m] of this.counters) {
      out.push(`# HELP ${name} ${m.help}`, `# TYPE ${name} counter`);
      for (const [k, v] of m.values) out.push(`${name}${k ? `{${k}}` : ''} ${v}`);
    }
    for (const [name, m] of this.gauges) {
      out.push(`# HELP ${name} ${m.help}`, `# TYPE ${name} gauge`);
      for (const [k, v] of m.values) out.push(`${name}${k ? `{${k}}` : ''} ${v}`);
    }
    for (const [name, m] of this.histograms) {
      out.push(`# HELP ${name} ${m.help}`, `# TYPE ${name} histogram`);
      for (const [k, h] of m.values) {
        const sep = k ? `${k},` : '';
        h.buckets.forEach((b, i) => out.push(`${name}_bucket{${sep}le="${b}"} ${h.counts[i]}`));
        out.push(`${name}_bucket{${sep}le="+Inf"} ${h.count}`);
        out.push(`${name}_sum${k ? `{${k}}` : ''} ${h.sum}`, `${name}_count${k ? `{${k}}` : ''} ${h.count}`);
      }
    }
    return out.join('\n') + '\n';
  }
}

/** The process-wide registry; tests create their own. */
export const metrics = new MetricsRegistry();
