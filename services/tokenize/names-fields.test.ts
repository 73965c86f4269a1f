import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './detect.js';
import { findFieldNames, nameShaped } from './names-fields.js';
import type { NameSpan } from './names.js';

const PERSON = new Set(['PERSON'] as const);
/** The PERSON strings detect() finds in `text` (the lexicon finder and the field finder together). */
const persons = (text: string) => detect(text, { types: PERSON }).map((s) => text.slice(s.start, s.end));
/** The strings the field finder alone finds. */
const fields = (text: string) => {
  const out: NameSpan[] = [];
  findFieldNames(text, out);
  return out.map((s) => text.slice(s.start, s.end));
};

// made-up names, chosen to be outside any name lexicon so that only the structure can find them
test('field values under name keys: JSON, YAML, key=value, form fields, other languages', () => {
  const cases: [string, string[]][] = [
    ['{"customer": {"name": "Quorin Vellaby", "phone": "+1 555 0100"}}', ['Quorin Vellaby']],
    ['{"customer": "Quorin Vellaby", "plan": "pro"}', ['Quorin Vellaby']],
    ['first_name=Quorin&last_name=Vellaby&plan=pro', ['Quorin', 'Vellaby']],
    ['surname: Vellaby\ngiven_name: Quorin', ['Vellaby', 'Quorin']],
    ["{'lastName': 'Vellaby', 'id': 7}", ['Vellaby']],
    ['Reporter: Quorin Vellaby', ['Quorin Vellaby']],
    ['Nachname: Vellaby\nVorname: Quorin', ['Vellaby', 'Quorin']],
    ['Contact\n  Name:     Quorin Vellaby\n  Mobile:   555 0100', ['Quorin Vellaby']],
    ['"author": "Quorin Vellaby <qv@example.com>"', ['Quorin Vellaby']],
    ['apellidos: de la Vellaby', ['de la Vellaby']],
  ];
  for (const [text, want] of cases) assert.deepEqual(fields(text), want, text);
});

test('name keys that may hold a product, team or package stay quiet on one word, ordinary words and firms', () => {
  const quiet = [
    '{"name": "express", "version": "4.18.2"}',
    '{"name": "@scope/pkg-name"}',
    'name: Build and Test',
    'owner: Platform Team',
    'customer: Acme Corp',
    'name: Visual Studio Code',
    '{"name": "Quorin"}',
    'contact: Support Desk',
    'user: Admin User',
    'name: street_line_1',
    'name: llm-audit',
    '{"name": "Node Modules", "license": "MIT"}',
    '{"name": "Apache Kafka", "version": "3.7"}',
    'full_name: 42 Main Street',
    'reporter: https://example.com/q',
  ];
  for (const text of quiet) assert.deepEqual(fields(text), [], text);
});

test('vCard N: parts and FN:', () => {
  const card = 'BEGIN:VCARD\nVERSION:3.0\nN:Vellaby;Quorin;;;\nFN:Quorin Vellaby\nTEL;TYPE=CELL:555 0100\nEND:VCARD';
  const got = fields(card);
  assert.ok(got.includes('Vellaby') && got.includes('Quorin') && got.includes('Quorin Vellaby'), got.join('|'));
  const other = 'BEGIN:VCARD\nN:ظافرني;وليدان;;;\nFN;CHARSET=UTF-8:وليدان ظافرني\nEND:VCARD';
  assert.ok(fields(other).includes('وليدان ظافرني'), fields(other).join('|'));
  // N: outside a vCard is no name field
  assert.deepEqual(fields('N:Vellaby;Quorin;;;'), []);
});

test('CSV/TSV columns under a name header, any delimiter, quoted cells; other columns and other shapes left alone', () => {
  assert.deepEqual(fields('Nombre;Apellidos;Teléfono\nQuorin;Vellaby;555 0100\nMirela;Oszkart;555 0101'), ['Quorin', 'Vellaby', 'Mirela', 'Oszkart']);
  assert.deepEqual(fields('contact|mobile|sku\nQuorin Vellaby|555 0100|SKU-1'), ['Quorin Vellaby']);
  assert.deepEqual(fields('first_name,last_name,city\n"Quorin","Vellaby","Lyon"'), ['Quorin', 'Vellaby']);
  assert.deepEqual(fields('given name\tsurname\nQuorin\tVellaby'), ['Quorin', 'Vellaby']);
  // the shape ends the table: a row with another cell count is prose again
  assert.deepEqual(fields('first_name;last_name\nQuorin;Vellaby\nTamsin Roe says hi; Mirela Oszkart; too'), ['Quorin', 'Vellaby']);
  // a product table: single words and product words under `name` stay
  assert.deepEqual(fields('name,version\nExpress,4.1\nReact Router,6'), []);
});

test('tables and records under a key that names anything: products, files and teams stay, people are found', () => {
  const quiet = [
    'name,price,sku\nWidget Pro,9.99,SKU-1\nSmart Lamp,19.00,SKU-2',
    'name;price\nAurora Pro;9.99\nRuby Red;19.00',
    'name,brand\nAmber Glow,Acme\nRuby Red,Acme',
    'name,size\nreport.pdf,12\nholiday photo.jpg,3',
    '{"name": "Widget Pro", "price": 10}',
    'Name: Blue Ocean\nStatus: active',
    'owner: Blue Ocean',
  ];
  for (const text of quiet) assert.deepEqual(persons(text), [], text);
  // contact details beside the name column make it a table of people, whatever the lexicon says
  assert.deepEqual(persons('name,email\nQuorin Vellaby,q@example.com\nmary major,m@example.com'), ['Quorin Vellaby', 'mary major']);
  assert.deepEqual(persons('customer_id;name;city\nC-100;Quorin Vellaby;Lyon'), ['Quorin Vellaby']);
  // a lexicon name in a column that could hold anything
  assert.deepEqual(persons('name,team\nEmma Stone,infra\nData Pipeline,etl'), ['Emma Stone']);
  // a label for a person's name takes ordinary words
  assert.deepEqual(persons('Full name: Rose May'), ['Rose May']);
});

test('e-mail header display names, "Last, First" included; firms and lower-case words stay', () => {
  assert.deepEqual(fields('From: "Vellaby, Quorin" <q@example.com>\nTo: Mirela Oszkart <m@example.com>, "Tamsin Roe" <t@example.com>'), [
    'Vellaby, Quorin',
    'Mirela Oszkart',
    'Tamsin Roe',
  ]);
  assert.deepEqual(fields('To: Quorin Vellaby\nSubject: hi'), ['Quorin Vellaby']);
  assert.deepEqual(fields('From: "Acme, Inc" <a@example.com>\nTo: all staff\nCc: Marketing Department <m@example.com>'), []);
});

test('chat speakers after a timestamp, and the same word elsewhere in the text', () => {
  const log = '(09:15) Quorin: is Mirela still on leave?\n(09:16) Mirela: back now';
  const got = fields(log);
  assert.equal(got.filter((w) => w === 'Mirela').length, 2, got.join('|'));
  assert.ok(got.includes('Quorin'));
  assert.deepEqual(fields('[2026-01-02 10:02:11] <qvel> anyone here?'), ['qvel']);
  assert.deepEqual(fields('12:01 Quorin Vellaby: ok'), ['Quorin Vellaby']);
  assert.deepEqual(fields('[10:02] <bot> deployed\n10:15 System: restart\n12:01 Build Server: green'), []);
});

test('screenplay cues need several cues and a scene heading or a known name; headings in docs stay', () => {
  assert.deepEqual(fields('INT. HALL - DAY\n\nQUORIN\nYou never called.\n\nMIRELA (V.O.)\nI was away.'), ['QUORIN', 'MIRELA']);
  assert.deepEqual(fields('Intro\n\nNOTE\nThis is a doc.\n\nAPI\nThe api.\n\nFAQ\nQuestions.'), []);
  assert.deepEqual(fields('INT. HALL - DAY\n\nQUORIN\nYou never called.'), [], 'one cue alone is a heading as often');
});

test('forum quote headers', () => {
  assert.deepEqual(fields('Quote from Quorin Vellaby:\n  "the meetup moved"'), ['Quorin Vellaby']);
  assert.deepEqual(fields('> On 2026-02-19, Quorin Vellaby wrote:\n> hello'), ['Quorin Vellaby']);
  assert.deepEqual(fields('Quote from the release notes:'), []);
});

test('@mentions: a capitalised lexicon name only; annotations, scopes, handles and unknown words stay', () => {
  assert.deepEqual(fields('Same here. @Maria did you get it?'), ['Maria']);
  assert.deepEqual(fields('@Override\npublic void run() {}\n@Autowired @Param("id") @Max(3) @Valid private Foo foo;\nnpm i @types/node @Maria.x a@Maria.com @maria'), []);  // a lower-case given name or a caseless-script handle addressing someone; at-rules and doc tags stay
  assert.deepEqual(fields('@maria can you take SUP-1?\n@성호 please review'), ['maria', '성호']);
  assert.deepEqual(fields('@media screen and (min-width: 2px)\n@import url(x.css);\n * @param name the id\n@apply font-bold'), []);
});

test('chat client message headers: the author, two spaces, the time', () => {
  assert.deepEqual(fields('#ops\nQuorin Vellaby  10:32\ncan you take SUP-1?\n王宝钗  20:19\nthread: who owns it'), ['Quorin Vellaby', '王宝钗']);
  assert.deepEqual(fields('Build Status  10:32\nok\nDeploy Bot  10:33\nKafka Connect  12:00\nRelease Train — 12:30'), []);
});

test('spans are merged into the lexicon finder output in text order, overlaps joined', () => {
  const out: NameSpan[] = [{ start: 10, end: 16 }];
  const text = '{"name": "Quorin Vellaby", "phone": "1"}';
  findFieldNames(text, out);
  assert.deepEqual(out, [{ start: 10, end: 24 }]);
  assert.deepEqual(persons('{"first_name": "Quorin", "email": "x"}'), ['Quorin']);
});

test('value shape guard', () => {
  assert.ok(nameShaped("Aoife O'Quorin-Vellaby", true));
  assert.ok(nameShaped('Quorin van der Vellaby', true));
  assert.ok(nameShaped('王小明', true));
  assert.ok(!nameShaped('Quorin2 Vellaby', false));
  assert.ok(!nameShaped('quorin vellaby', false));
  assert.ok(!nameShaped('A B C D E F', false));
  assert.ok(!nameShaped('Quorin '.repeat(30).trim(), false));
  assert.ok(nameShaped('VELLABY', false, true) && !nameShaped('VELLABY', false, false));
});

/** Milliseconds for one findFieldNames over `text` (best of five: the machine is shared). */
function timeIt(text: string): number {
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    findFieldNames(text, []);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return best;
}

test('bounded work per line: 1 MiB of CSV, JSON lines, unclosed quotes and colons costs about 16x 64 KiB, not 256x', () => {
  const shapes: Record<string, (n: number) => string> = {
    csv: (n) => 'first_name;last_name;phone\n' + 'Quorin;Vellaby;555 0100\n'.repeat(n / 24),
    json: (n) => '{"name": "Quorin Vellaby", "phone": "555 0100"}\n'.repeat(n / 48),
    quotes: (n) => 'first_name;last_name\n' + '"Quorin;Vellaby\n'.repeat(n / 16),
    mail: (n) => 'From: "Vellaby, Quorin <q@example.com>\n'.repeat(n / 40),
    colons: (n) => 'name:'.repeat(n / 5),
    keys: (n) => 'a'.repeat(n - 6) + 'name: ',
    oneLine: (n) => ('Quorin Vellaby,' as string).repeat(n / 15),
  };
  for (const [shape, make] of Object.entries(shapes)) {
    const small = make(64 * 1024);
    const big = make(1024 * 1024);
    timeIt(small);
    const ratio = timeIt(big) / Math.max(timeIt(small), 0.5);
    // linear is 16x; the sort of the spans and the collector add some, a quadratic scan would be 256x
    assert.ok(ratio < 100, `${shape}: 1 MiB took ${ratio.toFixed(1)}x 64 KiB`);
  }
});

test('iCalendar ATTENDEE/ORGANIZER CN parameter: a display name, plain or quoted; rooms and other properties stay', () => {
  const ics = 'BEGIN:VEVENT\nSUMMARY:Kickoff\nORGANIZER;CN=Quorin Vellaby:mailto:qv@example.com\n' +
    'ATTENDEE;CN=Ilvo Brantke;ROLE=REQ-PARTICIPANT:mailto:ib@example.com\n' +
    'attendee;cn="Sarnet Oquell";PARTSTAT=ACCEPTED:mailto:so@example.org\n' +
    'ATTENDEE;CN=Room 4B;CUTYPE=ROOM:mailto:r@example.org\nX-NOTE;CN=Quill Arbent:text\nEND:VEVENT';
  assert.deepEqual(fields(ics), ['Quorin Vellaby', 'Ilvo Brantke', 'Sarnet Oquell']);
  // an LDAP distinguished name is no calendar property
  assert.deepEqual(fields('dn:\nCN=Quorin Vellaby,OU=Users,DC=corp'), []);
  // a CN with no end on its line (no ':' or ';' or closing quote) is not read
  assert.deepEqual(fields('ATTENDEE;CN="Quorin Vellaby\nmore'), []);
});

test('"Last, First" under a name key: both parts, when the given name ends the field', () => {
  assert.deepEqual(fields('full_name: Vellaby, Quorin\nplan: pro'), ['Vellaby', 'Quorin']);
  assert.deepEqual(fields('{"name": "x", "customer": Vellaby, John}'), ['Vellaby', 'John']);
  // a list is no "Last, First" (its first item is read as any value), nor a place under a key that may hold one
  assert.deepEqual(fields('full_name: Vellaby, Quorin, Ilvo'), ['Vellaby']);
  assert.deepEqual(fields('customer: Berlin, Germany'), []);
});
