/**
 * Held-out corpus 3: names, phone numbers, street lines and birth dates from the Rust crate `fake` 5.1.0
 * (eval/data/pii-heldout3.json, see eval/pii-heldout3-extract.rs), whose locale data is independent of every source
 * the detector learned from and of corpora 1 (Python Faker) and 2 (mimesis). They are put into text styles neither
 * earlier corpus uses: meeting minutes, clinical notes, HR reviews, contract party blocks, git commit trailers, ICS
 * invites, WhatsApp exports, Markdown tables, code comments, social posts, prose in eight languages and phones and
 * addresses inline in English sentences. Deterministic (seeded). The templates and values were committed before the
 * detector was first run on them and are not adjusted to its results.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../services/common/paths.js';
import { rng } from './heldout-common.js';

export type PlantedType = 'PERSON' | 'PHONE' | 'STREET_ADDRESS' | 'DATE_OF_BIRTH';

export interface Planted {
  type: PlantedType;
  /** The text as planted. */
  value: string;
  loc: string;
}

export interface Heldout3Row {
  cls: string;
  text: string;
  pii: Planted[];
  /** Look-alikes that must come through unchanged. */
  keep: string[];
}

export interface Street {
  street: string;
  postcode: string;
}

export interface LocaleData {
  first: string[];
  last: string[];
  phones?: string[];
  streets?: Street[];
  dates: string[];
  /** Only where the crate defines the locale's own. */
  date_format?: string;
}

export function loadHeldout3(): { version: string; locales: Record<string, LocaleData> } {
  return JSON.parse(readFileSync(join(repoRoot(), 'eval', 'data', 'pii-heldout3.json'), 'utf8')) as { version: string; locales: Record<string, LocaleData> };
}

type Rng = ReturnType<typeof rng>;

// Month names by language, for dates written out in prose.
const MONTHS: Record<string, string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  pt: ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'],
  it: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
};

/** A date in a strftime-style format: %d %m %Y %y, %e (day without zero), %B (month name in `lang`). */
export function strftime(iso: string, fmt: string, lang = 'en'): string {
  const [y, m, d] = iso.split('-');
  const months = MONTHS[lang] ?? MONTHS.en!;
  return fmt.replace(/%([dmYyBe])/g, (_, c: string) =>
    c === 'd' ? d! : c === 'm' ? m! : c === 'Y' ? y! : c === 'y' ? y!.slice(2) : c === 'e' ? String(+d!) : months[+m! - 1]!);
}

// How each locale writes a date where the crate does not say (ours, from the countries' usage).
const DATE_FORMAT: Record<string, string> = {
  ar_SA: '%d/%m/%Y', cy_GB: '%d/%m/%Y', de_DE: '%d.%m.%Y', fr_FR: '%d/%m/%Y', ja_JP: '%Y年%m月%d日', nl_NL: '%d-%m-%Y', pt_BR: '%d/%m/%Y', zh_CN: '%Y年%m月%d日', zh_TW: '%Y年%m月%d日',
};
// A real city of each locale's country, written after the postcode (context, not a planted value; ours).
const CITY: Record<string, string[]> = {
  cy_GB: ['Cardiff', 'Swansea', 'Aberystwyth', 'Bangor'], de_DE: ['Leipzig', 'Köln', 'Bremen', 'Freiburg'], fa_IR: ['تهران', 'اصفهان', 'شیراز'],
  fr_FR: ['Lyon', 'Nantes', 'Rennes', 'Lille'], it_IT: ['Torino', 'Bologna', 'Bari', 'Verona'], nl_NL: ['Utrecht', 'Groningen', 'Delft', 'Zwolle'],
  pt_BR: ['Recife', 'Curitiba', 'Belém', 'Campinas'], pt_PT: ['Porto', 'Braga', 'Coimbra', 'Faro'], tr_TR: ['İzmir', 'Bursa', 'Ankara', 'Eskişehir'],
  zh_CN: ['杭州市', '成都市', '南京市', '武汉市'],
};

// Look-alikes of our own making (never from the crate): products, cities, months, code identifiers, versions, ids,
// drug doses, meeting dates.
const PRODUCTS = ['Notion AI', 'MacBook Air M3', 'Dynamics 365', 'Fire TV Stick', 'Nintendo Switch OLED', 'Salesforce Einstein', 'Tableau Cloud', 'Zoom Rooms', 'Garmin Forerunner 265', 'iPad mini'];
const CITIES = ['Glasgow', 'Seville', 'Dortmund', 'Kyoto', 'Porto Alegre', 'Antwerp', 'Lyon', 'Dublin', 'Melbourne', 'Bergen'];
const CODE = ['OrderService.submit()', 'fetchInvoiceById', 'customer_address_line', 'PersonNameFormatter', 'validate_dob()', 'PhoneField.tsx', 'UserRepository', 'billing.street_2'];
const PROJECTS = ['Project Falcon', 'Atlas migration', 'Q3 pricing review', 'Helios rollout', 'Orion dashboard', 'Kestrel API'];
const DRUGS = ['Metformin 500 mg', 'Atorvastatin 20 mg', 'Lisinopril 10 mg', 'Amoxicillin 875 mg', 'Ibuprofen 400 mg', 'Levothyroxine 50 mcg'];

function lookalikes(r: Rng) {
  const y = r.int(2024, 2026);
  const mo = String(r.int(1, 12)).padStart(2, '0');
  const d = String(r.int(1, 28)).padStart(2, '0');
  return {
    product: r.pick(PRODUCTS),
    city: r.pick(CITIES),
    month: r.pick(MONTHS.en!),
    code: r.pick(CODE),
    project: r.pick(PROJECTS),
    drug: r.pick(DRUGS),
    version: `v${r.int(1, 9)}.${r.int(0, 30)}.${r.int(0, 20)}`,
    order: r.pick([`SO-${y}${mo}-${r.int(1000, 9999)}`, `INV/${y}/${r.int(10000, 99999)}`, `#A${r.int(100000, 999999)}`, `Order ${r.int(20000000, 29999999)}`]),
    employeeId: `E-${r.int(10000, 99999)}`,
    mrn: `MRN ${r.int(1000000, 9999999)}`,
    bp: `${r.int(105, 150)}/${r.int(65, 95)} mmHg`,
    sha: [...Array(7)].map(() => '0123456789abcdef'[r.int(0, 15)]).join(''),
    isoDate: `${y}-${mo}-${d}`,
    euDate: `${d}.${mo}.${y}`,
    slashDate: `${d}/${mo}/${y}`,
    icsStamp: `${y}${mo}${d}T${String(r.int(7, 18)).padStart(2, '0')}${r.pick(['00', '15', '30', '45'])}00Z`,
    time: `${String(r.int(7, 22)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}`,
    amount: r.pick([`€${r.int(100, 9999)},00`, `$${r.int(10, 999)}.${r.int(10, 99)}`, `£${r.int(1000, 99999)}`, `${r.int(1000, 90000)} TL`]),
    hours: `${r.int(2, 60)} h`,
  };
}

const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u;

export function buildHeldout3(seed = 20261203): Heldout3Row[] {
  const { locales } = loadHeldout3();
  const locs = Object.keys(locales).sort();
  const withPhones = locs.filter((l) => locales[l]!.phones?.length);
  const withStreets = locs.filter((l) => locales[l]!.streets?.length);
  const latin = locs.filter((l) => /^[\p{Script=Latin}' .-]+$/u.test(locales[l]!.first[0]!));
  const r = rng(seed);
  const rows: Heldout3Row[] = [];

  type Who = { loc: string; first: string; last: string; full: string; phone: string; street: string; postcode: string; city: string; dob: string; dateFmt: string };
  /** Someone from `pool`; a field the person's locale lacks is taken from another locale that has it. */
  const who = (pool: string[] = locs): Who => {
    const loc = r.pick(pool);
    const l = locales[loc]!;
    const first = r.pick(l.first);
    const last = r.pick(l.last);
    const full = CJK.test(first) ? `${last}${first}` : `${first} ${last}`;
    const phoneLoc = l.phones?.length ? loc : r.pick(withPhones);
    const streetLoc = l.streets?.length ? loc : r.pick(withStreets);
    const st = r.pick(locales[streetLoc]!.streets!);
    return {
      loc, first, last, full,
      phone: r.pick(locales[phoneLoc]!.phones!),
      street: st.street, postcode: st.postcode, city: r.pick(CITY[streetLoc]!),
      dob: r.pick(l.dates), dateFmt: l.date_format ?? DATE_FORMAT[loc] ?? '%d/%m/%Y',
    };
  };
  /** The locale the person's phone or street came from (it can differ from the name's). */
  const phoneLoc = (w: Who) => locs.find((l) => locales[l]!.phones?.includes(w.phone)) ?? w.loc;
  const streetLoc = (w: Who) => locs.find((l) => locales[l]!.streets?.some((s) => s.street === w.street)) ?? w.loc;
  type P = (type: PlantedType, value: string, loc: string) => string;
  const add = (cls: string, build: (p: P, k: (s: string) => string) => string) => {
    const pii: Planted[] = [];
    const keep: string[] = [];
    const text = build((type, value, loc) => (pii.push({ type, value, loc }), value), (s) => (keep.push(s), s));
    rows.push({ cls, text, pii, keep: keep.filter((x) => text.includes(x)) });
  };
  const name = (p: P, w: Who, form: 'full' | 'first' | 'last' | 'lastFirst' = 'full') =>
    form === 'first' ? p('PERSON', w.first, w.loc) : form === 'last' ? p('PERSON', w.last, w.loc) : form === 'lastFirst' && !CJK.test(w.first) ? p('PERSON', `${w.last}, ${w.first}`, w.loc) : p('PERSON', w.full, w.loc);
  const phone = (p: P, w: Who) => p('PHONE', w.phone, phoneLoc(w));
  const street = (p: P, w: Who) => p('STREET_ADDRESS', w.street, streetLoc(w));
  const place = (w: Who) => (w.postcode ? `${w.postcode} ${w.city}` : w.city);
  const dob = (p: P, w: Who, lang = 'en') =>
    p('DATE_OF_BIRTH', r.pick([
      strftime(w.dob, w.dateFmt, lang),
      w.dob,
      lang === 'en' ? strftime(w.dob, '%e %B %Y') : strftime(w.dob, w.dateFmt, lang),
      lang === 'en' ? strftime(w.dob, '%B %e, %Y') : strftime(w.dob, lang === 'de' ? '%e. %B %Y' : '%e %B %Y', lang),
    ]), w.loc);
  const N = 40;

  // meeting minutes with attendee lists
  for (let i = 0; i < N; i++) {
    const a = who(), b = who(), c = who(latin), d = who();
    const L = lookalikes(r);
    add('meeting minutes', (p, k) => r.pick([
      () => `Minutes — ${k(L.project)} weekly sync, ${k(L.isoDate)}\nAttendees: ${name(p, a)}, ${name(p, b)}, ${name(p, c)}\nApologies: ${name(p, d)}\nChair: ${name(p, c, 'first')}\n\n1. Status of ${k(L.version)}: on track.\n2. AOB: the ${k(L.product)} licence renews in ${k(L.month)}.\nACTION ${name(p, a, 'first')}: send the draft to ${name(p, b, 'first')} by Friday.`,
      () => `MEETING NOTES\nDate: ${k(L.euDate)}   Location: ${k(L.city)} office, room 4B\nPresent:\n - ${name(p, a)} (chair)\n - ${name(p, b)}\n - ${name(p, d)}\nAbsent: ${name(p, c)}\n\nDecisions: migrate ${k(L.code)} before ${k(L.month)}.\nNext meeting: ${k(L.slashDate)}`,
      () => `Protokoll der Teamsitzung vom ${k(L.euDate)}\nTeilnehmende: ${name(p, a)}, ${name(p, b)}, ${name(p, d)}\nEntschuldigt: ${name(p, c)}\nProtokoll: ${name(p, a, 'last')}\nTOP 1: Budget ${k(L.amount)} für ${k(L.project)} freigegeben.`,
    ])());
  }
  // clinical notes
  for (let i = 0; i < N; i++) {
    const a = who(), doc = who(latin);
    const L = lookalikes(r);
    add('clinical note', (p, k) => r.pick([
      () => `PATIENT: ${name(p, a, 'lastFirst')}    DOB: ${dob(p, a)}    ${k(L.mrn)}\nVisit ${k(L.isoDate)}. Pt presents with intermittent chest pain x3 days. BP ${k(L.bp)}.\nMeds: ${k(L.drug)} daily.\nPlan: ECG, follow-up in 2 weeks with Dr. ${name(p, doc, 'last')}.\nContact: ${phone(p, a)}`,
      () => `Progress note (${k(L.slashDate)})\n${name(p, a)}, born ${dob(p, a)}, seen at home (${street(p, a)}, ${place(a)}). Reports improved mobility since starting ${k(L.drug)}.\nNext of kin: ${name(p, doc)}, tel ${phone(p, doc)}.`,
      () => `Referral letter\nRe: ${name(p, a)} (d.o.b. ${dob(p, a)})\nDear Dr ${name(p, doc, 'last')},\nthank you for seeing this patient, referred for dermatology review. Current medication ${k(L.drug)}. Patient can be reached on ${phone(p, a)}.`,
    ])());
  }
  // HR performance reviews
  for (let i = 0; i < N; i++) {
    const a = who(), m = who();
    const L = lookalikes(r);
    add('HR review', (p, k) => r.pick([
      () => `Performance review ${k(L.month)} ${L.isoDate.slice(0, 4)}\nEmployee: ${name(p, a)} (${k(L.employeeId)})\nManager: ${name(p, m)}\nRating: Exceeds expectations\n\n${name(p, a, 'first')} led ${k(L.project)} and shipped ${k(L.version)} ahead of plan. ${name(p, m, 'first')} recommends promotion.`,
      () => `Annual appraisal — confidential\nName: ${name(p, a, 'lastFirst')}\nDate of birth: ${dob(p, a)}\nHome address: ${street(p, a)}, ${place(a)}\nReviewer: ${name(p, m)}\nGoals for next year: own ${k(L.code)} end to end; mentor two juniors.`,
      () => `360 feedback for ${name(p, a)}\n"${name(p, a, 'first')} is always the first to help on ${k(L.project)}." — ${name(p, m)}\nOvertime logged: ${k(L.hours)}. Emergency contact ${phone(p, a)}.`,
    ])());
  }
  // contract party blocks
  for (let i = 0; i < N; i++) {
    const a = who(), b = who();
    const L = lookalikes(r);
    add('contract parties', (p, k) => r.pick([
      () => `SERVICE AGREEMENT\nThis Agreement is made on ${k(L.isoDate)} between:\n(1) ${p('PERSON', a.full.toUpperCase(), a.loc)}, born ${dob(p, a)}, residing at ${street(p, a)}, ${place(a)} (the "Client"); and\n(2) ${k(L.product)} Services Ltd, registered office ${k(L.city)} (the "Provider").\nFee: ${k(L.amount)}. Ref ${k(L.order)}.`,
      () => `Mietvertrag\nZwischen ${name(p, a)}, geboren am ${dob(p, a, 'de')}, wohnhaft ${street(p, a)}, ${place(a)}\n– nachfolgend „Vermieter" –\nund ${name(p, b)}, Tel. ${phone(p, b)}\n– nachfolgend „Mieter" –\nwird folgender Vertrag geschlossen. Monatsmiete ${k(L.amount)}.`,
      () => `CONTRAT DE PRESTATION\nEntre les soussignés :\n${name(p, a)}, né(e) le ${dob(p, a, 'fr')}, demeurant ${street(p, a)}, ${place(a)},\nci-après « le Client »,\net ${name(p, b)}, joignable au ${phone(p, b)}, ci-après « le Prestataire ».\nFait à ${k(L.city)}, le ${k(L.euDate)}.`,
    ])());
  }
  // git commit trailers
  for (let i = 0; i < N; i++) {
    const a = who(), b = who(), c = who(latin);
    const L = lookalikes(r);
    add('git trailers', (p, k) => r.pick([
      () => `commit ${k(L.sha)}\nAuthor: ${name(p, a)} <dev${i}a@example.com>\nDate:   ${k(L.isoDate)} ${k(L.time)}:00 +0100\n\n    fix(${k(L.code)}): handle empty street line\n\n    Co-authored-by: ${name(p, b)} <dev${i}b@example.org>\n    Signed-off-by: ${name(p, a)} <dev${i}a@example.com>`,
      () => `Bump ${k(L.version)}\n\nReviewed-by: ${name(p, c)} <r${i}@example.net>\nReported-by: ${name(p, b)}\nSigned-off-by: ${name(p, a)} <s${i}@example.com>`,
      () => `Merge pull request #${r.int(100, 9999)} from team/${k(L.code.replace(/[^\w]/g, '-').toLowerCase())}\n\nCo-authored-by: ${name(p, a)} <${i}+a@users.example.com>\nCo-authored-by: ${name(p, b)} <${i}+b@users.example.com>`,
    ])());
  }
  // ICS invites
  for (let i = 0; i < N; i++) {
    const a = who(), b = who(), c = who();
    const L = lookalikes(r);
    add('ICS invite', (p, k) => r.pick([
      () => `BEGIN:VEVENT\nUID:${k(L.sha)}-${i}@cal.example.com\nDTSTART:${k(L.icsStamp)}\nSUMMARY:${k(L.project)} kickoff\nORGANIZER;CN=${name(p, a)}:mailto:o${i}@example.com\nATTENDEE;CN=${name(p, b)};ROLE=REQ-PARTICIPANT:mailto:b${i}@example.com\nATTENDEE;CN="${name(p, c)}";PARTSTAT=ACCEPTED:mailto:c${i}@example.org\nLOCATION:${street(p, a).replace(/,/g, '\\,')}\\, ${place(a)}\nEND:VEVENT`,
      () => `BEGIN:VEVENT\nDTSTART;TZID=Europe/Paris:${k(L.icsStamp.slice(0, -1))}\nSUMMARY:Call with ${name(p, b)}\nDESCRIPTION:Dial ${phone(p, b)} at ${k(L.time)}\\nAgenda: ${k(L.product)} renewal\nATTENDEE;CN=${name(p, a)};RSVP=TRUE:mailto:a${i}@example.com\nEND:VEVENT`,
    ])());
  }
  // WhatsApp chat exports
  for (let i = 0; i < N; i++) {
    const a = who(), b = who(latin);
    const L = lookalikes(r);
    const [dd, mm, yy] = L.slashDate.split('/');
    add('WhatsApp export', (p, k) => r.pick([
      () => `[${dd}/${mm}/${yy!.slice(2)}, ${L.time}:12] ${name(p, a)}: can you pick up the ${k(L.product)}?\n[${dd}/${mm}/${yy!.slice(2)}, ${L.time}:40] ${name(p, b)}: sure, where?\n[${dd}/${mm}/${yy!.slice(2)}, ${L.time}:58] ${name(p, a)}: ${street(p, a)}, ${place(a)}. ring me on ${phone(p, a)}`,
      () => `${dd}/${mm}/${yy}, ${L.time} - ${name(p, b)}: happy birthday!!! 🎉\n${dd}/${mm}/${yy}, ${L.time} - ${name(p, a)}: thanks 😊 can't believe it, ${dob(p, a)} feels like yesterday\n${dd}/${mm}/${yy}, ${L.time} - ${name(p, b)}: see you in ${k(L.city)}`,
      () => `[${dd}.${mm}.${yy}, ${L.time}:03] ${name(p, a, 'first')}: neue Nummer: ${phone(p, a)}\n[${dd}.${mm}.${yy}, ${L.time}:09] ${name(p, b, 'first')}: 👍 und die Adresse?\n[${dd}.${mm}.${yy}, ${L.time}:11] ${name(p, a, 'first')}: ${street(p, a)}`,
    ])());
  }
  // Markdown tables
  for (let i = 0; i < N / 2; i++) {
    const people = [who(), who(), who()];
    const L = lookalikes(r);
    const shape = r.int(0, 2);
    add('Markdown table', (p, k) => {
      const head = ['| Name | Phone | Address | Team |\n|---|---|---|---|', '| Employee | Date of birth | Start date | Owner of |\n|:--|:--|:--|:--|', '| Contact | Mobile | Birthday | Ticket |\n| --- | --- | --- | --- |'][shape]!;
      const lines = people.map((w) => {
        if (shape === 0) return `| ${name(p, w)} | ${phone(p, w)} | ${street(p, w)}, ${place(w)} | ${k(L.project)} |`;
        if (shape === 1) return `| ${name(p, w)} | ${dob(p, w)} | ${k(L.isoDate)} | \`${k(L.code)}\` |`;
        return `| ${name(p, w, 'lastFirst')} | ${phone(p, w)} | ${dob(p, w)} | ${k(L.order)} |`;
      });
      return `${head}\n${lines.join('\n')}`;
    });
  }
  // code comments
  for (let i = 0; i < N; i++) {
    const a = who(), b = who(latin);
    const L = lookalikes(r);
    add('code comment', (p, k) => r.pick([
      () => `/**\n * Formats the billing block for ${k(L.code)}.\n *\n * @author ${name(p, a)} <a${i}@example.com>\n * @since ${k(L.version)}\n */\nexport function formatBilling() {}`,
      () => `# TODO(${name(p, b, 'first').toLowerCase()}): remove after ${k(L.version)}\n# Maintainer: ${name(p, a)}\n# test fixture below uses a real customer, ask ${name(p, b)} before changing\nCUSTOMER_PHONE = "${phone(p, a)}"`,
      () => `def test_address_parser():\n    """Regression for ${k(L.order)}, reported by ${name(p, a)}."""\n    assert parse("${street(p, b)}") is not None  # ${k(L.code)}`,
      () => `// Copyright ${L.isoDate.slice(0, 4)} ${name(p, a)}. Licensed under MIT.\n// Contributors: ${name(p, b)}, ${name(p, a, 'first')}\nconst DEFAULT_CITY = "${k(L.city)}";`,
    ])());
  }
  // social posts
  for (let i = 0; i < N; i++) {
    const a = who(), b = who(latin);
    const L = lookalikes(r);
    add('social post', (p, k) => r.pick([
      () => `Happy birthday to my amazing sister ${name(p, a, 'first')}! 🎂 Born ${dob(p, a)} and still the loudest person in ${k(L.city)} 😂 #family #${k(L.month.toLowerCase())}`,
      () => `So proud of ${name(p, a)} for finishing the ${k(L.city)} marathon! 🏃‍♀️ Tag her and say congrats 👏`,
      () => `Lost dog near ${street(p, a)}!! answers to Biscuit. if you see him call ${phone(p, a)} 🙏 pls share`,
      () => `Thrilled to announce I've joined ${k(L.product)} as Head of Design! Huge thanks to ${name(p, b)} and ${name(p, a)} for the support. #newjob`,
      () => `@${name(p, b, 'first').toLowerCase()} you left your jacket at ${name(p, a, 'first')}'s place lol`,
    ])());
  }
  // prose in other languages (the person's own locale where it has the language, any locale otherwise)
  const PROSE: Array<[string, string[], (p: P, k: (s: string) => string, w: Who, v: Who, L: ReturnType<typeof lookalikes>) => string]> = [
    ['de', ['de_DE'], (p, k, w, v, L) => `Sehr geehrte Damen und Herren,\nFrau ${name(p, w)} (geb. ${dob(p, w, 'de')}) wohnt seit ${k(L.month)} in der ${street(p, w)}, ${place(w)}, und ist unter ${phone(p, w)} erreichbar. Rückfragen bitte an Herrn ${name(p, v, 'last')}.`],
    ['fr', ['fr_FR'], (p, k, w, v, L) => `Bonjour,\nMme ${name(p, w)}, née le ${dob(p, w, 'fr')}, habite ${street(p, w)}, ${place(w)}. Vous pouvez la joindre au ${phone(p, w)}. Dossier suivi par M. ${name(p, v, 'last')} (réf. ${k(L.order)}).`],
    ['es', [], (p, k, w, v, L) => `Estimado cliente:\nLa Sra. ${name(p, w)}, nacida el ${dob(p, w, 'es')}, con domicilio en ${street(p, w)}, ${place(w)}, solicitó el ${k(L.product)}. Teléfono de contacto: ${phone(p, w)}. Atentamente, ${name(p, v)}.`],
    ['pt', ['pt_BR', 'pt_PT'], (p, k, w, v, L) => `Prezados,\no Sr. ${name(p, w)}, nascido em ${dob(p, w, 'pt')}, residente na ${street(p, w)}, ${place(w)}, telefone ${phone(p, w)}, pediu a segunda via da fatura ${k(L.order)}. Att., ${name(p, v)}`],
    ['it', ['it_IT'], (p, k, w, v, L) => `Gentile cliente,\nil sig. ${name(p, w)}, nato il ${dob(p, w, 'it')}, residente in ${street(p, w)}, ${place(w)}, tel. ${phone(p, w)}, ha prenotato per ${k(L.month)}. Cordiali saluti, ${name(p, v)}`],
    ['nl', ['nl_NL'], (p, k, w, v, L) => `Beste ${name(p, v, 'first')},\nmevrouw ${name(p, w)}, geboren op ${dob(p, w, 'nl')}, woont aan de ${street(p, w)}, ${place(w)} en is bereikbaar op ${phone(p, w)}. Zaaknummer ${k(L.order)}.`],
    ['tr', ['tr_TR'], (p, k, w, v, L) => `Sayın ${name(p, w)},\ndoğum tarihiniz ${dob(p, w, 'en')} olarak kayıtlıdır. Adres: ${street(p, w)}, ${place(w)}. Telefon: ${phone(p, w)}. Sipariş ${k(L.order)} ${k(L.month)} ayında teslim edilecektir.`],
    ['ja', ['ja_JP'], (p, k, w, v, L) => `${name(p, w)}様（生年月日：${p('DATE_OF_BIRTH', strftime(w.dob, '%Y年%m月%d日'), w.loc)}）\nご住所：${street(p, w)}\nお電話番号：${phone(p, w)}\n担当：${name(p, v)}（${k(L.product)}サポート）`],
    ['zh', ['zh_CN', 'zh_TW'], (p, k, w, v, L) => `${name(p, w)}先生，出生日期${p('DATE_OF_BIRTH', strftime(w.dob, '%Y年%m月%d日'), w.loc)}，住址${street(p, w)}，联系电话${phone(p, w)}。订单号${k(L.order)}，负责人${name(p, v)}。`],
  ];
  for (let i = 0; i < N * 2; i++) {
    const [lang, own, build] = PROSE[i % PROSE.length]!;
    const ownLocs = own.filter((l) => locs.includes(l));
    const w = who(ownLocs.length && r.next() < 0.75 ? ownLocs : locs);
    const v = who(ownLocs.length ? ownLocs : latin);
    const L = lookalikes(r);
    add(`prose (${lang})`, (p, k) => build(p, k, w, v, L));
  }
  // phones and addresses inline in English sentences
  for (let i = 0; i < N; i++) {
    const a = who();
    const L = lookalikes(r);
    add('inline sentence', (p, k) => r.pick([
      () => `Drop the ${k(L.product)} off at ${street(p, a)} before noon, or ring ${phone(p, a)} if the gate is shut.`,
      () => `The courier tried ${street(p, a)} twice on ${k(L.month)} 3rd; the number on file, ${phone(p, a)}, went to voicemail.`,
      () => `We moved! New office: ${street(p, a)}, ${place(a)}. Same team, same ${k(L.version)} release train.`,
      () => `If the invoice ${k(L.order)} is wrong, call accounts on ${phone(p, a)} and quote ${k(L.employeeId)}.`,
      () => `My grandmother was born on ${dob(p, a)} in a house on ${street(p, a)} — it's a bakery now.`,
    ])());
  }
  return rows;
}
