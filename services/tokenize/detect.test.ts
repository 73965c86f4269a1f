import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detect, type EntityType } from './detect.js';
import { parseKeyring } from './keyring.js';
import { tokenizeText } from './index.js';
import { base62, crc32 } from './credentials/rule.js';

// fake PEM blocks, assembled so no file holds a literal private-key header
const PEM_BEGIN = '-----' + 'BEGIN ';
const PEM_EC = `${PEM_BEGIN}EC PRIVATE KEY-----\nMHcCAQEEIBk\n-----END EC PRIVATE KEY-----`;
const ring = parseKeyring(`t1:${Buffer.alloc(32, 1).toString('base64')}`, 'test');
// a GitHub token with a valid CRC32 suffix, built at run time
const GH_BODY = 'abcdefghijklmnopqrstuvwxyz0123';
const GHP = 'gh' + 'p_' + GH_BODY + base62(crc32(GH_BODY), 6);
const found = (text: string) => detect(text).map((s) => ({ type: s.type, value: text.slice(s.start, s.end) }));

// [type, text, the exact value that must be found]
const positives: [EntityType, string, string][] = [
  ['EMAIL', 'write to Mary.Poppins+news@sub.example.co.uk today', 'Mary.Poppins+news@sub.example.co.uk'],
  ['EMAIL', 'contact: <o.neil@example.org>', 'o.neil@example.org'],
  ['EMAIL', 'cut off at jane@examp', 'jane@examp'],
  ['PHONE', 'call +1 (415) 555-0142 now', '+1 (415) 555-0142'],
  ['PHONE', 'UK: +44 20 7946 0958.', '+44 20 7946 0958'],
  ['PHONE', 'DE +49 89 1234567', '+49 89 1234567'],
  ['PHONE', 'FR +33 1 23 45 67 89', '+33 1 23 45 67 89'],
  ['PHONE', 'IN +91-98765-43210', '+91-98765-43210'],
  ['PHONE', 'compact +447700900123 ok', '+447700900123'],
  ['PHONE', 'US (212) 555-0199 or', '(212) 555-0199'],
  ['PHONE', 'US 212.555.0199 or', '212.555.0199'],
  ['PHONE', 'FR national 06 12 34 56 78', '06 12 34 56 78'],
  ['PHONE', 'phone: 030 12345678', '030 12345678'],
  ['PHONE', 'Unsere Nummer: 030 12345678.', '030 12345678'],
  ['PHONE', 'Mon numéro est le 01 23 45 67 89', '01 23 45 67 89'],
  ['PHONE', 'reach Priya at 98765 43210 tonight', '98765 43210'],
  ['IP_ADDRESS', 'server 10.0.0.12 is down', '10.0.0.12'],
  ['CREDIT_CARD', 'visa 4111 1111 1111 1111.', '4111 1111 1111 1111'],
  ['CREDIT_CARD', 'mc 5500-0000-0000-0004', '5500-0000-0000-0004'],
  ['CREDIT_CARD', 'amex 3782 822463 10005', '3782 822463 10005'],
  ['CREDIT_CARD', 'raw 6011111111111117 end', '6011111111111117'],
  ['US_SSN', 'ssn 078-05-1121 on file', '078-05-1121'],
  ['US_SSN', 'SSN: 123456789', '123456789'],
  ['IBAN', 'pay GB82 WEST 1234 5698 7654 32 now', 'GB82 WEST 1234 5698 7654 32'],
  ['IBAN', 'pay DE89370400440532013000.', 'DE89370400440532013000'],
  ['IBAN', 'NL91ABNA0417164300 and', 'NL91ABNA0417164300'],
  ['IP_ADDRESS', 'from 192.168.10.254:8080', '192.168.10.254'],
  ['IP_ADDRESS', 'v6 2001:db8:85a3::8a2e:370:7334 seen', '2001:db8:85a3::8a2e:370:7334'],
  ['IP_ADDRESS', 'full 2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:0db8:0000:0000:0000:ff00:0042:8329'],
  ['IP_ADDRESS', 'mapped ::ffff:10.1.2.3 here', '::ffff:10.1.2.3'],
  ['MAC_ADDRESS', 'at 12:30:45 from 00:1A:2B:3C:4D:5E', '00:1A:2B:3C:4D:5E'],
  ['SECRET', 'key sk-proj-Abc123_def456-GHI789jkl012MNO345', 'sk-proj-Abc123_def456-GHI789jkl012MNO345'],
  // assembled at run time so the repository holds no string a secret scanner flags
  ['SECRET', `aws ${'AKIA' + 'QYLPMN5HHHFPZAM2'}`, 'AKIA' + 'QYLPMN5HHHFPZAM2'],
  ['SECRET', `gh ${GHP}`, GHP],
  ['SECRET', `slack ${'xox' + 'b-1234567890-0987654321-AbCdEfGhIjKl'}`, 'xox' + 'b-1234567890-0987654321-AbCdEfGhIjKl'],
  ['SECRET', 'g AIzaSyA1234567890abcdefghijklmnopqrstuv', 'AIzaSyA1234567890abcdefghijklmnopqrstuv'],
  ['SECRET', 'stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
  ['SECRET', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['SECRET', 'DB_PASSWORD="hunter2!x"', 'hunter2!x'],
  ['SECRET', 'Authorization: Bearer abc123def456ghi789jkl', 'abc123def456ghi789jkl'],
  ['SECRET', PEM_EC, PEM_EC],
  ['PERSON', 'My name is Ana Lopez-Garcia, thanks', 'Ana Lopez-Garcia'],
  ['PERSON', 'Dear Priyanka Raghunathan, your order', 'Priyanka Raghunathan'],
  ['PERSON', 'Invite Maria van der Berg <m@example.org>', 'Maria van der Berg'],
];

for (const [type, text, value] of positives) {
  test(`${type} found: ${JSON.stringify(value).slice(0, 50)}`, () => {
    assert.ok(found(text).some((f) => f.type === type && f.value === value), `got ${JSON.stringify(found(text))}`);
  });
}

// look-alikes that must come through unchanged
const lookalikes: [string, string][] = [
  ['uuid', 'trace 3f2b8c1e-9a4d-4c7e-b1f0-2d6e8a9c0b31 done'],
  ['git hash', 'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 merged'],
  ['short git hash', 'fixed in a1b2c3d'],
  ['version', 'upgrade to v2.14.3 or 1.2.3'],
  ['four-part version', 'Chrome/120.0.0.0 Safari/537.36'],
  ['dotted version after a version word', 'version 10.2.3.4 and build: 1.0.0.12 and v 2.0.1.3'],
  ['ten digits without a phone word', 'batch 98765 43210 rows'],
  ['date', 'due 2026-03-10 and 10/03/2026'],
  ['timestamp', 'at 2026-03-10T12:34:56.789Z and epoch 1741609696123'],
  ['order id', 'order ORD-12345678 and #A-99812'],
  ['isbn', 'ISBN 978-0-306-40615-7 and 9780306406157'],
  ['hex literal', 'mask 0xDEADBEEF and 0x7fffffff'],
  ['card-length non-Luhn', 'ref 4111 1111 1111 1112 and 5500000000000005'],
  ['invalid SSN ranges', '000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000'],
  ['invalid IPv4', '256.1.1.1 and 1.2.3.4.5'],
  ['time', '12:30:45 and 2026-03-10 12:30'],
  ['money', 'total $781,815.20 and €1.234.567,89'],
  ['math', '529 * 392 = 65616 and 5 + 3 = 8'],
  ['bad IBAN checksum', 'GB82 WEST 1234 5698 7654 33'],
  ['host:port', 'localhost:43726'],
  ['principal id', 'user-a2b73a key_477ebe9f0a63 req_d35d06350a5130e6'],
  ['npm spec', 'install left-pad@1.3.0 and @types/node'],
  ['placeholder secret', 'password = "<your password>" api_key=YOUR_API_KEY'],
  ['AWS documentation example key', `aws ${'AKIA' + 'IOSFODNN7EXAMPLE'}`],
  ['GitHub-shaped token with a wrong checksum', 'gh ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
];
for (const [what, text] of lookalikes) {
  test(`look-alike stays: ${what}`, () => {
    assert.deepEqual(found(text), []);
    assert.equal(tokenizeText(text, ring).text, text);
  });
}

test('tokens replace values and are never re-tokenized', () => {
  const once = tokenizeText('mail a@b.example and 4111 1111 1111 1111', ring);
  assert.match(once.text, /^mail <EMAIL:t1:[0-9a-f]{16}> and <CREDIT_CARD:t1:[0-9a-f]{16}>$/);
  const twice = tokenizeText(once.text, ring);
  assert.equal(twice.text, once.text);
  assert.equal(twice.entities.length, 0);
});

test('overlaps: a name partly inside a stronger finding keeps its other words', () => {
  // the street address reaches back over the line break to the surname; the given name must not stay in the text
  const text = 'Billing address:\nGreta Maierhofer\nDieselstr. 9\n59527 Neustadt';
  const r = detect(text);
  for (const w of ['Greta', 'Maierhofer']) {
    assert.ok(r.some((s) => text.slice(s.start, s.end).split(/\s+/).includes(w)), `${w} left out of ${JSON.stringify(found(text))}`);
  }
  assert.ok(!/Greta/.test(tokenizeText(text, ring).text));
});

test('overlaps: the secret wins over the digits inside it', () => {
  const r = found('token sk-abc4111111111111111xyzXYZ0123456789');
  assert.equal(r.length, 1);
  assert.equal(r[0]!.type, 'SECRET');
});

// Hostile input: must complete (linear scanners, bounded quantifiers). Not tightly timed: the box is shared.
const MB = 1 << 20;
const hostile: [string, string][] = [
  ['digits', '7'.repeat(MB)],
  ['at signs', '@'.repeat(MB)],
  ['a@ pairs', 'a@'.repeat(MB / 2)],
  ['nested brackets', '('.repeat(MB / 2) + ')'.repeat(MB / 2)],
  ['whitespace', ' \t\n'.repeat(MB / 3)],
  ['digit groups', '1234 '.repeat(MB / 5)],
  ['dotted digits', '1.'.repeat(MB / 2)],
  ['colons', 'a:'.repeat(MB / 2)],
  ['plus digits', '+1'.repeat(MB / 2)],
  ['capitalised words', 'Anna '.repeat(MB / 5)],
  ['pem without end', `${PEM_BEGIN}RSA PRIVATE KEY-----\n` + 'A'.repeat(MB)],
  ['jwt-ish', 'eyJ'.repeat(MB / 3)],
  ['key names', 'password_'.repeat(MB / 9)],
  ['runs of -pwd', '-pwd'.repeat(MB / 4)],
  ['assignments without values', 'password='.repeat(MB / 9)],
  ['nested assignments', 'key=key='.repeat(MB / 8)],
  ['sk- runs', 'sk-'.repeat(MB / 3)],
  ['url schemes', 'a://'.repeat(MB / 4)],
  ['userinfo without host', 'http://u:' + 'p'.repeat(MB)],
  ['begin lines', `${PEM_BEGIN}PRIVATE KEY-----`.repeat(MB / 27)],
  ['bearer words', 'Bearer '.repeat(MB / 7)],
  ['context words', 'datadog '.repeat(MB / 8)],
  ['fake tokens', '<EMAIL:Abc_123:0123456789abcdef>'.repeat(MB / 32)],
];
for (const [what, text] of hostile) {
  test(`hostile megabyte of ${what} completes`, () => {
    const t0 = Date.now();
    const r = tokenizeText(text, ring);
    assert.equal(typeof r.text, 'string');
    // generous bound: catastrophic backtracking on a megabyte takes minutes, not seconds
    assert.ok(Date.now() - t0 < 20_000, `${what} took ${Date.now() - t0} ms`);
  });
}

test('size cap: cut at whitespace, flagged, marked', () => {
  const text = 'word '.repeat(1000) + 'jane@example.com';
  const r = tokenizeText(text, ring, { maxBytes: 1024 });
  assert.equal(r.truncated, true);
  assert.ok(Buffer.byteLength(r.text) <= 1024 + 40);
  assert.ok(!r.text.includes('jane@'));
  assert.ok(r.text.endsWith('[llm-audit: truncated]'));
  assert.equal(tokenizeText('short', ring, { maxBytes: 1024 }).truncated, false);
});

test('fake tokens: text shaped like our token does not shield a value', () => {
  const card = '4111111111111111';
  const fake = `<EMAIL:t1:${card}>`;
  const out = tokenizeText(`paid with ${fake}`, ring);
  assert.ok(!out.text.includes(card), out.text);
  // an IBAN in the version slot (no such key version) and a password there
  const iban = 'BE15896785254496';
  const wrapped = tokenizeText(`<SECRET:${iban}:39af09e18c4f72a3> and key=<PERSON:Wintersilver754:b7bb5776e7c8650c>`, ring);
  assert.ok(!wrapped.text.includes(iban) && !wrapped.text.includes('Wintersilver754'), wrapped.text);
  // a real token of ours (configured version, tag checks out) is left alone
  const real = tokenizeText('mail jane@example.com', ring).text;
  assert.equal(tokenizeText(real, ring).text, real);
  // a token of another deployment (unknown version) with random hex is scanned and nothing is found in it
  assert.equal(tokenizeText('<EMAIL:k9:3f2b8c1e9a4d4c7e>', ring).text, '<EMAIL:k9:3f2b8c1e9a4d4c7e>');
});

test('secrets carry their provider and credential type', () => {
  const spans = detect(`export AWS_ACCESS_KEY_ID=${'AKIA' + 'QYLPMN5HHHFPZAM2'}\nGITHUB_TOKEN=${GHP}`);
  assert.deepEqual(spans.map((s) => [s.type, s.provider, s.subtype]), [['SECRET', 'aws', 'aws_access_key_id'], ['SECRET', 'github', 'github_pat']]);
});

// The worst inputs against a megabyte of prose, interleaved in one run (the box is shared: ratios, not times).
// The credential-assignment regex this replaced cost ~50x prose on runs of `-pwd` (0.4-1.1 s per MiB);
// `npm run bench:secrets` prints every rule's worst input in ms per MiB.
test('hostile megabytes cost about what prose costs (no pattern backtracks)', () => {
  const mk = (s: string) => Buffer.from(s.repeat(Math.ceil(MB / s.length)).slice(0, MB)).toString();
  const prose = mk('The quick brown fox jumps over the lazy dog while the team reviews the deploy notes. ');
  const worst = ['-pwd', 'password=', 'password is ', 'key=key=', 'token: ', '"api_key": "', 'a://', `${PEM_BEGIN}PRIVATE KEY-----`, 'Bearer ', 'curl -u a ', 'sk-', 'api-key', '<EMAIL:Abc_123:0123456789abcdef>'];
  const once = (t: string) => {
    const t0 = performance.now();
    tokenizeText(t, ring);
    return performance.now() - t0;
  };
  const bad: string[] = [];
  for (const w of worst) {
    const text = mk(w);
    // prose and the hostile megabyte back to back, five rounds: one round under the bound is enough (preemption
    // only ever makes a round slower), while a backtracking pattern misses it in every round
    let best = Infinity;
    let seen = '';
    for (let k = 0; k < 5 && best > 0; k++) {
      const base = once(prose);
      const cost = once(text);
      if (cost - 20 * base - 40 < best) {
        best = cost - 20 * base - 40;
        seen = `${cost.toFixed(1)} ms/MiB vs prose ${base.toFixed(1)}`;
      }
    }
    if (best > 0) bad.push(`${JSON.stringify(w)}: ${seen}`);
  }
  assert.deepEqual(bad, []);
});

test('a field dense with findings: repeated own tokens checked once each, disjoint names all kept in text order', () => {
  const mail = tokenizeText('x@example.com', ring).text;
  const other = tokenizeText('y@example.com', ring).text;
  const forged = mail.slice(0, -5) + (mail.at(-5) === '0' ? '1' : '0') + mail.slice(-4);
  const text = `${mail} ${other} ${forged} `.repeat(200);
  const asked: string[] = [];
  const spans = detect(text, { types: new Set(['EMAIL']), isOwnToken: (t) => (asked.push(t), t === mail || t === other) });
  assert.deepEqual([...new Set(asked)].sort(), [mail, other, forged].sort());
  assert.equal(asked.length, 3);
  // the forged token (wrong tag) is scanned like other text every time; its slots hold no e-mail
  assert.equal(spans.length, 0);
  const speakers = 'Alice: hi\n'.repeat(500);
  const names = detect(speakers, { types: new Set(['PERSON']) });
  assert.equal(names.length, 500);
  names.forEach((s, k) => assert.deepEqual(s, { type: 'PERSON', start: k * 10, end: k * 10 + 5 }));
});

test('a field of wrapped IBANs: each is found across its break and replaced whole', () => {
  const text = 'DE89 3704 0044\n0532 0130 00 '.repeat(40);
  const r = tokenizeText(text, ring);
  // (each may be found by both join variants: two tokens of one value, side by side)
  assert.equal(new Set(r.entities.map((e) => e.start)).size, 40);
  assert.ok(r.entities.every((e) => e.type === 'IBAN'));
  assert.ok(!/\d{3}/.test(r.text.replace(/<[^>]+>/g, '')), r.text.slice(0, 200));
});
