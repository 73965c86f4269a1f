import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { InvalidInputError } from '../common/errors.js';
import { hasIlm, ilmPolicyName } from '../setup/assets.js';
import { es, esError, statusOf } from './es-util.js';

/** One legal hold: exempts the indices matching `index_pattern`, or holding documents of `team`, from retention deletion. */
export interface Hold {
  hold_id: string;
  scope: 'index' | 'team';
  index_pattern: string | null;
  team: string | null;
  reason: string;
  active: boolean;
  created_by: string;
  created_at: string;
  removed_by: string | null;
  removed_at: string | null;
  removal_reason: string | null;
  '@timestamp': string;
}

export const holdIndex = (prefix: string) => `${prefix}-legal-hold`;

/** The prefix an index name was made with (<prefix>-events-YYYY.MM.DD), for callers that know only the name. */
export function prefixOf(indexName: string): string | undefined {
  return /^(.+)-(events|alerts)-\d{4}\.\d{2}\.\d{2}$/.exec(indexName)?.[1];
}

export function globMatch(pattern: string, name: string): boolean {
  // no RegExp: `.*.*.*…x` backtracks exponentially in V8. Runs of `*` collapse to one, and the
  // classic two-pointer walk only ever backs up to the last star: O(pattern × name) at worst.
  const p = pattern.replace(/\*+/g, '*');
  let pi = 0;
  let ni = 0;
  let star = -1;
  let mark = 0;
  while (ni < name.length) {
    if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === name[ni]))) {
      pi++;
      ni++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ni;
    } else if (star >= 0) {
      pi = star + 1;
      ni = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

export async function listHolds(client: Client, prefix: string, opts: { includeRemoved?: boolean } = {}): Promise<Hold[]> {
  try {
    const res = await client.search<Hold>({
      index: holdIndex(prefix),
      size: 10_000,
      query: opts.includeRemoved ? { match_all: {} } : { term: { active: true } },
      sort: [{ created_at: 'asc' }],
    });
    return res.hits.hits.map((h) => h._source!);
  } catch (err) {
    // no hold index yet: setup has not run, and nothing can be held
    if (statusOf(err) === 404) return [];
    throw esError(`read legal holds from ${holdIndex(prefix)}`, err);
  }
}

/**
 * The active holds that cover an index. With `team`, a team hold covers the index when it names that
 * team; without, when the index holds any document of the held team (one count per team hold).
 */
export async function holdsFor(client: Client, indexName: string, team?: string, opts: { prefix?: string } = {}): Promise<Hold[]> {
  const prefix = opts.prefix ?? prefixOf(indexName) ?? 'llm-audit';
  const out: Hold[] = [];
  for (const h of await listHolds(client, prefix)) {
    if (h.scope === 'index' && h.index_pattern && globMatch(h.index_pattern, indexName)) out.push(h);
    else if (h.scope === 'team' && h.team) {
      if (team !== undefined) {
        if (team === h.team) out.push(h);
        continue;
      }
      const res = await es(`count ${h.team} in ${indexName}`, () =>
        client.count({ index: indexName, query: { term: { 'llm_audit.owner.team': h.team } }, ignore_unavailable: true }),
      );
      if (res.count > 0) out.push(h);
    }
  }
  return out;
}

/** What the retention job asks before deleting an index. Errors propagate: when in doubt, keep the data. */
export async function isHeld(client: Client, indexName: string, team?: string, opts: { prefix?: string } = {}): Promise<boolean> {
  return (await holdsFor(client, indexName, team, opts)).length > 0;
}

async function retainedIndices(client: Client, prefix: string): Promise<string[]> {
  const res = await es('list daily indices', () => client.cat.indices({ index: `${prefix}-events-*,${prefix}-alerts-*`, h: 'index', format: 'json', expand_wildcards: 'open' }));
  return (res as { index?: string }[]).map((r) => r.index!).filter(Boolean).sort();
}

/**
 * With ILM, its delete phase would not ask isHeld: a new hold detaches the policy from the indices
 * it covers now, and removing the hold reattaches it. Indices created later are covered by the
 * retention job's check only, which is why daily indices that a pattern may match later are checked there too.
 */
async function syncIlm(client: Client, prefix: string): Promise<{ detached: string[]; attached: string[] }> {
  const detached: string[] = [];
  const attached: string[] = [];
  if (!(await hasIlm(client))) return { detached, attached };
  for (const index of await retainedIndices(client, prefix)) {
    const held = await isHeld(client, index, undefined, { prefix });
    const settings = await es(`settings of ${index}`, () => client.indices.getSettings({ index, name: 'index.lifecycle.name', flat_settings: true }));
    const policy = (settings[index]?.settings as Record<string, string> | undefined)?.['index.lifecycle.name'];
    if (held && policy) {
      await es(`detach ILM from ${index}`, () => client.ilm.removePolicy({ index }));
      detached.push(index);
    } else if (!held && !policy) {
      const kind = index.startsWith(`${prefix}-alerts-`) ? 'alerts' : 'events';
      await es(`attach ILM to ${index}`, () => client.indices.putSettings({ index, settings: { 'index.lifecycle.name': ilmPolicyName(prefix, kind) } }));
      attached.push(index);
    }
  }
  return { detached, attached };
}

export interface AddHoldOptions {
  prefix: string;
  indexPattern?: string;
  team?: string;
  reason: string;
  by: string;
  now?: Date;
}

export async function addHold(client: Client, o: AddHoldOptions): Promise<{ hold: Hold; ilm: { detached: string[]; attached: string[] } }> {
  if (!!o.indexPattern === !!o.team) throw new InvalidInputError('bad_hold', 'a hold covers either --index PATTERN or --team TEAM (exactly one)');
  if (!o.reason?.trim()) throw new InvalidInputError('bad_hold', 'a hold needs --reason (case number, request, who asked)');
  if (o.indexPattern && !o.indexPattern.startsWith(`${o.prefix}-`)) {
    throw new InvalidInputError('bad_hold', `--index ${o.indexPattern} does not start with ${o.prefix}-; holds cover llm-audit indices only`);
  }
  const now = (o.now ?? new Date()).toISOString();
  const hold: Hold = {
    hold_id: `hold-${now.slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`,
    scope: o.indexPattern ? 'index' : 'team',
    index_pattern: o.indexPattern ?? null,
    team: o.team ?? null,
    reason: o.reason.trim(),
    active: true,
    created_by: o.by,
    created_at: now,
    removed_by: null,
    removed_at: null,
    removal_reason: null,
    '@timestamp': now,
  };
  await es('record legal hold', () => client.index({ index: holdIndex(o.prefix), id: hold.hold_id, document: hold, op_type: 'create', refresh: true }));
  return { hold, ilm: await syncIlm(client, o.prefix) };
}

/** Ends a hold. The document stays (active=false, who, when, why) as the record that it existed. */
export async function removeHold(client: Client, o: { prefix: string; id: string; by: string; reason?: string; now?: Date }) {
  let current: Hold | undefined;
  try {
    current = (await client.get<Hold>({ index: holdIndex(o.prefix), id: o.id }))._source;
  } catch (err) {
    if (statusOf(err) !== 404) throw esError(`read hold ${o.id}`, err);
  }
  if (!current) throw new InvalidInputError('no_hold', `no legal hold ${o.id}; 'llm-audit hold list' shows the ids`);
  if (!current.active) throw new InvalidInputError('no_hold', `legal hold ${o.id} was already removed by ${current.removed_by} at ${current.removed_at}`);
  const now = (o.now ?? new Date()).toISOString();
  const hold: Hold = { ...current, active: false, removed_by: o.by, removed_at: now, removal_reason: o.reason ?? null, '@timestamp': now };
  await es(`remove hold ${o.id}`, () => client.index({ index: holdIndex(o.prefix), id: o.id, document: hold, refresh: true }));
  return { hold, ilm: await syncIlm(client, o.prefix) };
}
