/**
 * Scoring of held-out corpus 3 (eval/pii-heldout3.ts), shared by the eval test and the A/B run against another build:
 *   node dist/eval/pii-heldout3-score.js [/path/to/other/dist ...]
 * scores this build and each given one on the same texts in one run and prints the figures of each. The counting and
 * the report are heldout-common's; this file adds corpus 3's finer types.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { buildHeldout3, loadHeldout3, type Heldout3Row, type Planted } from './pii-heldout3.js';
import { f, isMain, loadTokenizer, reportScore, scoreRows, type HeldoutScore, type PlantedValue } from './heldout-common.js';

export { f, loadTokenizer };

// fake locale -> the country whose plan its phone masks imitate
const COUNTRY: Record<string, CountryCode> = { cy_GB: 'GB', fa_IR: 'IR', fr_FR: 'FR', it_IT: 'IT', ja_JP: 'JP', nl_NL: 'NL', pt_BR: 'BR', pt_PT: 'PT', tr_TR: 'TR' };
/** fake fills its masks with random digits: some numbers are in no real range. Real traffic has real numbers. */
const validPhone = (p: Planted | PlantedValue) => !!parsePhoneNumberFromString(p.value, { defaultCountry: COUNTRY[p.loc], extract: false })?.isValid();
export const latinScript = (s: string) => !/[^\p{Script=Latin}\p{Script=Common}\p{M}]/u.test(s);

const subtypes = (p: PlantedValue): string[] => {
  if (p.type === 'PHONE') return [validPhone(p) ? 'PHONE (valid number)' : 'PHONE (not a valid number)'];
  if (p.type === 'STREET_ADDRESS' || p.type === 'PERSON') return [`${p.type} (${latinScript(p.value) ? 'Latin script' : 'other scripts'})`];
  return [];
};

export function scoreHeldout3(tk: Awaited<ReturnType<typeof loadTokenizer>>, rows: Heldout3Row[] = buildHeldout3(), missCap = 4) {
  return scoreRows(tk, rows, subtypes, missCap);
}

export function report(res: HeldoutScore, misses = true): string {
  return reportScore(res, `held-out corpus 3 from the Rust crate fake ${loadHeldout3().version}`, misses);
}

if (isMain(import.meta.url)) {
  const dists = process.argv.slice(2);
  const rows = buildHeldout3();
  for (const d of [undefined, ...dists]) {
    console.log(`=== ${d ?? 'this build'}`);
    console.log(report(scoreHeldout3(await loadTokenizer(d), rows, 1000), !!process.env.MISSES));
  }
}
