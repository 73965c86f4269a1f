/**
 * Held-out corpus 4: names, phone numbers, street lines and birth dates from two sources independent of every source
 * the detector learned from and of corpora 1-3 (Python Faker, mimesis, the Rust crate fake): the Java library jfairy
 * 0.6.5 (9 locales: names, phones, streets, postcodes, cities) and the PyPI names-dataset 3.3.1 (real names of 7 more
 * countries, in their own scripts). See eval/pii-heldout4-extract.java and eval/pii-heldout4-extract-names.py; the
 * values are in eval/data/pii-heldout4.json. They are put into text styles none of corpora 1-3 uses: support-ticket
 * transcripts, SMS threads, shipping and customs forms, SQL INSERT dumps, YAML configs, key=value log lines, LaTeX
 * letters, SRT subtitles, police reports, school rosters, travel itineraries, podcast show notes, Slack threads, and
 * prose in Polish, Swedish, Russian, Indonesian, Korean, Greek, Georgian and Hebrew. Deterministic (seeded). The
 * templates and values were committed before the detector was first run on them and are not adjusted to its results.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../services/common/paths.js';
import { CJK, rng, type HeldoutRow, type PlantedValue } from './heldout-common.js';
import { strftime } from './pii-heldout3.js';

export type PlantedType = 'PERSON' | 'PHONE' | 'STREET_ADDRESS' | 'DATE_OF_BIRTH';

export interface Street {
  street: string;
  postcode: string;
  city: string;
}

export interface LocaleData {
  first: string[];
  last: string[];
  /** jfairy locales only. */
  phones?: string[];
  streets?: Street[];
  dates: string[];
}

export interface Heldout4Data {
  sources: Array<{ source: string; version: string; licence: string; locales: string[] }>;
  locales: Record<string, LocaleData>;
}

export function loadHeldout4(): Heldout4Data {
  return JSON.parse(readFileSync(join(repoRoot(), 'eval', 'data', 'pii-heldout4.json'), 'utf8')) as Heldout4Data;
}

type Rng = ReturnType<typeof rng>;

// Month names where the texts write them (ours; Polish and Russian in the genitive, as dates use them).
const MONTHS: Record<string, string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  pl: ['stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca', 'lipca', 'sierpnia', 'września', 'października', 'listopada', 'grudnia'],
  sv: ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'],
  ru: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'],
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
};
/** strftime with %B in `lang` (the months of MONTHS). */
const dateIn = (iso: string, fmt: string, lang = 'en') => strftime(iso, fmt.replace(/%B/g, MONTHS[lang]![+iso.split('-')[1]! - 1]!));

// How each locale writes a date (ours, from the countries' usage; neither source says).
const DATE_FORMAT: Record<string, string> = {
  de: '%d.%m.%Y', en: '%m/%d/%Y', es: '%d/%m/%Y', fr: '%d/%m/%Y', it: '%d/%m/%Y', ka: '%d.%m.%Y', pl: '%d.%m.%Y', sv: '%Y-%m-%d', zh: '%Y年%m月%d日',
  el_GR: '%d/%m/%Y', en_IN: '%d-%m-%Y', he_IL: '%d.%m.%Y', id_ID: '%d-%m-%Y', ja_JP_latn: '%Y/%m/%d', ko_KR: '%Y. %m. %d.', ru_RU: '%d.%m.%Y',
};

// Look-alikes of our own making (never from either source): products, cities, months, code identifiers, versions,
// order, ticket, tracking and flight ids, HS codes, dates and times that are not births.
const PRODUCTS = ['Galaxy Tab S9', 'Kindle Paperwhite', 'AirPods Pro 2', 'Surface Laptop 5', 'PlayStation 5 Slim', 'Dyson V15', 'Jira Service Management', 'Office 365', 'Pixel 8a', 'ThinkPad X1 Carbon'];
const CITIES = ['Gdańsk', 'Uppsala', 'Tbilisi', 'Valencia', 'Marseille', 'Hamburg', 'Napoli', 'Chengdu', 'Jakarta', 'Busan', 'Thessaloniki', 'Haifa', 'Kazan', 'Pune'];
const CODE = ['CustomerProfile.update()', 'shipment_recipient_name', 'resolvePhoneNumber', 'AddressLine2', 'birth_date_col', 'UserContactCard.vue', 'ticket_assignee_id', 'parse_postcode()'];
const CHANNELS = ['#eng-payments', '#support-escalations', '#release-train', '#ops-oncall', '#design-crit'];
const CONTENTS = ['printed books', 'cotton T-shirts', 'phone case (silicone)', 'ceramic mugs', 'spare parts for bicycle', 'tea samples'];

function lookalikes(r: Rng) {
  const y = r.int(2024, 2026);
  const mo = String(r.int(1, 12)).padStart(2, '0');
  const d = String(r.int(1, 28)).padStart(2, '0');
  const hh = String(r.int(7, 22)).padStart(2, '0');
  const mm = String(r.int(0, 59)).padStart(2, '0');
  return {
    product: r.pick(PRODUCTS),
    city: r.pick(CITIES),
    month: r.pick(MONTHS.en!),
    code: r.pick(CODE),
    channel: r.pick(CHANNELS),
    contents: r.pick(CONTENTS),
    version: `${r.int(1, 9)}.${r.int(0, 30)}.${r.int(0, 20)}`,
    order: r.pick([`ORD-${y}-${r.int(100000, 999999)}`, `#${r.int(1000000, 9999999)}`, `PO ${r.int(40000, 49999)}/${y}`]),
    ticket: `${r.pick(['SUP', 'HD', 'CS'])}-${r.int(10000, 99999)}`,
    tracking: `${r.pick(['RR', 'LX', 'CP'])}${r.int(100000000, 999999999)}${r.pick(['PL', 'SE', 'DE', 'CN'])}`,
    hs: `${r.int(3900, 9600)}.${String(r.int(10, 99))}`,
    flight: `${r.pick(['LO', 'SK', 'LH', 'IB', 'AF', 'CA', 'KE', 'A3'])} ${r.int(100, 2999)}`,
    pnr: [...Array(6)].map(() => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[r.int(0, 31)]).join(''),
    isoDate: `${y}-${mo}-${d}`,
    euDate: `${d}.${mo}.${y}`,
    time: `${hh}:${mm}`,
    stamp: `${y}-${mo}-${d}T${hh}:${mm}:${String(r.int(0, 59)).padStart(2, '0')}Z`,
    weight: `${r.int(1, 30)}.${r.int(0, 9)} kg`,
    amount: r.pick([`${r.int(20, 900)},${r.int(10, 99)} zł`, `${r.int(100, 9000)} kr`, `€${r.int(10, 999)}.${r.int(10, 99)}`, `$${r.int(10, 999)}`, `₽${r.int(1000, 90000)}`]),
    room: `${r.pick(['Room', 'Sala', 'Rum'])} ${r.int(100, 499)}`,
    episode: `Episode ${r.int(40, 320)}`,
    grade: `${r.int(1, 8)}${r.pick(['A', 'B', 'C'])}`,
    srtStart: `00:${String(r.int(0, 59)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')},${String(r.int(0, 999)).padStart(3, '0')}`,
    caseNo: `${r.pick(['KRP', 'RB', 'CR'])}-${y}-${r.int(1000, 99999)}`,
  };
}

export function buildHeldout4(seed = 20261204): HeldoutRow[] {
  const { locales } = loadHeldout4();
  const locs = Object.keys(locales).sort();
  const withPhones = locs.filter((l) => locales[l]!.phones?.length);
  const withStreets = locs.filter((l) => locales[l]!.streets?.length);
  const latin = locs.filter((l) => /^[\p{Script=Latin}' .-]+$/u.test(locales[l]!.first[0]!));
  const r = rng(seed);
  const rows: HeldoutRow[] = [];

  type Who = { loc: string; first: string; last: string; full: string; phone: string; phoneLoc: string; st: Street; streetLoc: string; dob: string; dateFmt: string };
  /** Someone from `pool`; a field the person's locale lacks is taken from a jfairy locale that has it. */
  const who = (pool: string[] = locs): Who => {
    const loc = r.pick(pool);
    const l = locales[loc]!;
    const first = r.pick(l.first);
    // ko_KR has given names only (see the extractor): the name is written as the given name alone
    const last = l.last.length ? r.pick(l.last) : '';
    const full = !last ? first : CJK.test(first) ? `${last}${first}` : `${first} ${last}`;
    const phoneLoc = l.phones?.length ? loc : r.pick(withPhones);
    const streetLoc = l.streets?.length ? loc : r.pick(withStreets);
    return {
      loc, first, last: last || first, full,
      phone: r.pick(locales[phoneLoc]!.phones!), phoneLoc,
      st: r.pick(locales[streetLoc]!.streets!), streetLoc,
      dob: r.pick(l.dates), dateFmt: DATE_FORMAT[loc] ?? '%d/%m/%Y',
    };
  };
  type P = (type: PlantedType, value: string, loc: string) => string;
  const add = (cls: string, build: (p: P, k: (s: string) => string) => string) => {
    const pii: PlantedValue[] = [];
    const keep: string[] = [];
    const text = build((type, value, loc) => (pii.push({ type, value, loc }), value), (s) => (keep.push(s), s));
    rows.push({ cls, text, pii, keep: keep.filter((x) => text.includes(x)) });
  };
  const name = (p: P, w: Who, form: 'full' | 'first' | 'last' | 'upper' = 'full') =>
    form === 'first' ? p('PERSON', w.first, w.loc) : form === 'last' ? p('PERSON', w.last, w.loc) : form === 'upper' ? p('PERSON', w.full.toUpperCase(), w.loc) : p('PERSON', w.full, w.loc);
  const phone = (p: P, w: Who) => p('PHONE', w.phone, w.phoneLoc);
  const street = (p: P, w: Who) => p('STREET_ADDRESS', w.st.street, w.streetLoc);
  // the second address line as the locale writes it (context, not a planted value)
  const place = (w: Who) =>
    w.streetLoc === 'en' ? `${w.st.city} ${w.st.postcode}` : w.streetLoc === 'ka' ? `${w.st.postcode}, ${w.st.city}` : w.streetLoc === 'zh' ? `${w.st.city} 邮编 ${w.st.postcode}` : `${w.st.postcode} ${w.st.city}`;
  const dob = (p: P, w: Who, lang = 'en') =>
    p('DATE_OF_BIRTH', r.pick([
      strftime(w.dob, w.dateFmt),
      w.dob,
      lang === 'en' ? dateIn(w.dob, '%e %B %Y') : MONTHS[lang] ? dateIn(w.dob, '%e %B %Y', lang) : strftime(w.dob, w.dateFmt),
      lang === 'en' ? dateIn(w.dob, '%B %e, %Y') : strftime(w.dob, w.dateFmt),
    ]), w.loc);
  const handle = (w: Who) => (latin.includes(w.loc) ? `${w.first}.${w.last}`.toLowerCase() : `user${r.int(100, 999)}`);
  const N = 24;

  // support-ticket transcripts
  for (let i = 0; i < N; i++) {
    const a = who(), agent = who(latin);
    const L = lookalikes(r);
    add('support ticket', (p, k) => r.pick([
      () => `Ticket ${k(L.ticket)} — "${k(L.product)} will not pair"\nRequester: ${name(p, a)}\nAssignee: ${name(p, agent)}\nPriority: normal · Created ${k(L.stamp)}\n\n[${k(L.time)}] ${name(p, a, 'first')}: it stopped working after the ${k(L.version)} update\n[${L.time}] ${name(p, agent, 'first')} (agent): Sorry about that! Can you confirm the shipping address for the replacement?\n[${L.time}] ${name(p, a, 'first')}: ${street(p, a)}, ${place(a)}, phone ${phone(p, a)}`,
      () => `#${k(L.ticket)} | Status: Pending | Order ${k(L.order)}\nCustomer wrote:\n> Hi, this is ${name(p, a)}. My date of birth on the account is wrong, it should be ${dob(p, a)}.\nAgent ${name(p, agent, 'first')} replied:\n> Hi ${name(p, a, 'first')}, fixed. Anything else about your ${k(L.product)}?`,
      () => `Live chat transcript (${k(L.isoDate)})\nVisitor: ${name(p, a)}\nOperator: ${name(p, agent)}\nVisitor: callback please on ${phone(p, a)}, after ${k(L.time)}\nOperator: Noted, ${name(p, a, 'first')}. Reference ${k(L.ticket)}.`,
    ])());
  }
  // SMS threads
  for (let i = 0; i < N; i++) {
    const a = who(), b = who();
    const L = lookalikes(r);
    add('SMS thread', (p, k) => r.pick([
      () => `Messages with ${name(p, a)}\n${phone(p, a)}\n\nToday ${k(L.time)}\n< hey it's ${name(p, a, 'first')}, new number. save it\n> ok! still at ${street(p, a)}?\n< yes, buzzer 3`,
      () => `SMS from ${phone(p, b)} (${k(L.euDate)} ${L.time}):\nYour parcel ${k(L.tracking)} for ${name(p, b)} is out for delivery to ${street(p, b)}. Reply STOP to opt out.`,
      () => `${name(p, a, 'first')}: did u send the form\n${name(p, b, 'first')}: yes, put my bday as ${dob(p, b)} right?\n${name(p, a, 'first')}: yep. see u in ${k(L.city)} on ${k(L.month)} 4`,
    ])());
  }
  // shipping and customs forms
  for (let i = 0; i < N; i++) {
    const s = who(), t = who();
    const L = lookalikes(r);
    add('customs form', (p, k) => r.pick([
      () => `CUSTOMS DECLARATION CN22\nFrom: ${name(p, s, 'upper')}\n      ${street(p, s)}\n      ${place(s)}\nTo:   ${name(p, t)}\n      ${street(p, t)}\n      ${place(t)}\n      Tel. ${phone(p, t)}\nContents: ${k(L.contents)}   HS tariff no. ${k(L.hs)}   Weight ${k(L.weight)}   Value ${k(L.amount)}\nTracking: ${k(L.tracking)}`,
      () => `SHIPPING LABEL\nSHIP TO: ${name(p, t)}\n${street(p, t)}\n${place(t)}\nPHONE: ${phone(p, t)}\nREF: ${k(L.order)}  SERVICE: Express  PIECES: 1  ${k(L.weight)}`,
      () => `Sender / Expéditeur: ${name(p, s)}, ${street(p, s)}, ${place(s)}\nRecipient / Destinataire: ${name(p, t)}, tel ${phone(p, t)}\nDescription: ${k(L.contents)} (${k(L.hs)}), posted ${k(L.euDate)}`,
    ])());
  }
  // SQL INSERT dumps
  for (let i = 0; i < N; i++) {
    const ps = [who(), who(), who()];
    const L = lookalikes(r);
    // a SQL string literal: the value is planted as the dump writes it, with a quote doubled (`D''Angelo`)
    const q = (p: P, type: PlantedType, value: string, loc: string) => `'${p(type, value.replace(/'/g, "''"), loc)}'`;
    const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
    add('SQL dump', (p, k) => r.pick([
      () => `-- dump of crm.customers, ${k(L.stamp)}\nINSERT INTO customers (id, first_name, last_name, phone, street, postcode, city, date_of_birth) VALUES\n${ps.map((w, j) => `  (${r.int(1000, 9999) + j}, ${q(p, 'PERSON', w.first, w.loc)}, ${q(p, 'PERSON', w.last, w.loc)}, ${q(p, 'PHONE', w.phone, w.phoneLoc)}, ${q(p, 'STREET_ADDRESS', w.st.street, w.streetLoc)}, '${w.st.postcode}', ${lit(w.st.city)}, ${q(p, 'DATE_OF_BIRTH', w.dob, w.loc)})`).join(',\n')};`,
      () => `INSERT INTO \`orders\` (\`order_ref\`, \`customer_name\`, \`ship_street\`, \`created_at\`, \`sku\`) VALUES ('${k(L.order)}', ${q(p, 'PERSON', ps[0]!.full, ps[0]!.loc)}, ${q(p, 'STREET_ADDRESS', ps[0]!.st.street, ps[0]!.streetLoc)}, '${k(L.isoDate)} ${L.time}:00', '${k(L.product)}');\nUPDATE users SET phone = ${q(p, 'PHONE', ps[1]!.phone, ps[1]!.phoneLoc)} WHERE display_name = ${q(p, 'PERSON', ps[1]!.full, ps[1]!.loc)}; -- ${k(L.ticket)}`,
    ])());
  }
  // YAML configs
  for (let i = 0; i < N; i++) {
    const a = who(latin), b = who(), c = who();
    const L = lookalikes(r);
    add('YAML config', (p, k) => r.pick([
      () => `# oncall.yaml — rotation for ${k(L.channel)}\nservice: ${k(L.code)}\nversion: "${k(L.version)}"\nescalation:\n  - name: ${name(p, a)}\n    phone: "${phone(p, a)}"\n  - name: ${name(p, b)}\n    phone: "${phone(p, b)}"\nupdated: ${k(L.isoDate)}`,
      () => `maintainers:\n  - ${name(p, a)} <${handle(a)}@example.dev>\n  - ${name(p, c)}\nrelease:\n  tag: v${k(L.version)}\n  city_default: ${k(L.city)}`,
      () => `fixtures:\n  customer:\n    full_name: "${name(p, b)}"\n    birth_date: ${p('DATE_OF_BIRTH', b.dob, b.loc)}\n    address:\n      line1: "${street(p, b)}"\n      postcode: "${b.st.postcode}"\n      city: "${b.st.city}"\n  order_id: "${k(L.order)}"`,
    ])());
  }
  // key=value log lines
  for (let i = 0; i < N; i++) {
    const a = who(), b = who();
    const L = lookalikes(r);
    add('log lines', (p, k) => r.pick([
      () => `${k(L.stamp)} level=info svc=${k(L.code)} msg="profile updated" user_name="${name(p, a)}" phone="${phone(p, a)}" req_id=${k(L.pnr)}\n${L.stamp} level=warn svc=geo msg="address not normalised" addr="${street(p, a)}" build=${k(L.version)}`,
      () => `time=${k(L.stamp)} level=debug event=kyc_check name="${name(p, b)}" dob=${p('DATE_OF_BIRTH', b.dob, b.loc)} result=pass order=${k(L.order)}`,
      () => `[${k(L.stamp)}] INFO  delivery.worker - assigned courier="${name(p, a)}" to recipient="${name(p, b)}" at "${street(p, b)}" tracking=${k(L.tracking)}`,
    ])());
  }
  // LaTeX letters
  for (let i = 0; i < N; i++) {
    const a = who(), s = who(latin);
    const L = lookalikes(r);
    add('LaTeX letter', (p, k) => r.pick([
      () => `\\documentclass{letter}\n\\signature{${name(p, s)}}\n\\address{${street(p, s)} \\\\ ${place(s)}}\n\\begin{document}\n\\begin{letter}{${name(p, a)} \\\\ ${street(p, a)} \\\\ ${place(a)}}\n\\opening{Dear ${name(p, a, 'first')},}\nThank you for your order ${k(L.order)} of ${k(L.month)}.\n\\closing{Yours sincerely,}\n\\end{letter}\n\\end{document}`,
      () => `\\begin{letter}{}\n\\opening{To whom it may concern,}\nI confirm that ${name(p, a)}, born ${dob(p, a)}, has worked with us on \\texttt{${k(L.code)}} since ${k(L.isoDate)}. You can reach me on ${phone(p, s)}.\n\\closing{Best regards, \\\\ ${name(p, s)}}\n\\end{letter}`,
    ])());
  }
  // SRT subtitles
  for (let i = 0; i < N; i++) {
    const a = who(latin), b = who();
    const L = lookalikes(r);
    const n = r.int(1, 400);
    add('SRT subtitles', (p, k) => r.pick([
      () => `${n}\n${k(L.srtStart)} --> 00:${String(r.int(0, 59)).padStart(2, '0')}:0${r.int(0, 9)},500\n${name(p, a, 'upper')}: Is this ${name(p, b)}'s flat?\n\n${n + 1}\n00:12:04,210 --> 00:12:06,900\nShe moved to ${street(p, b)}.\n\n${n + 2}\n00:12:07,100 --> 00:12:09,000\nCall her: ${phone(p, b)}.`,
      () => `${n}\n${k(L.srtStart)} --> 00:59:59,999\n- ${name(p, a, 'first')}, wait!\n- Not now. Tell ${name(p, b)} I'll be in ${k(L.city)} by ${k(L.month)}.`,
    ])());
  }
  // police and incident reports
  for (let i = 0; i < N; i++) {
    const a = who(), w = who(), o = who(latin);
    const L = lookalikes(r);
    add('police report', (p, k) => r.pick([
      () => `INCIDENT REPORT ${k(L.caseNo)}\nOn ${k(L.euDate)} at ${k(L.time)} officers attended ${street(p, a)}, ${place(a)}, after a report of a break-in. The complainant, ${name(p, a)} (DOB ${dob(p, a)}), stated that a ${k(L.product)} had been taken. Witness ${name(p, w)}, tel. ${phone(p, w)}, saw a grey van. Reporting officer: PC ${name(p, o, 'last')}.`,
      () => `Statement of witness\nName: ${name(p, w, 'upper')}\nDate of birth: ${dob(p, w)}\nAddress: ${street(p, w)}, ${place(w)}\nI was walking home along the river in ${k(L.city)} on ${k(L.month)} 12th when I saw ${name(p, a)} arguing with a driver. Case ${k(L.caseNo)}.`,
    ])());
  }
  // school rosters (fixed-width columns)
  for (let i = 0; i < N / 2; i++) {
    const ps = [who(), who(), who(), who()];
    const L = lookalikes(r);
    const t = who(latin);
    add('school roster', (p, k) => {
      const pad = (s: string, n: number) => s + ' '.repeat(Math.max(1, n - [...s].length));
      const lines = ps.map((w) => `${pad(name(p, w), 28)}${pad(p('DATE_OF_BIRTH', strftime(w.dob, w.dateFmt), w.loc), 14)}${phone(p, w)}`);
      return `Class ${k(L.grade)} — roster ${k(L.isoDate)}\nTeacher: ${name(p, t)}   ${k(L.room)}\n\n${pad('Pupil', 28)}${pad('Born', 14)}Guardian phone\n${lines.join('\n')}`;
    });
  }
  // travel itineraries
  for (let i = 0; i < N; i++) {
    const a = who(), b = who();
    const L = lookalikes(r);
    add('travel itinerary', (p, k) => r.pick([
      () => `ITINERARY — booking ref ${k(L.pnr)}\nPassenger 1: MR ${name(p, a, 'upper')}\nPassenger 2: MS ${name(p, b, 'upper')}\n${k(L.flight)}  ${k(L.isoDate)}  dep ${k(L.time)}  ${k(L.city)}\nHotel: check-in ${L.euDate}, ${k(L.room)}\nEmergency contact: ${name(p, b)} ${phone(p, b)}`,
      () => `Your trip to ${k(L.city)}\nTraveller: ${name(p, a)} (born ${dob(p, a)})\nPickup address: ${street(p, a)}, ${place(a)}\nDriver will call ${phone(p, a)} 15 min before ${k(L.time)}. Flight ${k(L.flight)}.`,
    ])());
  }
  // podcast show notes
  for (let i = 0; i < N; i++) {
    const g = who(), h = who(latin);
    const L = lookalikes(r);
    add('podcast notes', (p, k) => r.pick([
      () => `${k(L.episode)}: building ${k(L.product)} integrations, with ${name(p, g)}\nHosted by ${name(p, h)}.\n\n00:00 Intro\n04:12 ${name(p, g, 'first')} on leaving ${k(L.city)}\n31:40 Why ${k(L.code)} is a bad name\nThis episode is sponsored by ${k(L.product)}.`,
      () => `Show notes — ${k(L.episode)}\nGuest: ${name(p, g)}\nListener mail from ${name(p, h, 'first')} in ${k(L.city)}. Want to be on the show? Text the hotline ${phone(p, h)}.\nRecorded ${k(L.isoDate)}.`,
    ])());
  }
  // Slack threads with @mentions
  for (let i = 0; i < N; i++) {
    const a = who(latin), b = who(), c = who();
    const L = lookalikes(r);
    add('Slack thread', (p, k) => r.pick([
      () => `${k(L.channel)}\n${name(p, a)}  ${k(L.time)}\n@${p('PERSON', b.first.toLowerCase(), b.loc)} can you take ${k(L.ticket)}? customer is ${name(p, c)}, ${phone(p, c)}\n${name(p, b)}  ${L.time}\non it :eyes: shipping to ${street(p, c)}?`,
      () => `${name(p, b)}  ${k(L.time)}\nthread: who owns \`${k(L.code)}\` now?\n  ${name(p, a)}  ${L.time}\n  @${p('PERSON', handle(a), a.loc)} (me) until ${k(L.month)}, then ${name(p, c, 'first')}\n  ${name(p, c)}  ${L.time}\n  :thumbsup: deploying ${k(L.version)}`,
    ])());
  }
  // prose in languages corpus 3 did not use (the person's own locale where the language has one, 75% of the time)
  type B = (p: P, k: (s: string) => string, w: Who, v: Who, L: ReturnType<typeof lookalikes>) => string;
  const PROSE: Array<[string, string[], B]> = [
    ['pl', ['pl'], (p, k, w, v, L) => `Szanowni Państwo,\nPani ${name(p, w)}, urodzona ${dob(p, w, 'pl')}, mieszka przy ulicy ${street(p, w)}, ${place(w)}. Kontakt telefoniczny: ${phone(p, w)}. Zamówienie ${k(L.order)} zostanie dostarczone do ${k(L.euDate)}. Z poważaniem, ${name(p, v)}`],
    ['sv', ['sv'], (p, k, w, v, L) => `Hej ${name(p, v, 'first')}!\n${name(p, w)}, född ${dob(p, w, 'sv')}, har flyttat till ${street(p, w)}, ${place(w)}. Ring gärna på ${phone(p, w)}. Paketet ${k(L.tracking)} kommer till ${k(L.city)} nästa vecka.`],
    ['ru', ['ru_RU'], (p, k, w, v, L) => `Уважаемый(ая) ${name(p, w)}!\nВаша дата рождения ${dob(p, w, 'ru')} указана в заявке ${k(L.order)}. Адрес доставки: ${street(p, w)}, ${place(w)}. Контактный телефон: ${phone(p, w)}. С уважением, ${name(p, v)}`],
    ['id', ['id_ID'], (p, k, w, v, L) => `Yth. Bapak/Ibu ${name(p, w)},\ntanggal lahir Anda tercatat ${dob(p, w, 'id')}. Paket ${k(L.product)} akan dikirim ke ${street(p, w)}, ${place(w)}. Hubungi kami di ${phone(p, w)}. Salam, ${name(p, v)}`],
    ['ko', ['ko_KR'], (p, k, w, v, L) => `${name(p, w)}님, 안녕하세요.\n생년월일 ${p('DATE_OF_BIRTH', strftime(w.dob, '%Y. %m. %d.'), w.loc)} 확인되었습니다. 배송지: ${street(p, w)}, ${place(w)}\n연락처: ${phone(p, w)}\n담당자: ${name(p, v)} (${k(L.product)} 고객센터)`],
    ['el', ['el_GR'], (p, k, w, v, L) => `Αγαπητέ/ή ${name(p, w)},\nη ημερομηνία γέννησής σας (${dob(p, w, 'el')}) καταχωρίστηκε. Διεύθυνση αποστολής: ${street(p, w)}, ${place(w)}. Τηλέφωνο: ${phone(p, w)}. Παραγγελία ${k(L.order)}. Με εκτίμηση, ${name(p, v)}`],
    ['ka', ['ka'], (p, k, w, v, L) => `ძვირფასო ${name(p, w)},\nთქვენი დაბადების თარიღია ${dob(p, w, 'ka')}. მისამართი: ${street(p, w)}, ${place(w)}. ტელეფონი: ${phone(p, w)}. შეკვეთა ${k(L.order)}. პატივისცემით, ${name(p, v)}`],
    ['he', ['he_IL'], (p, k, w, v, L) => `שלום ${name(p, w)},\nתאריך הלידה שלך ${dob(p, w, 'he')} נרשם במערכת. כתובת למשלוח: ${street(p, w)}, ${place(w)}. טלפון: ${phone(p, w)}. הזמנה ${k(L.order)}. בברכה, ${name(p, v)}`],
  ];
  for (let i = 0; i < N * PROSE.length; i++) {
    const [lang, own, build] = PROSE[i % PROSE.length]!;
    const w = who(r.next() < 0.75 ? own : locs);
    const v = who(r.next() < 0.5 ? own : locs);
    const L = lookalikes(r);
    add(`prose (${lang})`, (p, k) => build(p, k, w, v, L));
  }
  return rows;
}
