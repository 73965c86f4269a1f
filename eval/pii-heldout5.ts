/**
 * Held-out corpus 5: names, phone numbers, street lines and birth dates from Java Datafaker 2.7.0 (14 locales, 7 in
 * their own non-Latin scripts; eval/data/pii-heldout5.json, see eval/pii-heldout5-extract.java), a source none of the
 * detector's inputs or corpora 1-4 used. They are put into text styles none of corpora 1-4 uses: prompts a user sends
 * to an LLM, e-mail threads with quoted reply headers, GitHub issue and PR comments, CRM call notes, nested JSON API
 * request bodies, line-item invoices, medical referral letters, Jira comments, Discord chat, voice-call transcripts
 * (lower case, no punctuation), HR onboarding forms, property listings, court dockets, event guest lists, classified
 * ads, hotel registration cards, delivery-driver notes, bank dispute letters, and prose in Ukrainian, Turkish,
 * Hungarian, Czech, Hebrew, Japanese, Norwegian and Vietnamese. Names come in many positions: with and without a cue,
 * given name or surname alone, lower case, upper case, possessive, inside lists. Every text carries look-alikes of our
 * own (products, cities, months, firms named after people, code identifiers, ids, versions, dates that are not
 * births). Deterministic (seeded). The templates and values were committed before the detector was first run on them
 * and are not adjusted to its results.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../services/common/paths.js';
import { rng, type HeldoutRow, type PlantedValue } from './heldout-common.js';
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
  phones: string[];
  /** Empty where Datafaker has no street data of the locale's own (see the extractor). */
  streets: Street[];
  dates: string[];
}

export interface Heldout5Data {
  source: string;
  version: string;
  licence: string;
  locales: Record<string, LocaleData>;
}

export function loadHeldout5(): Heldout5Data {
  return JSON.parse(readFileSync(join(repoRoot(), 'eval', 'data', 'pii-heldout5.json'), 'utf8')) as Heldout5Data;
}

/** How a planted name is written; the scorer reports PERSON recall per form. */
export type NameForm = 'full' | 'given alone' | 'surname alone' | 'lower case' | 'upper case' | 'possessive' | 'in a list';
export interface Planted5 extends PlantedValue {
  form?: NameForm;
}
export interface Heldout5Row extends HeldoutRow {
  pii: Planted5[];
}

type Rng = ReturnType<typeof rng>;

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

// How each locale writes a date (ours, from the countries' usage; Datafaker does not say).
const DATE_FORMAT: Record<string, string> = {
  uk: '%d.%m.%Y', bg: '%d.%m.%Y', hy: '%d.%m.%Y', th: '%d/%m/%Y', fa: '%Y/%m/%d', he: '%d.%m.%Y', ja: '%Y年%m月%d日',
  tr: '%d.%m.%Y', 'vi-VN': '%d/%m/%Y', hu: '%Y. %m. %d.', 'cs-CZ': '%e. %m. %Y', 'fi-FI': '%e.%m.%Y', 'nb-NO': '%d.%m.%Y', 'en-AU': '%d/%m/%Y',
};
// Locales that write the family name first.
const FAMILY_FIRST = new Set(['ja', 'hu', 'vi-VN']);
const LOWER_LOCALE: Record<string, string> = { tr: 'tr', uk: 'uk', bg: 'bg', hy: 'hy', 'cs-CZ': 'cs', hu: 'hu', 'vi-VN': 'vi', 'fi-FI': 'fi', 'nb-NO': 'nb', 'en-AU': 'en' };

// Look-alikes of our own making (never from Datafaker).
const PRODUCTS = ['Figma Dev Mode', 'Galaxy Watch 7', 'Apple Vision Pro', 'Roomba j9+', 'Kindle Scribe', 'GoPro HERO12', 'Steam Deck OLED', 'Miro Enterprise', 'Xbox Series S', 'Sonos Era 100'];
const FIRMS = ['Johnson & Johnson', 'Morgan Stanley', 'Ernst & Young', 'Procter & Gamble', 'Mercedes-Benz', 'Porsche', 'Ferrari', 'Hewlett Packard', 'Goldman Sachs', 'Philips', 'Boeing', 'Siemens', 'Dell Technologies', 'Kellogg', 'Ford Motor Company'];
const CITIES = ['Lviv', 'Plovdiv', 'Gyumri', 'Chiang Mai', 'Isfahan', 'Eilat', 'Sapporo', 'Antalya', 'Da Nang', 'Debrecen', 'Brno', 'Tampere', 'Trondheim', 'Perth', 'Odesa', 'Varna'];
const CODE = ['InvoiceLineItem', 'guest_list_export()', 'normalizeMsisdn', 'ReferralLetter.tsx', 'courier_eta_minutes', 'DisputeCaseService', 'onboardingStepId', 'listing.sqm_price', 'useGuestCheckIn', 'parse_docket_entry'];
const DRUGS = ['Ramipril 5 mg', 'Sertraline 50 mg', 'Omeprazole 20 mg', 'Bisoprolol 2.5 mg', 'Cetirizine 10 mg', 'Prednisolone 5 mg'];
const EVENTS = ['Spring Gala 2026', 'DevRel Summit', 'Autumn Charity Dinner', 'Q2 Town Hall', 'Founders Breakfast', 'Winter Product Launch'];
const ITEMS = ['Consulting hours', 'Cloud hosting (monthly)', 'Annual licence renewal', 'Onsite training day', 'Hardware maintenance', 'Translation services'];
const MERCHANTS = ['AliExpress', 'Booking.com', 'Uber Eats', 'Spotify AB', 'Bolt Operations', 'IKEA', 'Wolt', 'Zalando SE'];

function lookalikes(r: Rng) {
  const y = r.int(2024, 2026);
  const mo = String(r.int(1, 12)).padStart(2, '0');
  const d = String(r.int(1, 28)).padStart(2, '0');
  const hh = String(r.int(7, 22)).padStart(2, '0');
  const mm = String(r.int(0, 59)).padStart(2, '0');
  return {
    product: r.pick(PRODUCTS),
    firm: r.pick(FIRMS),
    city: r.pick(CITIES),
    month: r.pick(MONTHS_EN),
    code: r.pick(CODE),
    drug: r.pick(DRUGS),
    event: r.pick(EVENTS),
    item: r.pick(ITEMS),
    merchant: r.pick(MERCHANTS),
    version: `${r.int(1, 9)}.${r.int(0, 30)}.${r.int(0, 20)}`,
    order: r.pick([`ORD-${y}-${r.int(100000, 999999)}`, `#${r.int(1000000, 9999999)}`]),
    invoice: `INV-${y}-${String(r.int(1, 9999)).padStart(5, '0')}`,
    jira: `${r.pick(['PAY', 'CRM', 'OPS', 'WEB'])}-${r.int(100, 9999)}`,
    pr: `#${r.int(1000, 19999)}`,
    sha: [...Array(7)].map(() => '0123456789abcdef'[r.int(0, 15)]).join(''),
    isoDate: `${y}-${mo}-${d}`,
    euDate: `${d}.${mo}.${y}`,
    slashDate: `${d}/${mo}/${y}`,
    time: `${hh}:${mm}`,
    stamp: `${y}-${mo}-${d}T${hh}:${mm}:${String(r.int(0, 59)).padStart(2, '0')}Z`,
    amount: r.pick([`€${r.int(10, 999)}.${r.int(10, 99)}`, `$${r.int(10, 4999)}.00`, `${r.int(100, 9000)} Kč`, `${r.int(1000, 90000)} ₴`, `A$${r.int(20, 900)}`]),
    room: `${r.int(101, 940)}`,
    caseNo: `${r.pick(['CV', 'CR', 'FAM'])}-${y}-${String(r.int(1, 99999)).padStart(5, '0')}`,
    sqm: `${r.int(28, 180)} m²`,
    price: r.pick([`€${r.int(120, 900)},000`, `${r.int(2, 19)} 500 000 Kč`, `A$${r.int(4, 19)}00,000`, `${r.int(3, 40)} млн ₴`]),
    lot: `LOT-${r.int(1000, 9999)}`,
    seat: `Table ${r.int(1, 24)}`,
    stop: `${r.int(1, 40)}/${r.int(40, 60)}`,
    ext: `ext. ${r.int(200, 899)}`,
  };
}

export function buildHeldout5(seed = 20261205): Heldout5Row[] {
  const { locales } = loadHeldout5();
  const locs = Object.keys(locales).sort();
  const withStreets = locs.filter((l) => locales[l]!.streets.length);
  const latin = locs.filter((l) => /^[\p{Script=Latin}' .-]+$/u.test(locales[l]!.first[0]!));
  const r = rng(seed);
  const rows: Heldout5Row[] = [];

  type Who = { loc: string; first: string; last: string; full: string; phone: string; st: Street; streetLoc: string; dob: string; dateFmt: string };
  /** Someone from `pool`; a locale without streets of its own takes a street of a locale that has them. */
  const who = (pool: string[] = locs): Who => {
    const loc = r.pick(pool);
    const l = locales[loc]!;
    const first = r.pick(l.first);
    const last = r.pick(l.last);
    const full = loc === 'ja' ? `${last}${first}` : FAMILY_FIRST.has(loc) ? `${last} ${first}` : `${first} ${last}`;
    const streetLoc = l.streets.length ? loc : r.pick(withStreets);
    return { loc, first, last, full, phone: r.pick(l.phones), st: r.pick(locales[streetLoc]!.streets), streetLoc, dob: r.pick(l.dates), dateFmt: DATE_FORMAT[loc] ?? '%d/%m/%Y' };
  };
  type P = (type: PlantedType, value: string, loc: string, form?: NameForm) => string;
  const add = (cls: string, build: (p: P, k: (s: string) => string) => string) => {
    const pii: Planted5[] = [];
    const keep: string[] = [];
    const text = build((type, value, loc, form) => (pii.push(form ? { type, value, loc, form } : { type, value, loc }), value), (s) => (keep.push(s), s));
    rows.push({ cls, text, pii, keep: keep.filter((x) => text.includes(x)) });
  };
  const lower = (w: Who, s: string) => s.toLocaleLowerCase(LOWER_LOCALE[w.loc] ?? 'und');
  /** A name as planted; `list` marks a name inside an enumeration. Lower case of an uncased script counts as full. */
  const name = (p: P, w: Who, form: 'full' | 'first' | 'last' | 'lower' | 'upper' | 'poss' | 'list' = 'full') => {
    switch (form) {
      case 'first': return p('PERSON', w.first, w.loc, 'given alone');
      case 'last': return p('PERSON', w.last, w.loc, 'surname alone');
      case 'lower': { const v = lower(w, w.full); return p('PERSON', v, w.loc, v === w.full ? 'full' : 'lower case'); }
      case 'upper': { const v = w.full.toLocaleUpperCase(LOWER_LOCALE[w.loc] ?? 'und'); return p('PERSON', v, w.loc, v === w.full ? 'full' : 'upper case'); }
      case 'poss': return `${p('PERSON', w.full, w.loc, 'possessive')}'s`;
      case 'list': return p('PERSON', w.full, w.loc, 'in a list');
      default: return p('PERSON', w.full, w.loc, 'full');
    }
  };
  const phone = (p: P, w: Who) => p('PHONE', w.phone, w.loc);
  const street = (p: P, w: Who) => p('STREET_ADDRESS', w.st.street, w.streetLoc);
  // the line after the street as the locale writes it (context, not a planted value)
  const place = (w: Who) =>
    w.streetLoc === 'en-AU' ? `${w.st.city} ${w.st.postcode}` : w.streetLoc === 'uk' ? `м. ${w.st.city}, ${w.st.postcode}` : w.streetLoc === 'he' ? `${w.st.city} ${w.st.postcode}` : `${w.st.postcode} ${w.st.city}`;
  const dob = (p: P, w: Who) =>
    p('DATE_OF_BIRTH', r.pick([strftime(w.dob, w.dateFmt), strftime(w.dob, w.dateFmt), w.dob, strftime(w.dob, `%e ${MONTHS_EN[+w.dob.split('-')[1]! - 1]} %Y`), strftime(w.dob, `${MONTHS_EN[+w.dob.split('-')[1]! - 1]} %e, %Y`)]), w.loc);
  const handle = (w: Who) => (latin.includes(w.loc) ? lower(w, `${w.first}${r.pick(['', '.', '_'])}${w.last}`).normalize('NFD').replace(/\p{M}/gu, '').replace(/[^a-z._]/g, '') : `user${r.int(100, 999)}`);
  const N = 24;

  // prompts a user sends to an LLM
  for (let i = 0; i < N; i++) {
    const a = who(), b = who(), c = who();
    const L = lookalikes(r);
    add('LLM prompt', (p, k) => r.pick([
      () => `Draft a polite reply to ${name(p, a)} at ${street(p, a)}, ${place(a)}. They complained that their ${k(L.product)} arrived broken (order ${k(L.order)}). Offer a replacement and mention they can call us on ${k(L.ext)}. Sign it as ${name(p, b, 'first')} from ${k(L.firm)} support.`,
      () => `summarise this ticket in 3 bullet points:\n"""\ncustomer ${name(p, a)} (dob ${dob(p, a)}) says the ${k(L.code)} step fails since ${k(L.version)}. callback number ${phone(p, a)}. previous agent ${name(p, b, 'last')} escalated to ${k(L.jira)} on ${k(L.isoDate)}.\n"""`,
      () => `You are a helpful assistant. Rewrite the following note so it sounds friendlier, keep every fact:\n\n${name(p, c, 'first')} — please ring ${name(p, a, 'poss')} landline ${phone(p, a)} before ${k(L.time)} and confirm the delivery to ${street(p, a)}. Invoice ${k(L.invoice)} is still open. Thanks, ${name(p, b)}`,
      () => `Translate to English and extract the fields as JSON (name, phone, address, date_of_birth):\n${name(p, a)}, ${street(p, a)}, ${place(a)}, ${phone(p, a)}, ${dob(p, a)}\nThe customer also asked about the ${k(L.event)} in ${k(L.city)}.`,
    ])());
  }
  // e-mail threads with quoted reply headers
  for (let i = 0; i < N; i++) {
    const a = who(), b = who(latin);
    const L = lookalikes(r);
    add('e-mail thread', (p, k) => r.pick([
      () => `Thanks, that works for me.\n\n${name(p, b, 'first')}\n\nOn ${k(L.isoDate)} ${k(L.time)}, ${name(p, a)} <${handle(a)}@example.org> wrote:\n> Hi ${name(p, b, 'first')},\n> the keys are with the concierge at ${street(p, a)}. If nobody answers, call me on ${phone(p, a)}.\n> Best,\n> ${name(p, a, 'first')}`,
      () => `Re: ${k(L.invoice)} — payment reminder\n\n-----Original Message-----\nFrom: ${name(p, a)}\nSent: ${k(L.month)} 3, 2025\nTo: accounts@${L.firm.toLowerCase().replace(/[^a-z]/g, '')}.example\nSubject: ${L.invoice}\n\nPlease send the corrected invoice to my new address, ${street(p, a)}, ${place(a)}. My date of birth for the KYC check is ${dob(p, a)}.\n\n> On ${k(L.euDate)}, ${name(p, b)} wrote:\n>> Dear ${name(p, a, 'last')}, the amount of ${k(L.amount)} is overdue.`,
    ])());
  }
  // GitHub issue and PR comments
  for (let i = 0; i < N; i++) {
    const a = who(latin), b = who(), c = who();
    const L = lookalikes(r);
    add('GitHub comment', (p, k) => r.pick([
      () => `@${p('PERSON', handle(a), a.loc, 'lower case')} I can reproduce this on ${k(L.version)}. The fixture in \`${k(L.code)}\` has a real-looking customer in it:\n\n\`\`\`\nname: ${name(p, b)}\nphone: ${phone(p, b)}\n\`\`\`\n\nCan we swap it out before ${k(L.pr)} is merged? cc ${name(p, c, 'first')}`,
      () => `**${name(p, a)}** commented on ${k(L.sha)}\n> LGTM, but the test still prints \`${street(p, b)}\` in the snapshot.\n\nReviewed-on: ${k(L.pr)}. Thanks ${name(p, b, 'poss')} patch, and ${name(p, c, 'last')} for the bisect.`,
      () => `### Steps to reproduce\n1. Create a contact "${name(p, c)}" with birthday ${dob(p, c)}\n2. Open \`${k(L.code)}\` in ${k(L.product)}\n3. The phone ${phone(p, c)} is shown twice\n\nVersion: ${k(L.version)} · first seen ${k(L.isoDate)} · reported by ${name(p, a, 'first')}`,
    ])());
  }
  // CRM call notes
  for (let i = 0; i < N; i++) {
    const a = who(), rep = who(latin);
    const L = lookalikes(r);
    add('CRM call note', (p, k) => r.pick([
      () => `Call log — ${k(L.isoDate)} ${k(L.time)} — rep: ${name(p, rep)}\nSpoke with ${name(p, a)} (decision maker at ${k(L.firm)}). Interested in ${k(L.product)} for 40 seats. Wants a follow-up on ${phone(p, a)} after ${k(L.month)}. Next step: send quote ${k(L.invoice)}.`,
      () => `Activity: outbound call\nContact: ${name(p, a, 'last')}, ${name(p, a, 'first')}\nOutcome: left voicemail, number ${phone(p, a)}\nNotes: ${name(p, a, 'first')} moved office to ${street(p, a)}, ${place(a)}. Renewal due ${k(L.euDate)}. Owner ${name(p, rep, 'first')}.`,
    ])());
  }
  // nested JSON API request bodies
  for (let i = 0; i < N; i++) {
    const a = who(), b = who();
    const L = lookalikes(r);
    const j = (s: string) => JSON.stringify(s).slice(1, -1);
    add('JSON API body', (p, k) => r.pick([
      () => `POST /v2/shipments HTTP/1.1\nContent-Type: application/json\n\n{"reference": "${k(L.order)}", "client_version": "${k(L.version)}", "recipient": {"name": "${j(name(p, a))}", "contact": {"phone": "${j(phone(p, a))}"}, "address": {"line1": "${j(street(p, a))}", "postcode": "${j(a.st.postcode)}", "city": "${j(a.st.city)}"}}, "items": [{"sku": "${k(L.lot)}", "title": "${k(L.product)}"}]}`,
      () => `{\n  "event": "${k(L.code)}",\n  "ts": "${k(L.stamp)}",\n  "payload": {\n    "applicant": {\n      "given_name": "${j(name(p, b, 'first'))}",\n      "family_name": "${j(name(p, b, 'last'))}",\n      "birth_date": "${p('DATE_OF_BIRTH', b.dob, b.loc)}",\n      "phones": [{"type": "mobile", "number": "${j(phone(p, b))}"}]\n    },\n    "employer": {"name": "${k(L.firm)}", "city": "${k(L.city)}"}\n  }\n}`,
    ])());
  }
  // line-item invoices
  for (let i = 0; i < N; i++) {
    const a = who(), s = who();
    const L = lookalikes(r);
    add('invoice', (p, k) => `INVOICE ${k(L.invoice)}   Date: ${k(L.slashDate)}\nBill to:\n  ${name(p, a, r.pick(['full', 'upper'] as const))}\n  ${street(p, a)}\n  ${place(a)}\n  Tel: ${phone(p, a)}\n\nQty  Description                      Amount\n 1   ${k(L.item).padEnd(32)} ${k(L.amount)}\n 2   ${k(L.product).padEnd(32)} —\n\nPayment terms: 14 days. Questions: ${name(p, s)}, accounts, ${k(L.firm)}.`);
  }
  // medical referral letters
  for (let i = 0; i < N; i++) {
    const pt = who(), gp = who(), sp = who();
    const L = lookalikes(r);
    add('referral letter', (p, k) => r.pick([
      () => `Dear Dr ${name(p, sp, 'last')},\n\nRe: ${name(p, pt)}, DOB ${dob(p, pt)}\n${street(p, pt)}, ${place(pt)} — tel. ${phone(p, pt)}\n\nThank you for seeing this patient, who has had intermittent chest pain since ${k(L.month)}. Current medication: ${k(L.drug)}. ECG on ${k(L.euDate)} was unremarkable.\n\nYours sincerely,\nDr ${name(p, gp)}`,
      () => `REFERRAL — urgent\nPatient: ${name(p, pt, 'upper')}   Born: ${dob(p, pt)}\nReferring clinician: ${name(p, gp)} (${k(L.city)} Family Practice)\n${name(p, pt, 'first')} reports worsening migraines; started ${k(L.drug)} on ${k(L.isoDate)}. Please contact the patient directly on ${phone(p, pt)}.`,
    ])());
  }
  // Jira comments
  for (let i = 0; i < N; i++) {
    const a = who(latin), b = who(), c = who();
    const L = lookalikes(r);
    add('Jira comment', (p, k) => r.pick([
      () => `[~${p('PERSON', handle(a), a.loc, 'lower case')}] the customer in ${k(L.jira)} is ${name(p, b)}; she's on ${phone(p, b)}. I moved it to *In Progress* and linked ${k(L.pr)}. Fix version: ${k(L.version)}.`,
      () => `${name(p, c)} added a comment - ${k(L.isoDate)} ${k(L.time)}\n{quote}Address on file is ${street(p, b)}, ${place(b)}, but the courier says nobody by the name ${name(p, b, 'last')} lives there.{quote}\nAssigning back to ${name(p, a, 'first')}. See ${k(L.code)}.`,
    ])());
  }
  // Discord chat
  for (let i = 0; i < N; i++) {
    const a = who(latin), b = who(latin), c = who();
    const L = lookalikes(r);
    const ha = handle(a), hb = handle(b);
    add('Discord chat', (p, k) => r.pick([
      () => `${p('PERSON', lower(a, a.first), a.loc, 'lower case')} — Today at ${k(L.time)}\nanyone seen ${name(p, c, 'lower')}? she owes me for the ${k(L.product)}\n${p('PERSON', lower(b, b.first), b.loc, 'lower case')} — Today at ${L.time}\nlol ask ${name(p, c, 'first')} yourself, her number is ${phone(p, c)}\n${lower(a, a.first)} — Today at ${L.time}\nbet. also ${k(L.event)} in ${k(L.city)} this ${k(L.month)}??`,
      () => `[${k(L.time)}] <${p('PERSON', ha, a.loc, 'lower case')}> gg\n[${L.time}] <${p('PERSON', hb, b.loc, 'lower case')}> ${name(p, c, 'lower')} is carrying again\n[${L.time}] <${ha}> patch ${k(L.version)} nerfed it anyway\n[${L.time}] <${hb}> ${name(p, a, 'lower')} u coming to ${name(p, c, 'poss')} place? ${street(p, c)}`,
    ])());
  }
  // voice-call transcripts (ASR: lower case, no punctuation)
  for (let i = 0; i < N; i++) {
    const a = who(), ag = who(latin);
    const L = lookalikes(r);
    const spoken = (s: string) => lower(a, s).replace(/[.,]/g, '');
    add('voice transcript', (p, k) => r.pick([
      () => `agent: thank you for calling ${k(L.firm.toLowerCase())} my name is ${p('PERSON', lower(ag, ag.first), ag.loc, 'lower case')} how can i help\ncaller: hi yes this is ${name(p, a, 'lower')} i'm calling about my ${k(L.product.toLowerCase())}\nagent: can i take your date of birth please\ncaller: it's ${p('DATE_OF_BIRTH', spoken(strftime(a.dob, `%e ${MONTHS_EN[+a.dob.split('-')[1]! - 1]} %Y`)), a.loc)}\nagent: and the best number to reach you\ncaller: ${p('PHONE', a.phone.replace(/[^\d+ ]/g, ' ').replace(/\s+/g, ' ').trim(), a.loc)}`,
      () => `speaker 1 okay so the address we have is ${p('STREET_ADDRESS', spoken(a.st.street), a.streetLoc)} is that still right\nspeaker 2 yes that's right\nspeaker 1 and the name on the account ${p('PERSON', lower(a, a.last), a.loc, 'lower case')} first name ${p('PERSON', lower(a, a.first), a.loc, 'lower case')}\nspeaker 2 correct\nspeaker 1 great i've noted that under reference ${k(L.jira.toLowerCase())}`,
    ])());
  }
  // HR onboarding forms
  for (let i = 0; i < N; i++) {
    const a = who(), m = who(), e = who();
    const L = lookalikes(r);
    add('HR onboarding form', (p, k) => `NEW STARTER FORM  (${k(L.code)})\nLegal name ............ ${name(p, a)}\nPreferred name ........ ${name(p, a, 'first')}\nDate of birth ......... ${dob(p, a)}\nHome address .......... ${street(p, a)}, ${place(a)}\nMobile ................ ${phone(p, a)}\nStart date ............ ${k(L.isoDate)}\nLine manager .......... ${name(p, m)}\nEmergency contact ..... ${name(p, e)} (${r.pick(['spouse', 'parent', 'sibling'])}), ${phone(p, e)}\nLaptop ................ ${k(L.product)}`);
  }
  // property listings
  for (let i = 0; i < N; i++) {
    const ag = who(), own = who();
    const L = lookalikes(r);
    add('property listing', (p, k) => r.pick([
      () => `FOR SALE — ${street(p, ag)}, ${place(ag)}\n${k(L.sqm)} · 3 rooms · balcony · asking ${k(L.price)}\nBright corner flat, 10 minutes from ${k(L.city)} centre. Viewings ${k(L.month)} weekends.\nAgent: ${name(p, ag)}, ${phone(p, ag)}\nListing ${k(L.lot)}`,
      () => `To let: ${k(L.sqm)} studio, ${street(p, own)}. Landlord ${name(p, own, 'last')} prefers long-term tenants; contact ${name(p, own, 'first')} on ${phone(p, own)}. Available from ${k(L.isoDate)}. Ref ${k(L.lot)}.`,
    ])());
  }
  // court dockets
  for (let i = 0; i < N; i++) {
    const pl = who(), df = who(), j = who(latin), atty = who();
    const L = lookalikes(r);
    add('court docket', (p, k) => `CASE NO. ${k(L.caseNo)}\n${name(p, pl, 'upper')}, Plaintiff,\nv.\n${k(L.firm.toUpperCase())} and ${name(p, df, 'upper')}, Defendants.\n\nDOCKET\n${k(L.isoDate)}  Complaint filed. Counsel for plaintiff: ${name(p, atty)}.\n${L.isoDate}  Summons issued to ${name(p, df)}, ${street(p, df)}, ${place(df)}.\n${k(L.euDate)}  Hearing set before Judge ${name(p, j, 'last')}, courtroom ${k(L.room)}.`);
  }
  // event guest lists
  for (let i = 0; i < N; i++) {
    const gs = [who(), who(), who(), who()];
    const host = who(latin);
    const L = lookalikes(r);
    add('guest list', (p, k) => r.pick([
      () => `${k(L.event)} — guest list (${k(L.isoDate)})\nHost: ${name(p, host)}\n${gs.map((g, n) => `${n + 1}. ${name(p, g, 'list')}${n % 2 ? ` +1` : ''} — ${k(L.seat)}`).join('\n')}\nDietary notes: ${name(p, gs[0]!, 'first')} vegetarian.`,
      () => `Confirmed for the ${k(L.event)}: ${gs.slice(0, 3).map((g) => name(p, g, 'list')).join(', ')} and ${name(p, gs[3]!, 'list')}. ${name(p, host, 'first')} will greet them at ${k(L.time)}; late arrivals call ${phone(p, host)}.`,
    ])());
  }
  // classified ads
  for (let i = 0; i < N; i++) {
    const a = who();
    const L = lookalikes(r);
    add('classified ad', (p, k) => r.pick([
      () => `SELLING: ${k(L.product)}, barely used, ${k(L.amount)} or best offer. Pick-up only from ${street(p, a)}. Text ${phone(p, a)}, ask for ${name(p, a, 'first')}. No time-wasters!`,
      () => `LOST CAT — grey tabby, answers to "${k(L.month)}". Last seen near ${k(L.city)} station on ${k(L.euDate)}. Reward! Call ${name(p, a)} ${phone(p, a)}.`,
      () => `Piano lessons for beginners, all ages. ${name(p, a)}, graduate of the ${k(L.city)} conservatory. ${phone(p, a)} · ${street(p, a)}, ${place(a)}`,
    ])());
  }
  // hotel registration cards
  for (let i = 0; i < N; i++) {
    const g = who(), c = who();
    const L = lookalikes(r);
    add('hotel registration', (p, k) => `GUEST REGISTRATION CARD          Room ${k(L.room)}\nSurname: ${r.next() < 0.5 ? name(p, g, 'last') : p('PERSON', g.last.toLocaleUpperCase(LOWER_LOCALE[g.loc] ?? 'und'), g.loc, g.last.toLocaleUpperCase(LOWER_LOCALE[g.loc] ?? 'und') === g.last ? 'surname alone' : 'upper case')}        First name: ${name(p, g, 'first')}\nDate of birth: ${dob(p, g)}     Nationality: ______\nHome address: ${street(p, g)}, ${place(g)}\nTelephone: ${phone(p, g)}\nArrival: ${k(L.slashDate)}   Departure: ________   Rate: ${k(L.amount)}\nAccompanied by: ${name(p, c)}\nGuest signature: ____________`);
  }
  // delivery-driver notes
  for (let i = 0; i < N; i++) {
    const a = who(), n = who();
    const L = lookalikes(r);
    add('delivery note', (p, k) => r.pick([
      () => `Stop ${k(L.stop)} · ${k(L.time)}\n${street(p, a)} — ${name(p, a, 'last')}\nNot home, left with neighbour ${name(p, n, 'first')} (no. next door). Photo taken. Parcel ${k(L.order)}, ${k(L.product)}.`,
      () => `driver note: gate code changed, customer ${name(p, a)} says ring ${phone(p, a)} on arrival. dog in yard!! ${street(p, a)}. eta ${k(L.time)}, route ${k(L.stop)}`,
    ])());
  }
  // bank dispute letters
  for (let i = 0; i < N; i++) {
    const a = who(), o = who(latin);
    const L = lookalikes(r);
    add('bank dispute letter', (p, k) => r.pick([
      () => `${name(p, a)}\n${street(p, a)}\n${place(a)}\n${phone(p, a)}\n\n${k(L.slashDate)}\n\nDisputes Department\n\nDear Sir or Madam,\n\nI am writing to dispute a charge of ${k(L.amount)} from ${k(L.merchant)} dated ${k(L.isoDate)}. I did not authorise this transaction. For identification, my date of birth is ${dob(p, a)}.\n\nYours faithfully,\n${name(p, a)}`,
      () => `Ref: dispute ${k(L.caseNo)}\nDear ${name(p, a, 'first')},\nwe have received your claim about the ${k(L.merchant)} payment of ${k(L.amount)}. Your case officer is ${name(p, o)}; you can reach ${name(p, o, 'first')} on ${k(L.ext)}. We will write to you at ${street(p, a)} within 10 working days.`,
    ])());
  }
  // prose in the locales' languages (the person's own locale 75% of the time)
  type B = (p: P, k: (s: string) => string, w: Who, v: Who, L: ReturnType<typeof lookalikes>) => string;
  const PROSE: Array<[string, string[], B]> = [
    ['uk', ['uk'], (p, k, w, v, L) => `Шановний(а) ${name(p, w)}!\nНагадуємо про ваш запис на ${k(L.euDate)} о ${k(L.time)}. Дата народження в картці: ${dob(p, w)}. Адреса: ${street(p, w)}, ${place(w)}. Телефон: ${phone(p, w)}. З повагою, ${name(p, v)}`],
    ['tr', ['tr'], (p, k, w, v, L) => `Sayın ${name(p, w)},\n${k(L.order)} numaralı siparişiniz ${k(L.euDate)} tarihinde kargoya verildi. Teslimat adresi: ${street(p, w)}, ${place(w)}. Doğum tarihiniz (${dob(p, w)}) hesabınıza kaydedildi. Sorularınız için ${phone(p, w)}. Saygılarımızla, ${name(p, v)}`],
    ['hu', ['hu'], (p, k, w, v, L) => `Kedves ${name(p, w, 'first')}!\nA(z) ${k(L.order)} számú rendelését a következő címre szállítjuk: ${street(p, w)}, ${place(w)}. Születési dátum: ${dob(p, w)}, telefonszám: ${phone(p, w)}. Üdvözlettel: ${name(p, v)}`],
    ['cs', ['cs-CZ'], (p, k, w, v, L) => `Dobrý den, pane/paní ${name(p, w, 'last')},\nvaše objednávka ${k(L.order)} bude doručena na adresu ${street(p, w)}, ${place(w)}. Datum narození: ${dob(p, w)}. V případě dotazů volejte ${phone(p, w)}. S pozdravem ${name(p, v)}`],
    ['he', ['he'], (p, k, w, v, L) => `שלום ${name(p, w, 'first')},\nההזמנה ${k(L.order)} תישלח אל ${street(p, w)}, ${place(w)}. תאריך לידה: ${dob(p, w)}. לבירורים: ${phone(p, w)}. בברכה, ${name(p, v)}`],
    ['ja', ['ja'], (p, k, w, v, L) => `${name(p, w)}様\nいつもお世話になっております。ご注文 ${k(L.order)} は ${k(L.isoDate)} に発送いたします。お届け先：${street(p, w)}、${place(w)}。生年月日：${dob(p, w)}。お問い合わせ：${phone(p, w)}。担当：${name(p, v, 'last')}`],
    ['nb', ['nb-NO'], (p, k, w, v, L) => `Hei ${name(p, w, 'first')}!\nPakken ${k(L.order)} blir levert til ${street(p, w)}, ${place(w)} innen ${k(L.euDate)}. Fødselsdato registrert: ${dob(p, w)}. Ring ${phone(p, w)} hvis du ikke er hjemme. Hilsen ${name(p, v)}`],
    ['vi', ['vi-VN'], (p, k, w, v, L) => `Kính gửi anh/chị ${name(p, w)},\nđơn hàng ${k(L.order)} sẽ được giao đến ${street(p, w)}, ${place(w)} vào ngày ${k(L.euDate)}. Ngày sinh: ${dob(p, w)}. Số điện thoại liên hệ: ${phone(p, w)}. Trân trọng, ${name(p, v)}`],
  ];
  for (let i = 0; i < 9 * PROSE.length; i++) {
    const [lang, own, build] = PROSE[i % PROSE.length]!;
    const w = who(r.next() < 0.75 ? own : locs);
    const v = who(r.next() < 0.5 ? own : locs);
    const L = lookalikes(r);
    add(`prose (${lang})`, (p, k) => build(p, k, w, v, L));
  }
  return rows;
}
