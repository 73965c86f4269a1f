import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../common/errors.js';
import { repoRoot } from '../common/paths.js';

export interface Price {
  /** USD per 1,000 input tokens */
  input: number;
  /** USD per 1,000 output tokens */
  output: number;
}

export const defaultPriceFile = (): string => join(repoRoot(), 'services', 'attribute', 'prices.default.json');

export class PriceTable {
  private readonly exact: Map<string, Price>;
  /** Longest first, so gpt-4o-mini-2024-07-18 finds gpt-4o-mini before gpt-4o. */
  private readonly prefixes: [string, Price][];
  private readonly memo = new Map<string, Price | null>();

  constructor(models: Record<string, Price>) {
    this.exact = new Map(Object.entries(models));
    this.prefixes = [...this.exact].sort((a, b) => b[0].length - a[0].length);
  }

  lookup(model: string): Price | undefined {
    let p = this.memo.get(model);
    if (p === undefined) {
      p = this.exact.get(model) ?? this.prefixes.find(([m]) => model.startsWith(`${m}-`))?.[1] ?? null;
      // provider-qualified names (azure deployments, "openai/gpt-4o")
      if (!p && model.includes('/')) p = this.lookup(model.slice(model.lastIndexOf('/') + 1)) ?? null;
      this.memo.set(model, p);
    }
    return p ?? undefined;
  }

  /** Estimated USD of one call; undefined when the model has no price. Failed calls are not billed. */
  cost(model: string, inputTokens: number, outputTokens: number, statusCode: number): number | undefined {
    if (statusCode < 200 || statusCode >= 300) return 0;
    const p = this.lookup(model);
    if (!p) return undefined;
    return Math.round(((inputTokens / 1000) * p.input + (outputTokens / 1000) * p.output) * 1e8) / 1e8;
  }

  get size(): number {
    return this.exact.size;
  }

  static parse(text: string, source: string): PriceTable {
    let doc: unknown;
    try {
      doc = source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    } catch (err) {
      throw new ConfigError(`price table ${source}: cannot parse: ${(err as Error).message}`, err);
    }
    const models = (doc as { models?: unknown })?.models;
    if (typeof models !== 'object' || models === null || Array.isArray(models))
      throw new ConfigError(`price table ${source}: expected { models: { <model>: { input: <usd per 1k>, output: <usd per 1k> } } }`);
    const out: Record<string, Price> = {};
    for (const [m, p] of Object.entries(models as Record<string, unknown>)) {
      const o = p as Record<string, unknown>;
      const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
      if (typeof p !== 'object' || p === null || !ok(o.input) || !ok(o.output) || Object.keys(o).some((k) => k !== 'input' && k !== 'output'))
        throw new ConfigError(`price table ${source}: model ${m} must be { input: <usd per 1k>, output: <usd per 1k> } with numbers >= 0`);
      out[m] = { input: o.input as number, output: o.output as number };
    }
    return new PriceTable(out);
  }

  /** The shipped defaults, with the models of an override file (if any) replacing or adding to them. */
  static load(overrideFile?: string): PriceTable {
    const base = PriceTable.parse(readFileSync(defaultPriceFile(), 'utf8'), defaultPriceFile());
    if (!overrideFile) return base;
    let text: string;
    try {
      text = readFileSync(overrideFile, 'utf8');
    } catch (err) {
      throw new ConfigError(`price table ${overrideFile} (LLM_AUDIT_PRICE_FILE) cannot be read: ${(err as Error).message}`, err);
    }
    const over = PriceTable.parse(text, overrideFile);
    return new PriceTable({ ...Object.fromEntries(base.exact), ...Object.fromEntries(over.exact) });
  }
}
