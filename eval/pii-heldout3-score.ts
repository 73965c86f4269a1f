/**
 * Scoring of held-out corpus 3 (eval/pii-heldout3.ts), shared by the eval test and the A/B run against another build:
 *   node dist/eval/pii-heldout3-score.js [/path/to/other/dist ...]
 * scores this build and each given one on the same texts in one run and prints the figures of each.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { buildHeldout3, loadHeldout3, type Heldout3Row, type Planted, type PlantedType } from './pii-heldout3.js';
import { pieces, survives } from './heldout-common.js';

// fake locale -> the country whose plan its phone masks imitate
const COUNTRY: Record<string, CountryCode> = { cy_GB: 'GB', fa_IR: 'IR', fr_FR: 'FR', it_IT: 'IT', ja_JP: 'JP', nl_NL: 'NL', pt_BR: 'BR', pt_PT: 'PT', tr_TR: 'TR' };
/** fake fills its masks with random digits: some numbers are in no real range. Real traffic has real numbers. */
const validPhone = (p: Planted) => !!parsePhoneNumberFromString(p.value, { defaultCountry: COUNTRY[p.loc], extract: false })?.isValid();
const latinScript = (s: string) => !/[^\p{Script=Latin}\p{Script=Common}\p{M}]/u.test(s);

type Stat = { n: number; caught: number; misses: string[] };
const stat = (): Stat => ({ n: 0, caught: 0, misses: [] });

/** Tokenizer entry points of a build: this one by default, or another tree's dist/ (the frozen baseline). */
export async function loadTokenizer(dist?: string) {
  const url = dist ? pathToFileURL(resolve(dist, 'services/tokenize/index.js')).href : '../services/tokenize/index.js';
  return (await import(url)) as typeof import('../services/tokenize/index.js');
}

export function scoreHeldout3(tk: Awaited<ReturnType<typeof loadTokenizer>>, rows: Heldout3Row[] = buildHeldout3(), missCap = 4) {
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
      const types: string[] = [p.type];
      if (p.type === 'PHONE') types.push(validPhone(p) ? 'PHONE (valid number)' : 'PHONE (not a valid number)');
      if (p.type === 'STREET_ADDRESS' || p.type === 'PERSON') types.push(`${p.type} (${latinScript(p.value) ? 'Latin script' : 'other scripts'})`);
      for (const t of types) bump(byType, t, ok, miss);
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

export const f = (s: Stat) => (s.n ? (s.caught / s.n).toFixed(3) : '  -  ');
const TYPES: PlantedType[] = ['PERSON', 'PHONE', 'STREET_ADDRESS', 'DATE_OF_BIRTH'];

export function report(res: ReturnType<typeof scoreHeldout3>, misses = true): string {
  const { rows, byType, byClass, byClassType, byLocType, keepTotal, keepBroken } = res;
  const lines = [`held-out corpus 3 from the Rust crate fake ${loadHeldout3().version}; ${rows.length} texts`, 'type                                  planted  caught  recall'];
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


if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dists = process.argv.slice(2);
  const rows = buildHeldout3();
  for (const d of [undefined, ...dists]) {
    console.log(`=== ${d ?? 'this build'}`);
    console.log(report(scoreHeldout3(await loadTokenizer(d), rows, 1000), !!process.env.MISSES));
  }
}
