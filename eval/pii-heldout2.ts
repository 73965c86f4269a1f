/**
 * Held-out corpus 2: names, phone numbers, street addresses and birth dates from mimesis (eval/data/pii-heldout2.json,
 * see eval/pii-heldout2-extract.py), a project whose locale data is independent of every source the detector learned
 * from, put into text styles none of our other corpora use: forum posts with quoting, film/TV dialogue, e-mail
 * headers, timestamped chat logs, invoices and shipping labels, vCards and contact cards, CSV/TSV exports, JSON/YAML
 * records, ticket descriptions, lower-case chat and letters. Deterministic (seeded). The templates were committed
 * before the detector was first run on them and are not adjusted to its results.
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

export interface Heldout2Row {
  cls: string;
  text: string;
  pii: Planted[];
  /** Look-alikes that must come through unchanged. */
  keep: string[];
}

export interface Street {
  street: string;
  postcode: string;
  city: string;
}

export interface LocaleData {
  first: string[];
  last: string[];
  phones: string[];
  streets: Street[];
  dates: string[];
  date_format: string;
}

export function loadHeldout2(): { version: string; locales: Record<string, LocaleData> } {
  return JSON.parse(readFileSync(join(repoRoot(), 'eval', 'data', 'pii-heldout2.json'), 'utf8')) as { version: string; locales: Record<string, LocaleData> };
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A date in a strftime-style format (%d %m %Y %y), as the locale writes it. */
export function strftime(iso: string, fmt: string): string {
  const [y, m, d] = iso.split('-');
  return fmt.replace(/%([dmYyB])/g, (_, c: string) => (c === 'd' ? d! : c === 'm' ? m! : c === 'Y' ? y! : c === 'y' ? y!.slice(2) : MONTHS_EN[+m! - 1]!));
}

// Look-alikes of our own making (never from mimesis): products, cities, months, code identifiers, versions, ids,
// amounts and dates that are not birthdays.
const PRODUCTS = ['Visual Studio Code', 'Apple Watch Series 9', 'Galaxy S24', 'ThinkPad X1 Carbon', 'PlayStation 5', 'Kindle Paperwhite', 'Jira Service Desk', 'Raspberry Pi 4', 'Surface Pro 9', 'Pixel 8 Pro'];
const CITIES = ['Chicago', 'Vienna', 'Lisbon', 'Osaka', 'Nairobi', 'Toronto', 'Kraków', 'Marseille', 'Rotterdam', 'Montreal'];
const CODE = ['getCustomerName()', 'user.last_name', 'AddressValidator', 'parse_phone_number', 'PhoneUtil.format()', 'street_line_1', 'BirthDatePicker'];

function lookalikes(r: ReturnType<typeof rng>) {
  const y = r.int(2024, 2026);
  const mo = String(r.int(1, 12)).padStart(2, '0');
  const d = String(r.int(1, 28)).padStart(2, '0');
  return {
    product: r.pick(PRODUCTS),
    city: r.pick(CITIES),
    month: r.pick(MONTHS_EN),
    code: r.pick(CODE),
    version: `${r.int(1, 9)}.${r.int(0, 30)}.${r.int(0, 20)}`,
    order: r.pick([`ORD-${y}-${r.int(100000, 999999)}`, `#${r.int(10000, 99999)}-${r.int(1000, 9999)}`, `PO ${r.int(4000000, 4999999)}`]),
    sku: `SKU-${r.int(10000, 99999)}`,
    amount: r.pick([`$${r.int(10, 2999)}.${r.int(10, 99)}`, `€${r.int(10, 999)},${r.int(10, 99)}`, `£${r.int(1, 99)}.${r.int(10, 99)}`, `${r.int(1000, 99999)} JPY`]),
    isoDate: `${y}-${mo}-${d}`,
    euDate: `${d}.${mo}.${y}`,
    usDate: `${mo}/${d}/${y}`,
    tracking: `1Z${r.int(100, 999)}AA1${r.int(10000000, 99999999)}`,
    ticket: String(r.int(10000, 99999)),
  };
}

const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u;

export function buildHeldout2(seed = 20261202): Heldout2Row[] {
  const { locales } = loadHeldout2();
  const locs = Object.keys(locales).sort();
  const latin = locs.filter((l) => /^[\p{Script=Latin}' .-]+$/u.test(locales[l]!.first[0]!));
  const r = rng(seed);
  const rows: Heldout2Row[] = [];

  type Who = { loc: string; first: string; last: string; full: string; phone: string; street: Street; dob: string; dateFmt: string };
  const who = (pool: string[] = locs): Who => {
    const loc = r.pick(pool);
    const l = locales[loc]!;
    const first = r.pick(l.first);
    const last = r.pick(l.last);
    const full = CJK.test(first) && /^(?:ja|zh|ko)/.test(loc) ? `${last}${first}` : `${first} ${last}`;
    return { loc, first, last, full, phone: r.pick(l.phones), street: r.pick(l.streets), dob: r.pick(l.dates), dateFmt: l.date_format };
  };
  // one row: the builder returns the text; planted values are recorded as it writes them
  const add = (cls: string, build: (p: (type: PlantedType, value: string, loc: string) => string, k: (s: string) => string) => string) => {
    const pii: Planted[] = [];
    const keep: string[] = [];
    const text = build((type, value, loc) => (pii.push({ type, value, loc }), value), (s) => (keep.push(s), s));
    rows.push({ cls, text, pii, keep: keep.filter((x) => text.includes(x)) });
  };
  const name = (p: (t: PlantedType, v: string, l: string) => string, w: Who, form: 'full' | 'first' | 'last' | 'lastFirst' = 'full') =>
    form === 'first' ? p('PERSON', w.first, w.loc) : form === 'last' ? p('PERSON', w.last, w.loc) : form === 'lastFirst' ? p('PERSON', `${w.last}, ${w.first}`, w.loc) : p('PERSON', w.full, w.loc);
  const dob = (w: Who) => r.pick([strftime(w.dob, w.dateFmt), w.dob, strftime(w.dob, '%d %B %Y'), strftime(w.dob, '%B %d, %Y').replace(/ 0(\d),/, ' $1,')]);
  const N = 48;

  // forum posts and replies with quoting
  for (let i = 0; i < N; i++) {
    const a = who();
    const b = who(latin);
    const L = lookalikes(r);
    add('forum post', (p, k) => r.pick([
      () => `Re: ${k(L.product)} keeps rebooting after firmware ${k(L.version)}\n\n> On ${k(L.isoDate)}, ${name(p, a)} wrote:\n> I called their hotline at ${p('PHONE', a.phone, a.loc)} and they told me to do a factory reset.\n> Didn't help.\n\nSame here. @${name(p, b, 'first')} did you ever get the replacement? Mine shipped from ${k(L.city)}.\n--\n${name(p, b, 'first')} | member since ${k(L.month)} 2019`,
      () => `[quote="${name(p, a)}"]Anyone near ${p('STREET_ADDRESS', a.street.street, a.loc)}? I'm selling my ${k(L.product)}, text ${p('PHONE', a.phone, a.loc)}[/quote]\n\nIs it still available? Posted ${k(L.usDate)}.`,
      () => `Quote from ${name(p, b)}:\n  "the meetup moved to ${p('STREET_ADDRESS', b.street.street, b.loc)}, ${b.street.postcode} ${b.street.city}"\n\nThanks ${name(p, b, 'first')}! Will bring the ${k(L.product)}. Thread #${k(L.ticket)}`,
    ])());
  }
  // film and TV dialogue
  for (let i = 0; i < N; i++) {
    const a = who(latin);
    const b = who(latin);
    const L = lookalikes(r);
    add('film/TV dialogue', (p, k) => r.pick([
      () => `INT. KITCHEN - NIGHT\n\n${p('PERSON', a.first.toUpperCase(), a.loc)}\nYou never called me back.\n\n${p('PERSON', b.first.toUpperCase(), b.loc)}\nI was in ${k(L.city)}.`,
      () => `${name(p, a, 'first')}: You never called me back.\n${name(p, b, 'first')}: I was in ${k(L.city)}. I told you.\n${name(p, a, 'first')}: Since ${k(L.month)}?`,
      () => `"It doesn't matter any more," said ${name(p, a, 'first')}. "We leave for ${k(L.city)} tonight."\n"Not without the papers," ${name(p, b, 'first')} said quietly.`,
      () => `"Get in the car, ${name(p, a, 'first')}!" shouted ${name(p, b)}.\n"Since when do you drive?" ${name(p, a, 'first')} asked.`,
      () => `${name(p, a)} (V.O.): The winter of ${k(L.month)} 1987 was the coldest I remember.\n${name(p, b)}: Tell them about ${k(L.city)}.`,
    ])());
  }
  // e-mail threads with headers
  for (let i = 0; i < N; i++) {
    const a = who();
    const b = who();
    const c = who(latin);
    const L = lookalikes(r);
    add('e-mail headers', (p, k) => r.pick([
      () => `From: ${name(p, a)} <a${i}@example.com>\nTo: ${name(p, b)} <b${i}@example.org>\nCc: ${name(p, c)} <c${i}@example.net>\nDate: Tue, 3 Mar 2026 09:14:22 +0100\nSubject: Re: invoice ${k(L.order)}\n\nHi ${name(p, b, 'first')},\nplease call me on ${p('PHONE', a.phone, a.loc)} about ${k(L.amount)}.`,
      () => `From: "${name(p, a, 'lastFirst')}" <a${i}@example.com>\nSent: ${k(L.isoDate)} 16:02\nTo: ${name(p, c)}\nSubject: delivery to ${p('STREET_ADDRESS', a.street.street, a.loc)}\n\nThe ${k(L.product)} arrives on ${k(L.month)} 12.`,
      () => `-----Original Message-----\nFrom: ${name(p, b)} [mailto:b${i}@example.org]\nSent: ${k(L.usDate)}\nTo: ${name(p, c)}\nSubject: RE: ${k(L.sku)}\n\nMy direct line is ${p('PHONE', b.phone, b.loc)}.`,
    ])());
  }
  // chat logs with timestamps
  for (let i = 0; i < N; i++) {
    const a = who();
    const b = who(latin);
    const L = lookalikes(r);
    add('chat log', (p, k) => r.pick([
      () => `[${k(L.isoDate)} 10:02:11] <${name(p, b, 'first').toLowerCase()}> anyone have the number for ${name(p, a)}?\n[${L.isoDate} 10:02:40] <ops-bot> ${p('PHONE', a.phone, a.loc)}\n[${L.isoDate} 10:03:05] <${p('PERSON', b.first.toLowerCase(), b.loc)}> thx, deploying ${k(L.version)} first`,
      () => `12:01 ${name(p, a)}: package goes to ${p('STREET_ADDRESS', a.street.street, a.loc)}, ${a.street.postcode} ${a.street.city}\n12:02 ${name(p, b)}: ok, ${k(L.tracking)}\n12:04 ${name(p, b)}: ETA ${k(L.euDate)}`,
      () => `(09:15) ${name(p, b, 'first')}: is ${name(p, a, 'first')} still on leave?\n(09:16) ${name(p, a, 'first')}: back now! call me ${p('PHONE', a.phone, a.loc)}\n(09:16) ${name(p, b, 'first')}: cool, ${k(L.code)} is broken again`,
    ])());
  }
  // invoices and shipping labels
  for (let i = 0; i < N; i++) {
    const a = who();
    const L = lookalikes(r);
    add('invoice/shipping label', (p, k) => r.pick([
      () => `INVOICE ${k(L.order)}        Date: ${k(L.euDate)}\nBill to: ${name(p, a)}\n${p('STREET_ADDRESS', a.street.street, a.loc)}\n${a.street.postcode} ${a.street.city}\nTel: ${p('PHONE', a.phone, a.loc)}\n\n${k(L.sku)}  ${k(L.product)}  Qty 2  ${k(L.amount)}\nDue: ${k(L.isoDate)}`,
      () => `SHIP TO:\n${p('PERSON', a.full.toUpperCase(), a.loc)}\n${p('STREET_ADDRESS', a.street.street, a.loc)}\n${a.street.postcode} ${a.street.city}\nPHONE: ${p('PHONE', a.phone, a.loc)}\nTRACKING ${k(L.tracking)}   WEIGHT 2.4 KG   ${k(L.isoDate)}`,
      () => `Packing slip — order ${k(L.order)}\nRecipient: ${name(p, a)}, ${p('STREET_ADDRESS', a.street.street, a.loc)}, ${a.street.postcode} ${a.street.city}\nContact phone ${p('PHONE', a.phone, a.loc)}\n1 x ${k(L.product)} ${k(L.amount)}`,
    ])());
  }
  // vCards and contact cards
  for (let i = 0; i < N; i++) {
    const a = who();
    const L = lookalikes(r);
    add('vCard/contact card', (p, k) => r.pick([
      () => `BEGIN:VCARD\nVERSION:3.0\nN:${p('PERSON', a.last, a.loc)};${p('PERSON', a.first, a.loc)};;;\nFN:${a.full}\nTEL;TYPE=CELL:${p('PHONE', a.phone, a.loc)}\nADR;TYPE=HOME:;;${p('STREET_ADDRESS', a.street.street, a.loc)};${a.street.city};;${a.street.postcode};\nBDAY:${p('DATE_OF_BIRTH', a.dob, a.loc)}\nREV:${k(L.isoDate)}T10:00:00Z\nEND:VCARD`,
      () => `${name(p, a)}\nHead of Procurement, ${k(L.product)} team\nM ${p('PHONE', a.phone, a.loc)}\n${p('STREET_ADDRESS', a.street.street, a.loc)} · ${a.street.postcode} ${a.street.city}`,
      () => `Contact\n  Name:     ${name(p, a)}\n  Mobile:   ${p('PHONE', a.phone, a.loc)}\n  Address:  ${p('STREET_ADDRESS', a.street.street, a.loc)}\n  Birthday: ${p('DATE_OF_BIRTH', dob(a), a.loc)}\n  Added:    ${k(L.usDate)}`,
    ])());
  }
  // CSV and TSV with varied headers
  for (let i = 0; i < N / 2; i++) {
    const people = [who(), who(), who()];
    const L = lookalikes(r);
    const shape = r.int(0, 3);
    add('CSV/TSV export', (p, k) => {
      const head = ['first_name,last_name,phone,street,zip,city,dob,order_date', 'Nombre;Apellidos;Teléfono;Dirección;Fecha de nacimiento;Importe', 'Vorname\tNachname\tTelefon\tStraße\tGeburtsdatum\tKundennr', 'contact|mobile|address|birthdate|sku'][shape]!;
      const lines = people.map((w, n) => {
        const bd = p('DATE_OF_BIRTH', n % 2 ? w.dob : strftime(w.dob, w.dateFmt), w.loc);
        if (shape === 0) return [p('PERSON', w.first, w.loc), p('PERSON', w.last, w.loc), p('PHONE', w.phone, w.loc), `"${p('STREET_ADDRESS', w.street.street, w.loc)}"`, w.street.postcode, w.street.city, bd, k(L.isoDate)].join(',');
        if (shape === 1) return [p('PERSON', w.first, w.loc), p('PERSON', w.last, w.loc), p('PHONE', w.phone, w.loc), p('STREET_ADDRESS', w.street.street, w.loc), bd, k(L.amount)].join(';');
        if (shape === 2) return [p('PERSON', w.first, w.loc), p('PERSON', w.last, w.loc), p('PHONE', w.phone, w.loc), p('STREET_ADDRESS', w.street.street, w.loc), bd, `K-${10400 + n}`].join('\t');
        return [name(p, w), p('PHONE', w.phone, w.loc), p('STREET_ADDRESS', w.street.street, w.loc), bd, k(L.sku)].join('|');
      });
      return `${head}\n${lines.join('\n')}`;
    });
  }
  // JSON and YAML records
  for (let i = 0; i < N; i++) {
    const a = who();
    const L = lookalikes(r);
    const q = (s: string) => JSON.stringify(s);
    add('JSON/YAML record', (p, k) => r.pick([
      () => `{"customer": {"name": ${q(name(p, a))}, "phone": ${q(p('PHONE', a.phone, a.loc))}, "address": {"street": ${q(p('STREET_ADDRESS', a.street.street, a.loc))}, "zip": ${q(a.street.postcode)}, "city": ${q(a.street.city)}}, "dob": "${p('DATE_OF_BIRTH', a.dob, a.loc)}"}, "created_at": "${k(L.isoDate)}T08:12:00Z", "order_id": "${k(L.order)}", "client": "${k(L.version)}"}`,
      () => `contact:\n  given_name: ${p('PERSON', a.first, a.loc)}\n  family_name: ${p('PERSON', a.last, a.loc)}\n  mobile: "${p('PHONE', a.phone, a.loc)}"\n  birth_date: ${p('DATE_OF_BIRTH', a.dob, a.loc)}\n  street: ${p('STREET_ADDRESS', a.street.street, a.loc)}\n  city: ${a.street.city}\nschema_version: ${k(L.version)}\nupdated: ${k(L.isoDate)}`,
      () => `- id: ${k(L.order)}\n  owner: ${name(p, a)}\n  tel: ${p('PHONE', a.phone, a.loc)}\n  handler: ${k(L.code)}\n  due: ${k(L.euDate)}`,
    ])());
  }
  // ticket descriptions
  for (let i = 0; i < N; i++) {
    const a = who();
    const b = who(latin);
    const L = lookalikes(r);
    add('ticket', (p, k) => r.pick([
      () => `Ticket #${k(L.ticket)} (P2) opened ${k(L.isoDate)}\nCustomer ${name(p, a)} (born ${p('DATE_OF_BIRTH', dob(a), a.loc)}) reports the ${k(L.product)} app crashes at login on ${k(L.version)}. Callback: ${p('PHONE', a.phone, a.loc)}.`,
      () => `Summary: wrong delivery address\nReporter: ${name(p, b)}\nDescription: the parcel for ${name(p, a)} went to ${p('STREET_ADDRESS', a.street.street, a.loc)} instead of the depot in ${k(L.city)}. Order ${k(L.order)}, value ${k(L.amount)}.`,
      () => `ISSUE-${k(L.ticket)}: ${k(L.code)} rejects valid numbers\nSteps: enter ${p('PHONE', a.phone, a.loc)} for user ${name(p, a)} (date of birth ${p('DATE_OF_BIRTH', dob(a), a.loc)}), press Save.\nExpected: saved. Actual: error. Seen since ${k(L.month)}.`,
    ])());
  }
  // lower-case chat
  for (let i = 0; i < N; i++) {
    const a = who(latin);
    const L = lookalikes(r);
    add('lower-case chat', (p, k) => r.pick([
      () => `hey its ${p('PERSON', a.first.toLowerCase(), a.loc)} again, new number is ${p('PHONE', a.phone, a.loc)}`,
      () => `ok send it to ${p('STREET_ADDRESS', a.street.street.toLowerCase(), a.loc)} pls, im there after ${k(L.month.toLowerCase())}`,
      () => `my bday is ${p('DATE_OF_BIRTH', dob(a).toLowerCase(), a.loc)} dont forget lol, and the ${k(L.product.toLowerCase())} is for ${p('PERSON', a.first.toLowerCase(), a.loc)}`,
      () => `lol ${p('PERSON', `${a.first} ${a.last}`.toLowerCase(), a.loc)} just called from ${p('PHONE', a.phone, a.loc)}`,
    ])());
  }
  // letters and address blocks
  for (let i = 0; i < N; i++) {
    const a = who();
    const L = lookalikes(r);
    add('letter/address block', (p, k) => `${name(p, a)}\n${p('STREET_ADDRESS', a.street.street, a.loc)}\n${a.street.postcode} ${a.street.city}\n\n${k(L.city)}, ${k(L.euDate)}\n\nDear Sir or Madam,\nI was born on ${p('DATE_OF_BIRTH', dob(a), a.loc)} and my contract number is ${k(L.order)}. Please call me at ${p('PHONE', a.phone, a.loc)}.`);
  }
  return rows;
}
