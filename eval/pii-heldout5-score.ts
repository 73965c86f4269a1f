/**
 * Scoring of held-out corpus 5 (eval/pii-heldout5.ts), shared by the eval test and the A/B run against another build:
 *   node dist/eval/pii-heldout5-score.js [/path/to/other/dist ...]      (MISSES=1 adds the misses)
 * scores this build and each given one on the same texts in one run and prints the figures of each, then how many of
 * the planted name words each locale has in the detector's name lexicon (how unseen its names are). The counting and
 * the report are heldout-common's (a value is caught when none of its own pieces survives); this file adds corpus 5's
 * finer types: phones by validity, names and streets by script, names by how they are written.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildHeldout5, loadHeldout5, type Heldout5Row, type Planted5 } from './pii-heldout5.js';
import { f, isMain, loadTokenizer, reportScore, scoreRows, type HeldoutScore, type PlantedValue } from './heldout-common.js';
import { latinScript } from './pii-heldout3-score.js';

export { f, loadTokenizer };

// Datafaker locale -> the country its phone formats are for
const COUNTRY: Record<string, CountryCode> = {
  uk: 'UA', bg: 'BG', hy: 'AM', th: 'TH', fa: 'IR', he: 'IL', ja: 'JP', tr: 'TR', 'vi-VN': 'VN', hu: 'HU', 'cs-CZ': 'CZ', 'fi-FI': 'FI', 'nb-NO': 'NO', 'en-AU': 'AU',
};
/** Datafaker fills its formats with random digits: many numbers are in no real range. Real traffic has real numbers. */
const validPhone = (p: PlantedValue) => !!parsePhoneNumberFromString(p.value, { defaultCountry: COUNTRY[p.loc], extract: false })?.isValid();

export function scoreHeldout5(tk: Awaited<ReturnType<typeof loadTokenizer>>, rows: Heldout5Row[] = buildHeldout5(), missCap = 4) {
  return scoreRows(tk, rows, (p) => {
    if (p.type === 'PHONE') return [validPhone(p) ? 'PHONE (valid number)' : 'PHONE (not a valid number)'];
    const script = `${p.type} (${latinScript(p.value) ? 'Latin script' : 'other scripts'})`;
    if (p.type === 'PERSON') return [script, `PERSON (${(p as Planted5).form ?? 'full'})`];
    if (p.type === 'STREET_ADDRESS') return [script];
    return [];
  }, missCap);
}

export function report(res: HeldoutScore, misses = true): string {
  return reportScore(res, 'held-out corpus 5 from Datafaker 2.7.0', misses);
}

/**
 * Per locale, the share of distinct planted name words that are in the detector's name lexicon (GIVEN, SURNAME and
 * BOTH of dist/services/tokenize/names-lexicon.js, lower case). A name word is a word of a given name or surname of
 * the locale's data that occurs in a planted PERSON value of that locale (so `西川` and `友美` of `西川友美` count
 * as two words, and a handle's words count once).
 */
export async function lexiconShare(rows: Heldout5Row[] = buildHeldout5(), dist?: string): Promise<string> {
  const url = dist ? pathToFileURL(resolve(dist, 'services/tokenize/names-lexicon.js')).href : '../services/tokenize/names-lexicon.js';
  const lex = (await import(url)) as { GIVEN: string; SURNAME: string; BOTH: string };
  const known = new Set([lex.GIVEN, lex.SURNAME, lex.BOTH].flatMap((s) => s.split(' ')));
  const planted = new Map<string, string[]>();
  for (const r of rows) for (const p of r.pii) if (p.type === 'PERSON') planted.set(p.loc, [...(planted.get(p.loc) ?? []), p.value.toLowerCase()]);
  const lines = ['locale   name words  in lexicon  share'];
  let n = 0, k = 0;
  for (const [loc, d] of Object.entries(loadHeldout5().locales).sort()) {
    const values = planted.get(loc) ?? [];
    const words = new Set([...d.first, ...d.last].flatMap((x) => x.toLowerCase().split(/\s+/)).filter((w) => values.some((v) => v.includes(w))));
    const inLex = [...words].filter((w) => known.has(w)).length;
    n += words.size;
    k += inLex;
    lines.push(`${loc.padEnd(8)} ${String(words.size).padStart(10)} ${String(inLex).padStart(11)}  ${(inLex / words.size).toFixed(3)}`);
  }
  lines.push(`${'all'.padEnd(8)} ${String(n).padStart(10)} ${String(k).padStart(11)}  ${(k / n).toFixed(3)}`);
  return lines.join('\n');
}

if (isMain(import.meta.url)) {
  const dists = process.argv.slice(2);
  const rows = buildHeldout5();
  for (const d of [undefined, ...dists]) {
    console.log(`=== ${d ?? 'this build'}`);
    console.log(report(scoreHeldout5(await loadTokenizer(d), rows, 1000), !!process.env.MISSES));
  }
  console.log('\nplanted name words in the name lexicon (this build)');
  console.log(await lexiconShare(rows));
}
