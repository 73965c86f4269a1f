import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import { csvCell, csvRow, templateFields } from './csv.js';
import { exportQuery, timeRange } from './export.js';
import { globMatch, prefixOf } from './hold.js';
import { chainStep, compareKeys, diffLeaves, genesis, type Leaf } from './integrity.js';
import { progressBar } from './progress.js';
import { signerFrom, verifierFrom } from './sign.js';

const HMAC = 'k'.repeat(40);

test('canonical JSON ignores key order at every level and drops undefined', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'é' }, u: undefined }), '{"a":{"c":"é","d":[1,{"x":1,"y":2}]},"b":1}');
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
  assert.notEqual(canonicalJson({ a: '1' }), canonicalJson({ a: 1 }));
});

test('HMAC manifests verify with the secret, fail on any change or another secret', () => {
  const m = { files: [{ name: 'a', sha256: '00' }], counts: { documents: 3 } };
  const s = signerFrom(HMAC, 'k1').sign(m);
  assert.equal(s.alg, 'hmac-sha256');
  assert.equal(s.key_id, 'k1');
  assert.ok(verifierFrom(undefined, HMAC).verify(m, s));
  assert.ok(verifierFrom(undefined, HMAC).verify({ counts: { documents: 3 }, files: [{ sha256: '00', name: 'a' }] }, s), 'key order is not content');
  assert.equal(verifierFrom(undefined, HMAC).verify({ ...m, counts: { documents: 4 } }, s), false);
  assert.equal(verifierFrom('x'.repeat(40)).verify(m, s), false);
});

test('Ed25519 manifests verify with the public key alone', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const priv = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const m = { a: 1 };
  const s = signerFrom(priv).sign(m);
  assert.equal(s.alg, 'ed25519');
  assert.ok(verifierFrom(pub).verify(m, s));
  assert.ok(verifierFrom(undefined, priv).verify(m, s), 'the private key verifies through its public half');
  assert.equal(verifierFrom(pub).verify({ a: 2 }, s), false);
  assert.equal(verifierFrom(HMAC).verify(m, s), false, 'an HMAC verifier never accepts an Ed25519 signature');
});

test('signing keys that cannot be right are refused with a fix', () => {
  assert.throws(() => signerFrom(undefined), /LLM_AUDIT_SIGNING_KEY/);
  assert.throws(() => signerFrom('short'), /at least 32/);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  assert.throws(() => signerFrom(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), /only Ed25519/);
});

test('date ranges: whole UTC days include --to; timestamps exclude it', () => {
  assert.deepEqual(timeRange('2026-11-01', '2026-11-01'), { gte: '2026-11-01T00:00:00.000Z', lt: '2026-11-02T00:00:00.000Z' });
  assert.deepEqual(timeRange('2026-11-01T10:00:00Z', '2026-11-01T11:00:00Z'), { gte: '2026-11-01T10:00:00.000Z', lt: '2026-11-01T11:00:00.000Z' });
  assert.throws(() => timeRange('yesterday', '2026-11-01'), /neither YYYY-MM-DD/);
  assert.throws(() => timeRange('2026-11-02', '2026-11-01'), /not after/);
  const q = exportQuery({ from: '2026-11-01', to: '2026-11-01', team: 'payments' }) as { bool: { filter: unknown[] } };
  assert.deepEqual(q.bool.filter[1], { term: { 'llm_audit.owner.team': 'payments' } });
});

test('CSV cells: quoting per RFC 4180, formulas neutralised, arrays as JSON', () => {
  const cases: [unknown, string][] = [
    ['plain', 'plain'], ['a,b', '"a,b"'], ['say "hi"', '"say ""hi"""'], ['line\nbreak', '"line\nbreak"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'], ['+1', "'+1"], ['@SUM', "'@SUM"], [-3, '-3'], [null, ''], [undefined, ''], [true, 'true'],
    [['EMAIL', 'PHONE'], '"[""EMAIL"",""PHONE""]"'],
  ];
  for (const [v, want] of cases) assert.equal(csvCell(v), want, JSON.stringify(v));
  const cols = ['@timestamp', 'llm_audit.pii.types', 'gen_ai.usage.total_tokens'];
  assert.equal(csvRow('i', 'id1', { '@timestamp': 't', llm_audit: { pii: { types: ['EMAIL'] } }, gen_ai: { usage: { total_tokens: 7 } } }, cols), 'i,id1,t,"[""EMAIL""]",7\r\n');
});

test('CSV columns are the events template leaves', () => {
  const f = templateFields('events');
  for (const x of ['@timestamp', 'event.id', 'llm_audit.api_key.id', 'llm_audit.pii.tokens', 'source.geo.location']) assert.ok(f.includes(x), x);
  assert.equal(new Set(f).size, f.length);
});

test('hold patterns and prefixes', () => {
  assert.ok(globMatch('llm-audit-events-2026.11.*', 'llm-audit-events-2026.11.27'));
  assert.ok(!globMatch('llm-audit-events-2026.11.*', 'llm-audit-events-2026.12.01'));
  assert.ok(!globMatch('llm-audit-events-2026.1?.01', 'llm-audit-events-2026.1.01'));
  assert.ok(!globMatch('a.b', 'axb'), 'dots are literal');
  assert.ok(globMatch('a**b***c', 'aXXbYc') && globMatch('***', '') && !globMatch('a*?', 'a') && globMatch('*-events-*', 'p-events-2026'));
  assert.equal(prefixOf('t-xy-llm-audit-events-2026.11.27'), 't-xy-llm-audit');
  assert.equal(prefixOf('llm-audit-alerts-2026.11.27'), 'llm-audit');
  assert.equal(prefixOf('something-else'), undefined);
});

async function* from<T>(xs: T[]): AsyncGenerator<T> {
  yield* xs;
}
const leaf = (id: string, hash: string, key = id): Leaf => ({ id, key, hash });

test('diffLeaves names changed, added, deleted and moved documents', async () => {
  const stored = [leaf('a', 'h1'), leaf('b', 'h2'), leaf('c', 'h3'), leaf('e', 'h5')];
  const current = [leaf('a', 'h1xxxx'), leaf('b', 'zz'), leaf('d', 'h4'), leaf('e', 'h5'), leaf('f', 'h6')];
  const seen: string[] = [];
  const d = await diffLeaves(from(stored), from(current), (l) => seen.push(l.id));
  assert.deepEqual(d, { changed: ['b'], added: ['d', 'f'], deleted: ['c'] });
  assert.deepEqual(seen, ['a', 'b', 'd', 'e', 'f'], 'every current leaf feeds the chain once, in order');
  const moved = await diffLeaves(from([leaf('a', 'h', 'k1'), leaf('b', 'h', 'k2')]), from([leaf('b', 'h', 'k2'), leaf('a', 'h', 'k3')]));
  assert.deepEqual(moved, { changed: ['a'], added: [], deleted: [] });
  assert.deepEqual(await diffLeaves(from(stored), from(stored)), { changed: [], added: [], deleted: [] });
});

test('key order is UTF-8 byte order (as Elasticsearch sorts keywords), then _id', () => {
  assert.ok(compareKeys({ key: '\uffff', id: '' }, { key: '\u{1F600}', id: '' }) < 0, 'JS string order would say the opposite');
  assert.ok(compareKeys({ key: 'k', id: 'a' }, { key: 'k', id: 'b' }) < 0);
  assert.ok(compareKeys({ key: '', id: 'z' }, { key: 'a', id: 'a' }) < 0);
});

test('the chain depends on every hash and their order', () => {
  const g = genesis('idx');
  assert.notEqual(g, genesis('idx2'));
  const ab = chainStep(chainStep(g, 'a'), 'b');
  assert.notEqual(ab, chainStep(chainStep(g, 'b'), 'a'));
  assert.match(ab, /^[0-9a-f]{64}$/);
});

test('progress bar draws only on a terminal', () => {
  const out: string[] = [];
  const sink = { isTTY: false, write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream & { isTTY: boolean };
  progressBar(sink, 'x').update(5, 10);
  assert.equal(out.length, 0);
  let t = 0;
  const tty = { isTTY: true, write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream & { isTTY: boolean };
  const bar = progressBar(tty, 'export', () => (t += 1000));
  bar.update(500, 1000);
  assert.match(out[0]!, /^\rexport \[#{15}\.{15}\]  50% 500\/1,000 docs/);
  bar.finish(1000, 1000);
  assert.match(out[1]!, /100% 1,000\/1,000 docs .*\n$/);
});

test('legal-hold patterns match in linear time: 20 stars and a mismatch answer in under a millisecond', () => {
  const pattern = `${'*'.repeat(20)}x`;
  const name = `llm-audit-events-${'a'.repeat(200)}`;
  const t0 = performance.now();
  for (let i = 0; i < 100; i++) assert.equal(globMatch(pattern, name), false);
  const each = (performance.now() - t0) / 100;
  assert.ok(each < 1, `${each.toFixed(3)} ms per match`);
  assert.ok(!globMatch('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000)), 'alternating stars stay polynomial');
});
