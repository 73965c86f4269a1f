import { defineEntity, eachMatch, type Candidate } from './registry.js';

const US_SUFFIX = 'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Crescent|Cres|Close|Grove|Gardens|Mews|Row|Hill|Walk|Trail|Loop|Alley|Plaza|Broadway';
const UNIT = `(?:,?\\s(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|#)\\.?\\s?#?[\\w-]{1,6})?`;
// 221B Baker Street, 1600 Pennsylvania Ave NW, 10 Downing St, Apt 4
const US_UK_RE = new RegExp(`(?<![\\w-])\\d{1,5}[A-Za-z]?(?:-\\d{1,5})?\\s(?:[NSEW]\\.?\\s)?(?:[A-Z][A-Za-z'.-]{1,20}\\s){1,4}(?:${US_SUFFIX})\\.?(?![A-Za-z])(?:\\s(?:NE|NW|SE|SW|N|S|E|W)\\b)?${UNIT}`, 'g');
// Hauptstraße 5, Musterstr. 12a, Kerkstraat 12, Storgatan 3 (the street word is the end of the name)
// found from the street word and number backwards, so capitalised prose costs nothing
const GERMANIC_TAIL_RE = /(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|ufer|chaussee|straat|laan|plein|gracht|kade|vej|gatan|gata|veien|vägen|katu)\s(?!(?:19|20)\d\d\b)\d{1,4}(?:\s?[a-z])?(?![\p{L}\d])/gu;
const GERMANIC_HEAD_RE = /(?<![\p{L}\d-])(?:[\p{Lu}][\p{L}-]{1,30}\s)?[\p{Lu}][\p{L}-]{0,30}$/u;
// 12 rue de la Paix, 3bis avenue Victor Hugo
const FR_RE = /(?<![\p{L}\d-])\d{1,4}(?:\s?(?:bis|ter))?,?\s(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours)\s(?:(?:de la|de l'|du|des|de|d'|la|le|les)\s?)?[\p{Lu}][\p{L}'-]+(?:\s[\p{Lu}][\p{L}'-]+){0,3}/giu;
// Via Roma 10, Calle Mayor, 5, Avenida da Liberdade 25, Piazza di Spagna 3
const ROMANCE_RE = /(?<![\p{L}\d-])(?:Via|Viale|Piazza|Corso|Largo|Vicolo|Calle|C\/|Avenida|Avda\.|Plaza|Paseo|Carrer|Rua|Travessa|Ulica|ul\.|Rue|Avenue|Boulevard|Chemin|Allée|Impasse|Quai)\s(?:(?:de|del|della|di|da|do|dos|de la)\s)?(?:[\p{Lu}][\p{L}'.-]+\s?){1,4},?\s(?:n\.?\s?º?\s?|nº\s?)?\d{1,4}[a-zA-Z]?(?![\p{L}\d])/gu;
const UK_POSTCODE = '(?:GIR 0AA|[A-PR-UWYZ](?:\\d{1,2}|[A-HK-Y]\\d{1,2}|\\d[A-HJKPSTUW]|[A-HK-Y]\\d[ABEHMNPRVWXY]) \\d[ABD-HJLNP-UW-Z]{2})';
const UK_POSTCODE_RE = new RegExp(`(?<![A-Za-z0-9])${UK_POSTCODE}(?![A-Za-z0-9])`, 'g');
// what may follow a street line: ", Springfield, IL 62704", ", London NW1 6XE", ", 10115 Berlin", ", 75002 Paris"
const TAIL_RE = new RegExp(`^,?\\s(?:(?:[A-Z][A-Za-z.'-]+\\s?){1,3},?\\s(?:[A-Z]{2}\\s\\d{5}(?:-\\d{4})?|${UK_POSTCODE})|(?:\\d{4,5}|\\d{4}-\\d{3}|\\d{2}-\\d{3}|\\d{3} \\d{2}|[A-Z]{1,2}-\\d{4,5})\\s[\\p{Lu}][\\p{L}-]+(?:\\s[\\p{Lu}][\\p{L}-]+)?)`, 'u');

// cheap tests without /u (a Unicode-aware scan of a whole field costs ten times more) before the /u patterns run
const GERMANIC_HINT = /(?:stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|damm|ufer|chaussee|straat|laan|plein|gracht|kade|vej|gatan|gata|veien|vägen|katu)\s\d/;
const US_UK_HINT = new RegExp(`\\b(?:${US_SUFFIX})\\b`);
const UK_POSTCODE_HINT = / \d[A-Z]{2}/;
const FR_HINT = /\d,?\s(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours)\s/i;
const ROMANCE_HINT = /\b(?:Via|Viale|Piazza|Corso|Largo|Vicolo|Calle|C\/|Avenida|Avda\.|Plaza|Paseo|Carrer|Rua|Travessa|Ulica|ul\.|Rue|Avenue|Boulevard|Chemin|Allée|Impasse|Quai) /;

function push(text: string, out: Candidate[], start: number, end: number): void {
  const tail = TAIL_RE.exec(text.slice(end, end + 64));
  out.push({ type: 'STREET_ADDRESS', start, end: tail ? end + tail[0].length : end });
}

function find(text: string, out: Candidate[]): void {
  if (US_UK_HINT.test(text)) eachMatch(US_UK_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  if (GERMANIC_HINT.test(text)) eachMatch(GERMANIC_TAIL_RE, text, (m) => {
    const head = GERMANIC_HEAD_RE.exec(text.slice(Math.max(0, m.index - 64), m.index));
    if (head && head[0].length > 0) push(text, out, m.index - head[0].length, m.index + m[0].length);
  });
  if (FR_HINT.test(text)) eachMatch(FR_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  if (ROMANCE_HINT.test(text)) eachMatch(ROMANCE_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  if (UK_POSTCODE_HINT.test(text)) eachMatch(UK_POSTCODE_RE, text, (m) => void out.push({ type: 'STREET_ADDRESS', start: m.index, end: m.index + m[0].length }));
}

export default defineEntity({
  type: 'STREET_ADDRESS',
  rank: 100,
  description: 'Street addresses: US/UK house number + street + suffix (with unit, city, state + ZIP or UK postcode), UK postcodes on their own, and EU forms (Hauptstraße 5, 12 rue de la Paix, Via Roma 10, Calle Mayor 5, Kerkstraat 12) with their postal code and city.',
  validator: 'shape: a house number next to a capitalised street name with a street word; UK postcodes by the Royal Mail format',
  context: 'none',
  lookalike: 'Wall Street fell 2% near Baker Street station; Via Appia is old',
  find: (text, out, ctx) => {
    if (ctx.hasDigit) find(text, out);
  },
  normalise: (raw) => raw.replace(/\s+/g, ' ').trim().toLowerCase(),
});
