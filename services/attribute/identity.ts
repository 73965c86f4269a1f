import { parse as parseYaml } from 'yaml';
import { ConfigError, InvalidInputError } from '../common/errors.js';

export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export const PRINCIPAL_TYPES = ['user', 'service', 'workload'] as const;
export const KEY_STATUSES = ['active', 'revoked'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

export interface Budget {
  daily_usd: number | null;
  monthly_usd: number | null;
  daily_tokens: number | null;
  monthly_tokens: number | null;
}

/** One API key's owner and policy: the shape of schemas/identity.v1.avsc. */
export interface Identity {
  api_key_id: string;
  team: string;
  service: string;
  environment: Environment;
  principal_type: PrincipalType;
  cost_center: string | null;
  /** epoch ms */
  created: number;
  rotation_max_age_days: number;
  status: 'active' | 'revoked';
  revoked_at: number | null;
  allowed_countries: string[];
  slack_channel: string | null;
  budget: Budget | null;
}

export interface TeamPolicy {
  name: string;
  slack_channel: string | null;
  cost_center: string | null;
  budget: Budget | null;
}

export interface DirectoryFile {
  keys: Map<string, Identity>;
  teams: Map<string, TeamPolicy>;
}

const KEY_FIELDS = new Set([
  'api_key_id', 'team', 'service', 'environment', 'principal_type', 'cost_center', 'created',
  'rotation_max_age_days', 'status', 'revoked_at', 'allowed_countries', 'slack_channel', 'budget',
]);
const BUDGET_FIELDS = ['daily_usd', 'monthly_usd', 'daily_tokens', 'monthly_tokens'] as const;
const TEAM_FIELDS = new Set(['slack_channel', 'cost_center', 'budget']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(where: string, msg: string): never {
  throw new InvalidInputError('invalid_identity', `${where}: ${msg}`);
}

function str(o: Obj, k: string, where: string, required: boolean): string | null {
  const v = o[k];
  if (v === undefined || v === null || v === '') {
    if (required) bad(where, `${k} is required`);
    return null;
  }
  if (typeof v !== 'string') bad(where, `${k} must be a string, got ${typeof v}`);
  return v;
}

function oneOf<T extends string>(o: Obj, k: string, values: readonly T[], where: string, dflt?: T): T {
  const v = o[k] ?? dflt;
  if (typeof v !== 'string' || !values.includes(v as T)) bad(where, `${k} must be one of ${values.join(', ')}, got ${JSON.stringify(o[k])}`);
  return v as T;
}

/** Dates as epoch ms, ISO strings or YAML dates (the yaml package gives strings for 2026-01-31 in core schema). */
function time(o: Obj, k: string, where: string, required: boolean): number | null {
  const v = o[k];
  if (v === undefined || v === null || v === '') {
    if (required) bad(where, `${k} is required (ISO date like 2026-01-31 or epoch ms)`);
    return null;
  }
  const t = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) bad(where, `${k} is not a date: ${JSON.stringify(v)}`);
  return t;
}

function budget(v: unknown, where: string): Budget | null {
  if (v === undefined || v === null) return null;
  if (!isObj(v)) bad(where, 'budget must be an object');
  const unknown = Object.keys(v).filter((k) => !(BUDGET_FIELDS as readonly string[]).includes(k));
  if (unknown.length) bad(where, `unknown budget field(s) ${unknown.join(', ')}; known: ${BUDGET_FIELDS.join(', ')}`);
  const out = { daily_usd: null, monthly_usd: null, daily_tokens: null, monthly_tokens: null } as Budget;
  for (const k of BUDGET_FIELDS) {
    const x = v[k];
    if (x === undefined || x === null) continue;
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) bad(where, `budget.${k} must be a positive number, got ${JSON.stringify(x)}`);
    out[k] = x;
  }
  return out;
}

/** Validates one directory entry; the error names the entry (`where`) and the field. */
export function validateIdentity(raw: unknown, where: string, defaultRotationDays = 90): Identity {
  if (!isObj(raw)) bad(where, 'entry must be an object');
  const id = typeof raw.api_key_id === 'string' && raw.api_key_id ? raw.api_key_id : undefined;
  const w = id ? `${where} (api_key_id ${id})` : where;
  const unknown = Object.keys(raw).filter((k) => !KEY_FIELDS.has(k));
  if (unknown.length) bad(w, `unknown field(s) ${unknown.join(', ')}`);
  if (!id) bad(w, 'api_key_id is required');
  if (!/^[A-Za-z0-9_.:\-]{1,200}$/.test(id)) bad(w, 'api_key_id must be 1-200 of [A-Za-z0-9_.:-] (an id or fingerprint, never the secret)');
  const rot = raw.rotation_max_age_days ?? defaultRotationDays;
  if (typeof rot !== 'number' || !Number.isInteger(rot) || rot < 1) bad(w, `rotation_max_age_days must be a positive integer, got ${JSON.stringify(rot)}`);
  const countries = raw.allowed_countries ?? [];
  if (!Array.isArray(countries) || !countries.every((c) => typeof c === 'string' && /^[A-Z]{2}$/.test(c)))
    bad(w, 'allowed_countries must be a list of ISO 3166-1 alpha-2 codes like [US, CA]');
  const slack = str(raw, 'slack_channel', w, false);
  if (slack && !/^[#@]?[\w.\-]+$/.test(slack)) bad(w, `slack_channel ${JSON.stringify(slack)} is not a channel name like #team-oncall`);
  const status = oneOf(raw, 'status', KEY_STATUSES, w, 'active');
  return {
    api_key_id: id,
    team: str(raw, 'team', w, true)!,
    service: str(raw, 'service', w, true)!,
    environment: oneOf(raw, 'environment', ENVIRONMENTS, w),
    principal_type: oneOf(raw, 'principal_type', PRINCIPAL_TYPES, w, 'service'),
    cost_center: str(raw, 'cost_center', w, false),
    created: time(raw, 'created', w, true)!,
    rotation_max_age_days: rot,
    status,
    revoked_at: time(raw, 'revoked_at', w, false),
    allowed_countries: countries as string[],
    slack_channel: slack,
    budget: budget(raw.budget, w),
  };
}

function validateTeam(name: string, raw: unknown): TeamPolicy {
  const where = `teams.${name}`;
  if (raw === null || raw === undefined) return { name, slack_channel: null, cost_center: null, budget: null };
  if (!isObj(raw)) bad(where, 'must be an object');
  const unknown = Object.keys(raw).filter((k) => !TEAM_FIELDS.has(k));
  if (unknown.length) bad(where, `unknown field(s) ${unknown.join(', ')}; known: ${[...TEAM_FIELDS].join(', ')}`);
  return { name, slack_channel: str(raw, 'slack_channel', where, false), cost_center: str(raw, 'cost_center', where, false), budget: budget(raw.budget, where) };
}

/**
 * Parses a directory file (YAML or JSON: `{ teams: {name: policy}, keys: [entry...] }`).
 * All-or-nothing: one invalid entry rejects the file, with every problem listed, so a typo never
 * silently turns a known key into an unattributed one.
 */
export function parseDirectoryText(text: string, source: string, defaultRotationDays = 90): DirectoryFile {
  let doc: unknown;
  try {
    doc = source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${source}: not valid ${source.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`, err);
  }
  if (!isObj(doc)) throw new ConfigError(`${source}: expected an object with keys: [...] and optional teams: {...}`);
  const extra = Object.keys(doc).filter((k) => k !== 'keys' && k !== 'teams');
  if (extra.length) throw new ConfigError(`${source}: unknown top-level key(s) ${extra.join(', ')}; expected keys and teams`);
  const problems: string[] = [];
  const teams = new Map<string, TeamPolicy>();
  if (doc.teams !== undefined) {
    if (!isObj(doc.teams)) problems.push('teams must be a map of team name to policy');
    else
      for (const [name, t] of Object.entries(doc.teams)) {
        try {
          teams.set(name, validateTeam(name, t));
        } catch (err) {
          problems.push((err as Error).message);
        }
      }
  }
  const keys = new Map<string, Identity>();
  const list = doc.keys ?? [];
  if (!Array.isArray(list)) problems.push('keys must be a list of entries');
  else
    list.forEach((raw, i) => {
      try {
        const ident = validateIdentity(raw, `keys[${i}]`, defaultRotationDays);
        if (keys.has(ident.api_key_id)) problems.push(`keys[${i}] (api_key_id ${ident.api_key_id}): duplicate entry`);
        keys.set(ident.api_key_id, ident);
      } catch (err) {
        problems.push((err as Error).message);
      }
    });
  if (problems.length) throw new ConfigError(`${source}: ${problems.length} invalid entr${problems.length === 1 ? 'y' : 'ies'}, directory not changed:\n  ${problems.join('\n  ')}`);
  return { keys, teams };
}
