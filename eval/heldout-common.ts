/**
 * Pieces the held-out corpora share: the seeded generator their builders plant values with (one sequence, so a
 * corpus is the same text on every machine), the scorer's rule for when a planted value counts as caught, and the
 * scoring and report of corpora 3 and 4 (each scorer adds only its own finer types and title).
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** mulberry32: small, fast and deterministic; the corpora need repeatable text, not cryptographic randomness. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u;
/** A piece survives when it is still in the output as a whole word or digit run (CJK: as a substring). */
export const survives = (out: string, w: string) =>
  CJK.test(w) ? out.includes(w) : new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${escape(w)}(?![\\p{L}\\p{M}\\p{N}])`, 'u').test(out);

/**
 * The pieces of a planted value that must be gone for it to count as caught: name and street words, a phone's digit
 * groups of two or more digits, a date whole. Pieces that also occur in `rest` (the text without this value; a
 * scorer decides what else it leaves out) cannot be told apart and are left out; with none left, the whole value
 * must be gone.
 */
export function pieces(p: { type: string; value: string }, rest: string): string[] {
  const raw = p.type === 'PHONE' ? p.value.match(/\d{2,}/g) ?? [] : p.type === 'DATE_OF_BIRTH' ? [p.value] : p.value.split(/[\s,]+/).filter((w) => w.length > 1 || CJK.test(w));
  const own = raw.filter((w) => !survives(rest, w));
  return own.length ? own : [p.value];
}

/** A planted value as the held-out corpora (3 and later) record it. */
export interface PlantedValue {
  type: string;
  /** The text as planted. */
  value: string;
  loc: string;
}
export interface HeldoutRow {
  cls: string;
  text: string;
  pii: PlantedValue[];
  /** Look-alikes that must come through unchanged. */
  keep: string[];
}

type Tokenizer = typeof import('../services/tokenize/index.js');
/** Tokenizer entry points of a build: this one by default, or another tree's dist/ (the frozen baseline). */
export async function loadTokenizer(dist?: string): Promise<Tokenizer> {
  const url = dist ? pathToFileURL(resolve(dist, 'services/tokenize/index.js')).href : '../services/tokenize/index.js';
  return (await import(url)) as Tokenizer;
}

export type Stat = { n: number; caught: number; misses: string[] };
const stat = (): Stat => ({ n: 0, caught: 0, misses: [] });
export const f = (s: Stat) => (s.n ? (s.caught / s.n).toFixed(3) : '  -  ');

/**
 * Tokenizes every row with a fresh key and counts, per type (plus the finer types `subtypes` names for a value), per
 * template class, per class and type and per locale and type, how many planted values were caught; and how many
 * look-alikes came through unchanged.
 */
export function scoreRows(tk: Tokenizer, rows: HeldoutRow[], subtypes: (p: PlantedValue) => string[], missCap = 4) {
  const keyring = tk.parseKeyring(`e1:${randomBytes(32).toString('base64')}`, 'eval key');
  const byType = new Map<string, Stat>();
  const byClass = new Map<string, Stat>();
  const byClassType = new Map<string, Stat>();
  const byLocType = new Map<string, Stat>();
  let keepTotal = 0;
  const keepBroken: string[] = [];
  const bump = (m: Map<string, Stat>, key: string, ok: boolean, miss: string) => {
    const s = m.get(key) ?? stat();
    m.set(key, s);
    s.n++;
    if (ok) s.caught++;
    else if (s.misses.length < missCap) s.misses.push(miss);
  };
  for (const r of rows) {
    const out = tk.tokenizeText(r.text, keyring).text;
    let rest = r.text;
    for (const p of [...r.pii].sort((a, b) => b.value.length - a.value.length)) rest = rest.split(p.value).join(' ');
    // look-alikes stay in `rest`: a piece that is also in one (`43` of `+98 43 …` beside `43 h`) cannot be told apart
    for (const p of r.pii) {
      const left = pieces(p, rest).filter((w) => survives(out, w));
      const ok = left.length === 0;
      const miss = `${p.value} (${p.loc}) in ${JSON.stringify(out.slice(0, 140))}`;
      for (const t of [p.type, ...subtypes(p)]) bump(byType, t, ok, miss);
      bump(byClass, r.cls, ok, miss);
      bump(byClassType, `${r.cls} / ${p.type}`, ok, miss);
      bump(byLocType, `${p.loc} / ${p.type}`, ok, miss);
    }
    for (const k of r.keep) {
      keepTotal++;
      if (!out.includes(k)) keepBroken.push(`${k} -> ${out.slice(0, 160)}`);
    }
  }
  return { rows, byType, byClass, byClassType, byLocType, keepTotal, keepBroken };
}
export type HeldoutScore = ReturnType<typeof scoreRows>;

const TYPES = ['PERSON', 'PHONE', 'STREET_ADDRESS', 'DATE_OF_BIRTH'];
/** The figures as a table: per type, per class (with its recall per type), per locale; then misses if asked. */
export function reportScore(res: HeldoutScore, title: string, misses = true): string {
  const { rows, byType, byClass, byClassType, byLocType, keepTotal, keepBroken } = res;
  const lines = [`${title}; ${rows.length} texts`, 'type                                  planted  caught  recall'];
  for (const [t, s] of [...byType].sort()) lines.push(`${t.padEnd(37)} ${String(s.n).padStart(7)} ${String(s.caught).padStart(7)}  ${f(s)}`);
  lines.push('', 'class                                 planted  caught  recall   PERSON  PHONE  STREET  DOB');
  for (const [c, s] of byClass) {
    const cells = TYPES.map((t) => f(byClassType.get(`${c} / ${t}`) ?? stat()).padStart(6));
    lines.push(`${c.padEnd(37)} ${String(s.n).padStart(7)} ${String(s.caught).padStart(7)}  ${f(s)}  ${cells.join(' ')}`);
  }
  lines.push('', 'locale (of the value)                                    PERSON  PHONE  STREET  DOB');
  const locs = [...new Set([...byLocType.keys()].map((k) => k.split(' / ')[0]!))].sort();
  for (const l of locs) lines.push(`${l.padEnd(55)} ${TYPES.map((t) => f(byLocType.get(`${l} / ${t}`) ?? stat()).padStart(6)).join(' ')}`);
  lines.push(`keep intact: ${keepTotal - keepBroken.length}/${keepTotal}`);
  if (misses) {
    for (const [k, s] of byClassType) if (s.misses.length) lines.push(`  misses (${k}): ${s.misses.slice(0, 2).join(' | ')}`);
    for (const k of keepBroken.slice(0, 10)) lines.push(`  look-alike altered: ${k}`);
  }
  return lines.join('\n');
}

/** True when this module file is the script node was started with (a scorer run from the command line). */
export const isMain = (url: string) => url === pathToFileURL(process.argv[1] ?? '').href;
