import { defineEntity, eachMatch, isDigit, type Candidate } from './registry.js';
import { eachSqlColumnCell, sqlScan } from './sql-columns.js';

const US_SUFFIX = 'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Crescent|Cres|Close|Grove|Gardens|Mews|Row|Hill|Walk|Trail|Loop|Alley|Plaza|Broadway|Av|Annex|Arcade|Bayou|Bend|Bypass|Canyon|Causeway|Center|Cove|Creek|Crossing|Expressway|Expy|Extension|Ferry|Freeway|Fwy|Glen|Heights|Hts|Junction|Landing|Manor|Motorway|Pike|Point|Ranch|Rapids|Spur|Stravenue|Trace|Trce|Turnpike|Tpke|Viaduct|Track|Parade|Pde|Esplanade|Esp|Circuit|Cct|Rise|Chase|Crest|Vale|View|Promenade|Ridge|Retreat|Quay|Glade|Gully|Brae|Outlook|Grange|Concourse|Cul-de-sac';
const UNIT = `(?:,?\\s(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|APT|APARTMENT|SUITE|STE|UNIT|FLAT|FL|FLOOR|#)\\.?\\s?#?[\\w-]{1,6})?`;
// 221B Baker Street, 1600 Pennsylvania Ave NW, 10 Downing St, Apt 4
const US_UK_RE = new RegExp(`(?<![\\w-])\\d{1,5}[A-Za-z]?(?:-\\d{1,5})?\\s(?:[NSEW]\\.?\\s)?(?:[A-Z][A-Za-z'.-]{1,20}\\s){1,4}(?:${US_SUFFIX})\\.?(?![A-Za-z])(?:\\s(?:NE|NW|SE|SW|N|S|E|W)\\b)?${UNIT}`, 'g');
// Hauptstraße 5, Musterstr. 12a, Kerkstraat 12, Storgatan 3 (the street word is the end of the name)
// found from the street word and number backwards, so capitalised prose costs nothing
const GERMANIC_TAIL_RE = /(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|ufer|chaussee|steig|steg|pfad|straat|laan|plein|gracht|kade|steeg|singel|dreef|(?<![Nn]ote|[Kk]ey|[Ll]aunch|[Tt]ouch|[Tt]rack|[Nn]um|[Mm]ouse|[Ss]cratch|[Gg]ame|[Dd]ial|[Ss]ketch)pad|vej|gade|plads|stræde|gatan|gata|gränd|veien|vei|vegen|vägen|katu|svingen|stubben|stranda|bakken|haugen|åsen|tunet|løkka|plassen|stien|jordet|kroken|brinken|grenda|ringen|sletta|kollen|lia|liveien|tråkket)\s(?!(?:19|20)\d\d\b)\d{1,4}(?:\s?[a-z])?(?![\p{L}\d])/gu;
// Dutch names keep their lower-case particles (van der Veenpad 128, ter Horststeeg 4)
const GERMANIC_HEAD_RE = /(?<![\p{L}\d-])(?:[\p{Lu}][\p{L}-]{1,30}\s|van\s(?:de[nr]?\s)?|ter\s|ten\s)?[\p{Lu}][\p{L}-]{0,30}$/u;
// 12 rue de la Paix, 3bis avenue Victor Hugo
// (the type word in either case, the name words capitalised: with /i the name ran on over prose, `12 rue Voltaire twice
// on Monday`)
const FR_RE = /(?<![\p{L}\d-])\d{1,4}(?:\s?(?:bis|ter))?,?\s(?:[Rr]ue|[Aa]venue|[Aa]v\.|[Bb]oulevard|[Bb]d|[Pp]lace|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai|[Rr]oute|[Cc]ours|[Vv]enelle|[Rr]uelle|[Ss]entier|RUE|AVENUE|BOULEVARD|PLACE|CHEMIN|ALLÉE|IMPASSE|QUAI|ROUTE)\s(?:(?:de la|de l'|du|des|de|d'|la|le|les)\s?)?[\p{Lu}][\p{L}'-]+(?:\s[\p{Lu}][\p{L}'-]+){0,3}/gu;
// Via Roma 10, Calle Mayor, 5, Avenida da Liberdade 25, Piazza di Spagna 3
// (Chinese and Japanese glue it to the word before: 住址R. Stephany, 86)
// (`nº` is `no` in the NFKC view the tokenizer reads, and `n.º` is `n.o`; pt-BR writes Rua as `R.`, only taken before a
// single name, a comma and a number that is not a year: `R. Kelly, 2003` stays)
const ROMANCE_RE = /(?<![\p{Script=Latin}\p{Script=Cyrillic}\d-])(?:Via|Viale|Piazza|Piazzale|Corso|Largo|Vicolo|Strada|Circonvallazione|Lungomare|Calle|C\/|Avenida|Avda\.|Plaza|Paseo|Carretera|Camino|Carrer|Rua|R\.(?=\s[\p{Lu}][\p{L}'-]+,\s(?!(?:19|20)\d\d(?!\d))\d)|Travessa|Estrada|Calçada|Alameda|Praça|Beco|Ladeira|Ulica|ul\.|al\.|Aleja|Avenija|ул\.|улица|вул\.|вулиця|просп\.|проспект|пер\.|бул\.|пл\.|пр\.|пров\.|площад|площа|площадь|булевард|бульвар|провулок|переулок|шоссе|набережная|набережна|проезд|узвіз|Rue|Avenue|Boulevard|Chemin|Allée|Impasse|Quai|(?:Place|Cours|Route)(?=\s(?:de|du|des|d')[\s'])|Place(?=\sd'))\s(?:(?:de|del|della|delle|dei|degli|di|da|das|do|dos|de la|de las|de los|dal|dalla|des|du)\s|de l'|d')?(?:[\p{Lu}][\p{L}'.-]+\s?){1,4},?\s(?:n\.?\s?[ºo°]?\.?\s?|nº\s?)?\d{1,4}[a-zA-Z]?(?![\p{L}\d])/gu;
// Welsh puts the street type first, after the number: 12 Heol y Felin, 3 Teras Gwyn, 8 Ffordd Las (name words
// capitalised apart from the article y/yr/'r, so the span stops where the prose starts)
const CY_TYPE = 'Heol|Stryd|Ffordd|Lôn|Teras|Rhodfa|Cilgant|Cwrt|Llys|Maes|Clos';
const CY_RE = new RegExp(`(?<![\\p{L}\\d-])\\d{1,4}[a-z]?\\s(?:${CY_TYPE})\\s(?:(?:y|yr|'r)\\s)?[\\p{Lu}][\\p{L}'’-]{1,30}(?:\\s(?:(?:y|yr|'r)\\s)?[\\p{Lu}][\\p{L}'’-]{1,30}){0,2}`, 'gu');
const CY_HINT = new RegExp(`\\d\\s(?:${CY_TYPE})\\s`);
// Persian puts the street type first and the house number after پلاک (plate) or شماره, or a Latin `nº` (`no` in the
// NFKC view): خیابان آزادی پلاک ۱۲, کوچه لاله no 5
const FA_TYPE = 'خیابان|میدان|کوچه|بلوار|بزرگراه';
const FA_RE = new RegExp(`(?<![\\p{L}])(?:${FA_TYPE})\\s(?:[\\p{Script=Arabic}\\u200c]{1,30}\\s){1,3}(?:پلاک|شماره|nº|no|n\\.o)\\s?[\\d۰-۹]{1,5}(?![\\p{L}\\d۰-۹])`, 'gu');
const FA_HINT = new RegExp(`(?:${FA_TYPE})\\s`);
// Arabic writes the type first and the house number after the name (شارع الملك فهد 12, optionally after رقم), or, as in
// Egypt, the number first (15 شارع التحرير); digits are ASCII in the view whatever script they were written in
const AR_TYPE = 'شارع|طريق|جادة|زقاق';
const AR_WORD = '\\p{Script=Arabic}{2,30}';
const AR_RE = new RegExp(`(?<![\\p{L}\\d])(?:\\d{1,5}\\s(?:${AR_TYPE})\\s${AR_WORD}(?:\\s${AR_WORD})?|(?:${AR_TYPE})\\s${AR_WORD}(?:\\s${AR_WORD}){0,2}\\s(?:رقم\\s?)?\\d{1,5})(?![\\p{L}\\d])`, 'gu');
const AR_HINT = new RegExp(`(?:${AR_TYPE})\\s`);
// Georgian writes the name, then the type, then the number (often after №, `No` in the NFKC view), then the flat:
// ჭავჭავაძის გამზირი №55, რუსთაველის ქუჩა 12, ბინა 4
const GE_TYPE = 'ქუჩა|გამზირი|მოედანი|ჩიხი|შესახვევი|ხეივანი|გზატკეცილი|სანაპირო|აღმართი|დაღმართი|კვარტალი';
const GE_RE = new RegExp(`(?<![\\p{L}\\d])(?:\\p{Script=Georgian}{2,30}\\s){1,3}(?:${GE_TYPE})\\s(?:No\\.?\\s?|№\\s?|N\\s?)?\\d{1,5}[a-zა-ჰ]?(?:,?\\s?ბინა\\s?(?:No\\.?\\s?|№\\s?)?\\d{1,5})?(?![\\p{L}\\d])`, 'gu');
const GE_HINT = new RegExp(`(?:${GE_TYPE})\\s`);
// Hebrew writes the type first, then the name, then the number (or the number first): רחוב הרצל 12, שדרות רוטשילד 5,
// 8 דרך השלום
const HE_TYPE = "רחוב|רח'|רח׳|דרך|שדרות|שד'|שד׳|סמטת|סמ'|סמ׳|כיכר|ככר|שביל|מעלה|משעול|סמטה";
const HE_WORD = "\\p{Script=Hebrew}[\\p{Script=Hebrew}'׳\"״-]{0,29}";
const HE_RE = new RegExp(`(?<![\\p{L}\\d])(?:\\d{1,5}\\s(?:${HE_TYPE})(?:\\s${HE_WORD}){1,3}|(?:${HE_TYPE})(?:\\s${HE_WORD}){1,4}\\s\\d{1,5})(?![\\p{L}\\d])`, 'gu');
const HE_HINT = new RegExp(`(?:${HE_TYPE})\\s`);
// Armenian writes the name, then the type, then the number: Բաղրամյան պողոտա 24, Աբովյան փողոց 3
const HY_TYPE = 'պողոտա|փողոց|նրբանցք|հրապարակ|խճուղի|թաղամաս|փակուղի|ճանապարհ|նրբուղի';
const HY_RE = new RegExp(`(?<![\\p{L}\\d])(?:\\p{Script=Armenian}{2,30}\\s){1,3}(?:${HY_TYPE})\\s\\d{1,5}[ա-ֆ]?(?![\\p{L}\\d])`, 'gu');
const HY_HINT = new RegExp(`(?:${HY_TYPE})\\s\\d`);
const UK_POSTCODE = '(?:GIR 0AA|[A-PR-UWYZ](?:\\d{1,2}|[A-HK-Y]\\d{1,2}|\\d[A-HJKPSTUW]|[A-HK-Y]\\d[ABEHMNPRVWXY]) \\d[ABD-HJLNP-UW-Z]{2})';
const UK_POSTCODE_RE = new RegExp(`(?<![A-Za-z0-9])${UK_POSTCODE}(?![A-Za-z0-9])`, 'g');
// what may follow a street line: ", Springfield, IL 62704", ", London NW1 6XE", ", 10115 Berlin", ", 75002 Paris"
const TAIL_RE = new RegExp(`^,?\\s(?:(?:[A-Z][A-Za-z.'-]+\\s?){1,3},?\\s(?:[A-Z]{2}\\s\\d{5}(?:-\\d{4})?|${UK_POSTCODE})|(?:\\d{4,5}|\\d{4}-\\d{3}|\\d{2}-\\d{3}|\\d{3} \\d{2}|[A-Z]{1,2}-\\d{4,5})\\s[\\p{Lu}][\\p{L}-]+(?:\\s[\\p{Lu}][\\p{L}-]+)?)`, 'u');

// cheap tests without /u (a Unicode-aware scan of a whole field costs ten times more) before the /u patterns run
const GERMANIC_HINT = /(?:stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|damm|ufer|chaussee|steig|steg|pfad|straat|laan|plein|gracht|kade|steeg|singel|dreef|pad|vej|gade|plads|stræde|gatan|gata|gränd|veien|vei|vegen|vägen|katu|svingen|stubben|stranda|bakken|haugen|åsen|tunet|løkka|plassen|stien|jordet|kroken|brinken|grenda|ringen|sletta|kollen|lia|liveien|tråkket)\s\d/;
// one scan for both the street-word suffix and the street type written as its own word (TYPE_WORD_RE)
const US_UK_HINT = new RegExp(`\\b(?:${US_SUFFIX})\\b`);
const UK_POSTCODE_HINT = / \d[A-Z]{2}/;
const FR_HINT = /\d,?\s(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours|venelle|ruelle|sentier)\s/i;
const ROMANCE_HINT = /\b(?:Via|Viale|Piazza|Piazzale|Corso|Largo|Vicolo|Strada|Circonvallazione|Lungomare|Calle|C\/|Avenida|Avda\.|Plaza|Paseo|Carretera|Camino|Carrer|Rua|R\.|Travessa|Estrada|Calçada|Alameda|Praça|Beco|Ladeira|Ulica|ul\.|al\.|Aleja|Avenija|Rue|Avenue|Boulevard|Chemin|Allée|Impasse|Quai|Place|Cours|Route) |(?:ул|вул|просп|пер|бул|пл|пр|пров)\. |(?:улица|вулиця|проспект|площад|площа|площадь|булевард|бульвар|провулок|переулок|шоссе|набережная|набережна|проезд|узвіз) /;

// a street type written as its own word after the name, then the number: Pößnecker Straße 209, Reinstedter Weg 830,
// Bay Caddesi 258, Arkın Sokağı 6, Csörgey útja 12, Kossuth utca 5, Gusevova ulica 4
const TYPE_WORD = 'Straße|Strasse|Weg|Allee|Gasse|Damm|Ufer|Chaussee|Steig|Pfad|Caddesi|Cadde|Cad\\.|Sokak|Sokağı|Sk\\.|Bulvarı|Bulvar|Yolu|Meydanı|Çıkmazı|utca|u\\.|út|útja|tér|köz|sétány|körút|krt\\.|fasor|rakpart|lejtő|dűlő|ulica|ulice|třída|gade|vej|vei|veien|gata|gatan|vägen|väg|katu|tie|straat|laan|steeg|dreef';
// (Turkish writes the house number as `No: 5`, `No:5` or `No 5`)
const HOUSE_NO = '(?:No:?\\s?)?';
const STREET_WORD_HINT = new RegExp(`(?:${GERMANIC_HINT.source.slice(3, -5)}|${TYPE_WORD})\\s${HOUSE_NO}\\d`);
// (a name word is at most 40 characters: `.` and `'` may open one, so an unbounded word ran from each capital of
// `A.A.A.…` to the end of the text)
const TYPE_WORD_RE = new RegExp(`(?<![\\p{L}\\d-])(?:[\\p{Lu}][\\p{L}'’.-]{0,40}\\s){1,3}(?:${TYPE_WORD})\\s${HOUSE_NO}\\d{1,5}(?:\\s?[a-zA-Z](?![\\p{L}\\d])|\\/[A-Za-z\\d]{1,3}(?![\\p{L}\\d]))?(?![\\p{L}\\d])`, 'gu');

// A postcode and a city after a line break or comma: the line before it is the street line, in whatever script and
// with whatever street word (Kofránkova 86 / 892 52 Bílina, 664 معبر الرائد / 60530 عجمان, Γρυπάρη 1332 / 37624 Βόλος).
// Found from the postcode (no /u: cheap), then the street line is looked for right before it.
const POSTCODE_RE = /(?:\n|, ?)(?:(?:DK|D|A|CH|F|NL|B|L|I|S|N|FIN|PL|CZ|SK|HU|H)-)?(?:\d{5}(?:-\d{3,4})?|\d{3} \d{2}|\d{2}-\d{3}|\d{4}(?:-\d{3}| [A-Z]{2})?|\d{3}-\d{4}|\d{6}|[A-Z]\d[A-Z] \d[A-Z]\d) (?=[^\s\d!-@\[-`{-~])/y;
const POSTCODE_CITY = /^[\p{L}\p{M}][\p{L}\p{M}'’.-]*(?:[ -][\p{L}\p{M}][\p{L}\p{M}'’.-]*){0,2}/u;
// words then a house number, or a house number then words; after a line start, a separator or a key
const LINE_WORDS_NUMBER = /(?:^|[\n\t,;:"]\s*|\s{2,})((?:[\p{L}\p{M}][\p{L}\p{M}.'’-]*\s){1,5}\d{1,5}[a-zA-Z]?(?:[-/]\d{1,5}){0,2})$/u;
const LINE_NUMBER_WORDS = /(?:^|[\n\t,;:"]\s*|\s{2,})(\d{1,5}[a-zA-Z]?\s(?:[\p{L}\p{M}][\p{L}\p{M}.'’-]*\s?){1,5})$/u;
// the same at the end of a sentence: capitalised words (a lower-case article or particle inside) then the number, or
// the number then capitalised words
const PROSE_WORDS_NUMBER = /(?<![\p{L}\p{M}\d.'’-])((?:[\p{Lu}][\p{L}\p{M}.'’-]*\s(?:(?:de|la|le|del|der|den|van|von|y|i|na|pod|nad)\s)?){1,4}\d{1,5}[a-zA-Z]?(?:[-/]\d{1,5}){0,2})$/u;
const PROSE_NUMBER_WORDS = /(?<![\p{L}\p{M}\d.'’-])(\d{1,5}[a-zA-Z]?\s(?:[\p{Lu}][\p{L}\p{M}.'’-]*\s?){1,4})$/u;
// what is written before a number that makes the line something else (a count, a version, a reference)
const NOT_A_STREET = /^(?:version|v|release|chapter|page|step|room|order|ticket|invoice|ref|no|nr|item|case|table|figure|section|line|build|issue|pr|part|level|grade|class|year|day|week|phase|stage|round|batch|row|id|po|box|top|over|under|about|approx|total|only|just|and|or|the|of|in|at|for|to|from|with|by|was|is|are|were|has|have|had|than|up|all)$/i;

// East Asian addresses have no spaces and no street-type word apart from the number's counter: 径河九条705号 (zh),
// 丸の内1-2-3 / 丸の内1丁目2番3号 (ja), 세종대로 175 / 테헤란로12길 34 (ko). The counter or the road word is the anchor;
// the name before it is capped at 20 characters so a scan from each Han character stays bounded.
const CJK_HINT = /\d号|\d丁目|\d番|\d-\d{1,4}-\d|[로길] ?\d/;
const ZH_RE = /\p{Script=Han}[\p{Script=Han}\d]{0,19}(?<!第)\d{1,5}号(?!线|機|机)(?:\d{1,4}室)?/gu;
const JA_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]{2,20}\d{1,4}(?:丁目|-)\d{1,4}(?:番地?|-)\d{1,4}号?/gu;
// (로 is also the particle 'with/to': 가격으로 5000원, 사과로 5개, so a counter word after the number rules it out)
const KO_RE = /[가-힣][가-힣\d]{0,11}(?<!으)(?:로|길)(?:\d{1,3}(?:번길|길))? ?\d{1,5}(?:-\d{1,4})?(?![\d가-힣%])/gu;

// where POSTCODE_RE can start: every postcode form opens with two digits, or a capital then a digit, a capital or the
// country prefix's `-`. The regex engine finds those far faster than a character loop or indexOf per line break (a
// field of a million short lines), and only there is the postcode pattern tried (sticky)
const POSTCODE_START = /(?:\n|, ?)(?:\d\d|[A-Z][\dA-Z-])/g;
function findByPostcode(text: string, out: Candidate[]): void {
  POSTCODE_START.lastIndex = 0;
  for (let s = POSTCODE_START.exec(text); s; s = POSTCODE_START.exec(text)) {
    // (what the start matched holds no other line break or comma: no start is passed over)
    POSTCODE_RE.lastIndex = s.index;
    const m = POSTCODE_RE.exec(text);
    if (m) postcodeAt(text, out, m);
  }
}

function postcodeAt(text: string, out: Candidate[], m: RegExpExecArray): void {
  // the street line has a house number: no digit on the line before, no street line (prose with ", 2024 The")
  let k = m.index - 1;
  while (k >= 0 && m.index - k <= 72 && text.charCodeAt(k) !== 10 && !isDigit(text.charCodeAt(k))) k--;
  if (k < 0 || m.index - k > 72 || !isDigit(text.charCodeAt(k))) return;
  const city = POSTCODE_CITY.exec(text.slice(m.index + m[0].length, m.index + m[0].length + 48));
  if (!city) return;
  const before = text.slice(Math.max(0, m.index - 72), m.index);
  const line = LINE_WORDS_NUMBER.exec(before) ?? LINE_NUMBER_WORDS.exec(before);
  let street = line && streetLine(line[1]!) ? line[1]! : undefined;
  // in a sentence (`the parcel goes to Kofránkova 86, 892 52 Bílina`) the line holds prose: the street is the run of
  // capitalised words next to the number at its end
  // (not before a year, which a 4-digit postcode can also be: `we love Windows 11, 2024 Edition`)
  if (!street && !YEAR_POSTCODE.test(m[0])) {
    const tail = PROSE_WORDS_NUMBER.exec(before) ?? PROSE_NUMBER_WORDS.exec(before);
    if (tail && streetLine(tail[1]!)) street = tail[1]!;
  }
  if (!street) return;
  // a sentence's full stop after the city is not part of it
  const cityLength = city[0].endsWith('.') ? city[0].length - 1 : city[0].length;
  out.push({ type: 'STREET_ADDRESS', start: m.index - street.length, end: m.index + m[0].length + cityLength });
}

const YEAR_POSTCODE = /^(?:\n|, ?)(?:19|20)\d\d $/;

function streetLine(line: string): boolean {
  const words = line.trim().split(/\s+/).filter((w) => !/\d/.test(w));
  return words.length > 0 && !words.some((w) => NOT_A_STREET.test(w)) && words.some((w) => w.replace(/[.'’-]/g, '').length >= 3);
}

// after a field name: "street": "Gransångarvägen 664", street: 732 Camelia Point, Address: 8 Elm Way, ADR;TYPE=HOME:;;…;
// Found from each ':' or '=' (indexOf: cheap), then the field name right before it.
// (`line1` as YAML writes it under an `address:` key; the value must still look like a street line)
const KEY_WORD = /^(?:street|street_?1|street_?address|address_?line_?1|address_?1|line_?1|address|addr|adresse|anschrift|straße|strasse|dirección|direccion|indirizzo|endereço|morada|adres|adress|osoite|adresa|cím)$/i;
const isKeyChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57) || (c > 191 && c < 0x2000);
const KEY_AFTER = /^\s*"?(?=\S)/;
const ADR_AFTER = /^;[^;\n]{0,20};/;
const KEY_VALUE = /^(?:(?:[\p{L}\p{M}][\p{L}\p{M}.'’-]*,?\s){1,5}\d{1,5}[a-zA-Z]?|\d{1,5}[a-zA-Z]?,?\s(?:[\p{L}\p{M}][\p{L}\p{M}.'’-]*\s?){1,5})(?=$|[\n",;]|\s{2})/u;

function findByKey(text: string, out: Candidate[], sep: string): void {
  const adr = sep === ':' && text.indexOf('ADR') !== -1;
  for (let at = text.indexOf(sep); at !== -1; at = text.indexOf(sep, at + 1)) {
    // the field name right before the separator, read backwards by character (a regex anchored at the end would be
    // tried from every position before it)
    let j = at;
    while (j > 0 && at - j < 3 && (text.charCodeAt(j - 1) === 32 || text.charCodeAt(j - 1) === 34)) j--;
    let i = j;
    while (i > 0 && j - i <= 24 && isKeyChar(text.charCodeAt(i - 1))) i--;
    let gap: RegExpExecArray | null = null;
    if (j - i >= 3 && j - i <= 24 && KEY_WORD.test(text.slice(i, j))) gap = KEY_AFTER.exec(text.slice(at + 1, at + 8));
    else if (adr) {
      const k = text.slice(Math.max(0, at - 44), at).lastIndexOf('ADR');
      const start = at - Math.min(at, 44) + k;
      if (k !== -1 && (start === 0 || !isKeyChar(text.charCodeAt(start - 1))) && text.slice(start, at).indexOf('\n') === -1) gap = ADR_AFTER.exec(text.slice(at + 1, at + 24));
    }
    if (!gap) continue;
    const from = at + 1 + gap[0].length;
    const v = KEY_VALUE.exec(text.slice(from, from + 80));
    if (!v) continue;
    const value = v[0].trimEnd();
    const words = value.split(/\s+/).filter((w) => !/\d/.test(w));
    if (words.some((w) => NOT_A_STREET.test(w)) || !words.some((w) => w.replace(/[.'’,-]/g, '').length >= 3)) continue;
    out.push({ type: 'STREET_ADDRESS', start: from, end: from + value.length });
  }
}

// a street column of an SQL INSERT (`INSERT INTO customers (id, name, street, city) VALUES (1, 'Ann', 'Alcalá, 60', …)`):
// each tuple's value there, when it has a number and a word
const SQL_STREET_COLUMN = /(?<![\w"`])["`]?(?:street(?:_?(?:1|address|line_?1))?|address(?:_?line_?1|_?1)?|addr|adresse|anschrift|stra(?:ß|ss)e|direcci[oó]n|indirizzo|endere[cç]o|morada|adres)["`]?(?![\w"`])/gi;
const SQL_STREET_VALUE = /^'((?=[^']*\d)(?=[^']*\p{L}{2})[^'\n]{3,80})'$/u;

function findSqlStreets(text: string, out: Candidate[]): void {
  const sql = sqlScan(text);
  eachMatch(SQL_STREET_COLUMN, text, (m) => {
    eachSqlColumnCell(text, m.index, m.index + m[0].length, sql, (a, b) => {
      const v = SQL_STREET_VALUE.exec(text.slice(a, b).trim());
      if (!v) return;
      const start = text.indexOf(v[1]!, a);
      out.push({ type: 'STREET_ADDRESS', start, end: start + v[1]!.length });
    });
  });
}

function push(text: string, out: Candidate[], start: number, end: number): void {
  const tail = TAIL_RE.exec(text.slice(end, end + 64));
  out.push({ type: 'STREET_ADDRESS', start, end: tail ? end + tail[0].length : end });
}

function find(text: string, out: Candidate[]): void {
  if (US_UK_HINT.test(text)) eachMatch(US_UK_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  const streetWord = STREET_WORD_HINT.test(text);
  if (streetWord) eachMatch(GERMANIC_TAIL_RE, text, (m) => {
    const head = GERMANIC_HEAD_RE.exec(text.slice(Math.max(0, m.index - 64), m.index));
    if (head && head[0].length > 0) push(text, out, m.index - head[0].length, m.index + m[0].length);
  });
  if (FR_HINT.test(text)) eachMatch(FR_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  if (CY_HINT.test(text)) eachMatch(CY_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  if (FA_HINT.test(text)) eachMatch(FA_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  if (GE_HINT.test(text)) eachMatch(GE_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  if (AR_HINT.test(text)) eachMatch(AR_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  if (HE_HINT.test(text)) eachMatch(HE_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  if (HY_HINT.test(text)) eachMatch(HY_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  if (ROMANCE_HINT.test(text)) eachMatch(ROMANCE_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  if (streetWord) eachMatch(TYPE_WORD_RE, text, (m) => push(text, out, m.index, m.index + m[0].length));
  if (CJK_HINT.test(text)) for (const re of [ZH_RE, JA_RE, KO_RE]) eachMatch(re, text, (m) => void out.push({ type: 'STREET_ADDRESS', start: m.index, end: m.index + m[0].length }));
  if (/insert\s/i.test(text)) findSqlStreets(text, out);
  findByKey(text, out, ':');
  findByKey(text, out, '=');
  findByPostcode(text, out);
  if (UK_POSTCODE_HINT.test(text)) eachMatch(UK_POSTCODE_RE, text, (m) => void out.push({ type: 'STREET_ADDRESS', start: m.index, end: m.index + m[0].length }));
}

export default defineEntity({
  type: 'STREET_ADDRESS',
  rank: 100,
  description: 'Street addresses: US/UK house number + street + suffix (with unit, city, state + ZIP or UK postcode), UK postcodes on their own, EU forms (Hauptstraße 5, Lindenhofer Straße 17, 12 rue de la Paix, Via Roma 10, Calle Mayor 5, Kerkstraat 12, van der Veenpad 128, Petőfi utca 8, ул. Садовая 5, Strada Ferrari, nº 85, Atatürk Caddesi No: 12, 12 Heol y Felin, Persian خیابان … پلاک, Arabic شارع … 12 and 15 شارع …, Georgian … ქუჩა №12, Hebrew רחוב … 12, Armenian … պողոտա 24, Bulgarian and Ukrainian пл./бул./провулок …, Hungarian … köz/sétány/tér, Norwegian -svingen/-bakken, Australian Track/Parade/Esplanade) with their postal code and city, East Asian block addresses (南京路88号, 丸の内1-2-3, 세종대로 175), a street line of any script right before a postcode and city, a value after an address field name (`street:`, `"address":`, YAML `line1:`, vCard `ADR`), and the street column of an SQL INSERT.',
  validator: 'shape: a house number next to a capitalised street name with a street word, or next to words when a postcode and city follow or an address field name precedes; UK postcodes by the Royal Mail format',
  context: 'none',
  lookalike: 'Wall Street fell 2% near Baker Street station; Via Appia is old',
  find: (text, out, ctx) => {
    if (ctx.hasDigit) find(text, out);
  },
  normalise: (raw) => raw.replace(/\s+/g, ' ').trim().toLowerCase(),
});
