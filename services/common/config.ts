import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';

/**
 * A component's config schema is its validation and its documentation at once (Redpanda Connect style):
 * every field has a type, a default and a description; unknown keys are an error. Each schema registers
 * itself, so docs/reference/configuration.md is generated from (and checked against) the registry.
 */
interface Base {
  description: string;
  /** Environment variable that sets this field. Secrets also accept `<ENV>_FILE` (a mounted file). */
  env?: string;
  secret?: boolean;
  example?: string;
}
export type FieldSpec =
  | (Base & { type: 'string'; default?: string; pattern?: RegExp })
  | (Base & { type: 'int' | 'number'; default?: number; min?: number; max?: number })
  | (Base & { type: 'bool'; default?: boolean })
  | (Base & { type: 'enum'; values: readonly string[]; default?: string })
  | (Base & { type: 'list'; default?: string[] });

type ValueOf<F extends FieldSpec> = F extends { type: 'string' }
  ? F extends { default: string } ? string : string | undefined
  : F extends { type: 'int' | 'number' }
    ? F extends { default: number } ? number : number | undefined
    : F extends { type: 'bool' }
      ? boolean
      : F extends { type: 'enum'; values: readonly (infer V)[] }
        ? F extends { default: string } ? V : V | undefined
        : F extends { type: 'list' } ? string[] : never;

export type ConfigOf<S extends Record<string, FieldSpec>> = { [K in keyof S]: ValueOf<S[K]> };

export interface ConfigSchema<S extends Record<string, FieldSpec>> {
  readonly component: string;
  readonly spec: S;
  parse(input: Record<string, unknown>): ConfigOf<S>;
  fromEnv(env?: NodeJS.ProcessEnv, overrides?: Partial<Record<keyof S, unknown>>): ConfigOf<S>;
}

export const configRegistry = new Map<string, ConfigSchema<Record<string, FieldSpec>>>();

function coerce(component: string, key: string, f: FieldSpec, raw: unknown): unknown {
  const where = `${component}.${key}${f.env ? ` (${f.env})` : ''}`;
  switch (f.type) {
    case 'string': {
      if (typeof raw !== 'string') throw new ConfigError(`${where} must be a string, got ${typeof raw}`);
      if (f.pattern && !f.pattern.test(raw)) throw new ConfigError(`${where} must match ${f.pattern}${f.example ? `, e.g. ${f.example}` : ''}`);
      return raw;
    }
    case 'int':
    case 'number': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n) || (f.type === 'int' && !Number.isInteger(n)))
        throw new ConfigError(`${where} must be ${f.type === 'int' ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}`);
      if (f.min !== undefined && n < f.min) throw new ConfigError(`${where} must be >= ${f.min}, got ${n}`);
      if (f.max !== undefined && n > f.max) throw new ConfigError(`${where} must be <= ${f.max}, got ${n}`);
      return n;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(1|true|yes|on)$/i.test(raw)) return true;
      if (typeof raw === 'string' && /^(0|false|no|off)$/i.test(raw)) return false;
      throw new ConfigError(`${where} must be true or false, got ${JSON.stringify(raw)}`);
    }
    case 'enum': {
      if (typeof raw !== 'string' || !f.values.includes(raw)) throw new ConfigError(`${where} must be one of ${f.values.join(', ')}, got ${JSON.stringify(raw)}`);
      return raw;
    }
    case 'list': {
      if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw;
      if (typeof raw === 'string') return raw.split(',').map((s) => s.trim()).filter(Boolean);
      throw new ConfigError(`${where} must be a list of strings or a comma-separated string`);
    }
  }
}

export function defineConfig<S extends Record<string, FieldSpec>>(component: string, spec: S): ConfigSchema<S> {
  const schema: ConfigSchema<S> = {
    component,
    spec,
    parse(input) {
      const unknown = Object.keys(input).filter((k) => !(k in spec));
      if (unknown.length) throw new ConfigError(`${component}: unknown config key(s) ${unknown.join(', ')}; known keys: ${Object.keys(spec).join(', ')}`);
      const out: Record<string, unknown> = {};
      for (const [key, f] of Object.entries(spec)) {
        const raw = input[key];
        if (raw === undefined || raw === '') out[key] = f.type === 'list' ? (f.default ?? []) : f.type === 'bool' ? (f.default ?? false) : f.default;
        else out[key] = coerce(component, key, f, raw);
      }
      return out as ConfigOf<S>;
    },
    fromEnv(env = process.env, overrides = {}) {
      const input: Record<string, unknown> = {};
      for (const [key, f] of Object.entries(spec)) {
        if (!f.env) continue;
        let v: unknown = env[f.env];
        const file = env[`${f.env}_FILE`];
        if ((v === undefined || v === '') && f.secret && file) {
          try {
            v = readFileSync(file, 'utf8').trim();
          } catch (err) {
            throw new ConfigError(`${component}.${key}: cannot read ${f.env}_FILE=${file}: ${(err as Error).message}`, err);
          }
        }
        if (v !== undefined && v !== '') input[key] = v;
      }
      for (const [k, v] of Object.entries(overrides)) if (v !== undefined) input[k] = v;
      return schema.parse(input);
    },
  };
  configRegistry.set(component, schema as unknown as ConfigSchema<Record<string, FieldSpec>>);
  return schema;
}

/** Markdown rows for every registered env var: docs/reference/configuration.md is generated from this. */
export function configTable(): string {
  const rows = ['| variable | component | type | default | description |', '|---|---|---|---|---|'];
  const seen = new Set<string>();
  for (const s of [...configRegistry.values()].sort((a, b) => a.component.localeCompare(b.component))) {
    for (const [, f] of Object.entries(s.spec)) {
      if (!f.env || seen.has(f.env)) continue;
      seen.add(f.env);
      const def = f.secret ? '(secret)' : f.default === undefined ? '' : Array.isArray(f.default) ? f.default.join(',') : String(f.default);
      const type = f.type === 'enum' ? f.values.join(' \\| ') : f.type;
      rows.push(`| \`${f.env}\` | ${s.component} | ${type} | ${def === '' ? '' : `\`${def}\``} | ${f.description.replace(/\|/g, '\\|')} |`);
    }
  }
  return rows.join('\n');
}
