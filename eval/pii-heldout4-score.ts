/**
 * Scoring of held-out corpus 4 (eval/pii-heldout4.ts), shared by the eval test and the A/B run against another build:
 *   node dist/eval/pii-heldout4-score.js [/path/to/other/dist ...]
 * scores this build and each given one on the same texts in one run and prints the figures of each. The counting and
 * the report are heldout-common's (corpus 3's rule: a value is caught when none of its own pieces survives); this
 * file adds corpus 4's finer types.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { buildHeldout4, loadHeldout4 } from './pii-heldout4.js';
import { f, isMain, loadTokenizer, reportScore, scoreRows, type HeldoutRow, type HeldoutScore, type PlantedValue } from './heldout-common.js';
import { latinScript } from './pii-heldout3-score.js';

export { f, loadTokenizer };

// jfairy locale -> the country its telephone formats are for (only jfairy locales have phones)
const COUNTRY: Record<string, CountryCode> = { de: 'DE', en: 'US', es: 'ES', fr: 'FR', it: 'IT', ka: 'GE', pl: 'PL', sv: 'SE', zh: 'CN' };
/** jfairy fills its formats with random digits: many numbers are in no real range. Real traffic has real numbers. */
const validPhone = (p: PlantedValue) => !!parsePhoneNumberFromString(p.value, { defaultCountry: COUNTRY[p.loc], extract: false })?.isValid();

export function scoreHeldout4(tk: Awaited<ReturnType<typeof loadTokenizer>>, rows: HeldoutRow[] = buildHeldout4(), missCap = 4) {
  const fromNames = new Set(loadHeldout4().sources.find((s) => s.source.startsWith('names-dataset'))?.locales ?? []);
  return scoreRows(tk, rows, (p) => {
    if (p.type === 'PHONE') return [validPhone(p) ? 'PHONE (valid number)' : 'PHONE (not a valid number)'];
    const script = `${p.type} (${latinScript(p.value) ? 'Latin script' : 'other scripts'})`;
    if (p.type === 'PERSON') return [script, `PERSON (${fromNames.has(p.loc) ? 'names-dataset, real names' : 'jfairy'})`];
    if (p.type === 'STREET_ADDRESS') return [script];
    return [];
  }, missCap);
}

export function report(res: HeldoutScore, misses = true): string {
  const src = loadHeldout4().sources.map((s) => `${s.source.split(' ')[0]} ${s.version}`).join(' + ');
  return reportScore(res, `held-out corpus 4 from ${src}`, misses);
}

if (isMain(import.meta.url)) {
  const dists = process.argv.slice(2);
  const rows = buildHeldout4();
  for (const d of [undefined, ...dists]) {
    console.log(`=== ${d ?? 'this build'}`);
    console.log(report(scoreHeldout4(await loadTokenizer(d), rows, 1000), !!process.env.MISSES));
  }
}
