import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../common/errors.js';
import { MAX_SERIES_PER_METRIC, MetricsRegistry, producerLabel } from '../common/metrics.js';
import { usageType } from '../common/usage.js';
import { toAuditDoc } from '../index/audit-doc.js';
import { base62, crc32 } from './credentials/rule.js';
import type { AuditRecord, UsageEvent } from '../common/types.js';
import { loadTokenizeSettings } from './config.js';
import { deadLetterPayload, deadLetterText, openDeadLetter, sanitizeForDeadLetter } from './dlq.js';
import { parseKeyring } from './keyring.js';
import { tokenFor, tokensForAllVersions } from './tokens.js';
import { harmlessId, MemoCache, secretFindings, TokenizeStage } from './stage.js';
import { createRequire } from 'node:module';
import { getExampleNumber, type CountryCode, type Examples } from 'libphonenumber-js/max';
import { seededRun } from './credentials/fake.js';
import { randDigits, rng, withLuhn } from './entities/testing.js';
import { METADATA_TYPES, tokenizeText } from './index.js';
import { aadhaarOk, auAbnOk, auTfnOk, nhsOk, ssnOk, usItinOk } from './validators.js';
import { openEntry, sealEntry } from './vault.js';

const b64 = () => randomBytes(32).toString('base64');
const env = (extra: Record<string, string> = {}) => ({ LLM_AUDIT_TOKENIZE_KEYS: `k1:${b64()},k2:${b64()}`, ...extra });

const event = (over: Partial<UsageEvent>): UsageEvent => ({
  event_id: 'e1', occurred_at: 1, gateway_id: 'gw', environment: 'prod', provider: 'openai', operation: 'chat.completions', model: 'gpt-4o',
  model_version: null, api_key_id: 'key_1', principal_id: 'user-a2b73a', source_ip: '10.0.0.1', user_agent: 'openai-node/4.71.1', status_code: 200,
  error_code: null, input_tokens: 1, output_tokens: 1, latency_ms: 1, request_id: 'req_1', prompt: null, completion: null, ...over,
});

test('config: refuses to start without a key and says how to make one', () => {
  assert.throws(() => loadTokenizeSettings({}), (e: unknown) => e instanceof ConfigError && /openssl rand -base64 32/.test(e.message));
  assert.throws(() => loadTokenizeSettings({ LLM_AUDIT_TOKENIZE_KEYS: 'k1:c2hvcnQ=' }), /at least 32/);
  assert.throws(() => loadTokenizeSettings(env({ LLM_AUDIT_VAULT_ENABLED: 'true' })), /reveal key/);
  assert.equal(loadTokenizeSettings(env()).keyring.current, 'k2');
  assert.equal(loadTokenizeSettings(env({ LLM_AUDIT_TOKENIZE_MAX_FIELD_BYTES: '2048' })).config.maxFieldBytes, 2048);
});

test('tokens: keyed, deterministic, normalised, versioned', () => {
  const a = parseKeyring(`k1:${b64()}`, 't');
  const b = parseKeyring(`k1:${b64()}`, 't');
  assert.equal(tokenFor('EMAIL', 'Jane@Example.com', a), tokenFor('EMAIL', 'jane@example.com', a));
  assert.notEqual(tokenFor('EMAIL', 'jane@example.com', a), tokenFor('EMAIL', 'john@example.com', a));
  assert.notEqual(tokenFor('EMAIL', 'jane@example.com', a), tokenFor('EMAIL', 'jane@example.com', b));
  assert.equal(tokenFor('CREDIT_CARD', '4111 1111 1111 1111', a), tokenFor('CREDIT_CARD', '4111-1111-1111-1111', a));
  assert.equal(tokenFor('PHONE', '(415) 555-0142', a), tokenFor('PHONE', '+1 415 555 0142', a));
  assert.equal(tokenFor('IP_ADDRESS', '2001:0db8:0:0:0:0:0:1', a), tokenFor('IP_ADDRESS', '2001:db8::1', a));
  assert.equal(tokenFor('IBAN', 'gb82 west 1234 5698 7654 32', a), tokenFor('IBAN', 'GB82WEST12345698765432', a));
  assert.match(tokenFor('US_SSN', '078-05-1121', a), /^<US_SSN:k1:[0-9a-f]{16}>$/);
  const rotated = parseKeyring(`k1:${a.keys.get('k1')!.toString('base64')},k2:${b64()}`, 't');
  const all = tokensForAllVersions('EMAIL', 'jane@example.com', rotated);
  assert.equal(all[0], tokenFor('EMAIL', 'jane@example.com', a));
  assert.match(all[1]!, /^<EMAIL:k2:/);
  assert.equal(tokenFor('EMAIL', 'jane@example.com', rotated), all[1]);
});

test('tokens: the per-keyring cache answers what a fresh keyring computes, per type, across a cache that fills and is dropped', () => {
  const key = `k1:${b64()}`;
  const warm = parseKeyring(key, 't');
  const types = ['EMAIL', 'PERSON', 'PHONE', 'SECRET'] as const;
  // the same string under two types is two tokens; more distinct values than the cache holds (50,000), asked twice
  const values = Array.from({ length: 13_000 }, (_, i) => `value-${i}@example.com`);
  const first = new Map<string, string>();
  for (const v of values) for (const t of types) first.set(`${t} ${v}`, tokenFor(t, v, warm));
  for (const [i, v] of values.entries()) {
    for (const t of types) {
      const again = tokenFor(t, v, warm);
      assert.equal(again, first.get(`${t} ${v}`));
      if (i % 997 === 0) assert.equal(again, tokenFor(t, v, parseKeyring(key, 't')));
    }
  }
  assert.notEqual(tokenFor('EMAIL', values[1]!, warm), tokenFor('PERSON', values[1]!, warm));
});

test('stage: replaces raw values in the event, fills llm_audit.* and counts', async () => {
  const settings = loadTokenizeSettings(env());
  const metrics = new MetricsRegistry();
  const stage = new TokenizeStage(settings, undefined, metrics);
  const rec: AuditRecord = {
    event: event({ prompt: 'I am Jane Roe, jane@example.com, card 4111 1111 1111 1111', completion: 'Sure jane@example.com', principal_id: 'jane@corp.example', user_agent: 'bot/1.0 (+mailto ops@corp.example)' }),
    doc: { user: { email: 'jane@corp.example' } }, alerts: [], partition: 0, offset: '7',
  };
  const plain: AuditRecord = { event: event({ prompt: 'summarise v1.2.3' }), doc: {}, alerts: [], partition: 0, offset: '8' };
  await stage.process([rec, plain]);
  const all = JSON.stringify(rec);
  for (const raw of ['jane@example.com', '4111 1111 1111 1111', 'jane@corp.example', 'ops@corp.example']) assert.ok(!all.includes(raw), raw);
  const pii = (rec.doc.llm_audit as { pii: { types: string[]; count: number; tokens: string[]; truncated: boolean; fields: string[] } }).pii;
  assert.deepEqual(pii.types, ['CREDIT_CARD', 'EMAIL', 'PERSON']);
  assert.equal(pii.count, 6);
  assert.equal(pii.tokens.length, 5);
  assert.equal(pii.truncated, false);
  assert.deepEqual(pii.fields, ['prompt', 'completion', 'principal_id', 'user_agent']);
  assert.equal((rec.doc.llm_audit as { completion: string }).completion, rec.event.completion);
  assert.equal((rec.doc.user as { email: string }).email, rec.event.principal_id);
  assert.equal(plain.event.principal_id, 'user-a2b73a');
  assert.equal(plain.event.prompt, 'summarise v1.2.3');
  assert.equal((plain.doc.llm_audit as { pii: { count: number } }).pii.count, 0);
  assert.deepEqual({ ...stage.counters }, { stage: 'tokenize', received: 2, sent: 2, dropped: 0, errored: 0 });
  assert.equal(metrics.counterValue('llm_audit_tokenize_entities_total', { type: 'EMAIL' }), 4);
});

test('raw values a stage before copied into the document are replaced everywhere in it: nested objects, arrays, few and many values', async () => {
  const stage = new TokenizeStage(loadTokenizeSettings(env()), undefined, new MetricsRegistry());
  const mail = (who: string) => `${who}@corp.example`;
  const few = event({ principal_id: mail('ann'), user_agent: `bot (${mail('ops')})` });
  const many = event({ principal_id: mail('bo'), user_agent: `bot (${mail('ci')})`, model: `m-${mail('ml')}`, gateway_id: `gw ${mail('gw')}`, error_code: `E ${mail('err')}`, prompt: `mail ${mail('p')}` });
  const copy = (ev: UsageEvent) => ({ user: { id: ev.principal_id }, tags: [ev.user_agent, 'kept', { deep: [ev.model, 7, null] }], notes: { a: ev.gateway_id, b: ev.error_code, c: ev.prompt }, same: 'kept' });
  const records: AuditRecord[] = [few, many].map((ev, i) => ({ event: ev, doc: copy(ev) as unknown as AuditRecord['doc'], alerts: [], partition: 0, offset: String(i) }));
  const raws = [few, many].map((ev) => [ev.principal_id, ev.user_agent, ev.model, ev.gateway_id, ev.error_code, ev.prompt]);
  await stage.process(records);
  for (const [i, r] of records.entries()) {
    const ev = r.event;
    const { llm_audit: _, ...rest } = r.doc as Record<string, unknown>;
    // every copied string is now the event's tokenized value, and the untouched ones are left as they were
    assert.deepEqual(rest, copy(ev));
    const all = JSON.stringify(r.doc);
    for (const raw of raws[i]!) if (raw && raw.includes('@')) assert.ok(!all.includes(raw), raw);
  }
  assert.ok((records[1]!.doc as { notes: { c: string } }).notes.c.startsWith('mail <EMAIL:'));
});

test('stage: oversized field is cut, flagged and counted', async () => {
  const settings = loadTokenizeSettings(env({ LLM_AUDIT_TOKENIZE_MAX_FIELD_BYTES: '1024' }));
  const metrics = new MetricsRegistry();
  const stage = new TokenizeStage(settings, undefined, metrics);
  const rec: AuditRecord = { event: event({ prompt: 'x '.repeat(2000) }), doc: {}, alerts: [], partition: 0, offset: '1' };
  await stage.process([rec]);
  assert.equal((rec.doc.llm_audit as { pii: { truncated: boolean } }).pii.truncated, true);
  assert.ok(rec.event.prompt!.length < 1100);
  assert.equal(metrics.counterValue('llm_audit_tokenize_truncated_total', { field: 'prompt' }), 1);
});

test('vault entry: AES-256-GCM bound to its token and to both key versions', () => {
  const ring = parseKeyring(`k1:${b64()}`, 't');
  const reveal = parseKeyring(`r1:${b64()}`, 'r');
  const token = tokenFor('EMAIL', 'jane@example.com', ring);
  const doc = sealEntry({ token, type: 'EMAIL', raw: 'jane@example.com' }, ring, reveal);
  assert.ok(!JSON.stringify(doc).includes('jane'));
  assert.equal(openEntry(token, doc, ring, reveal), 'jane@example.com');
  assert.throws(() => openEntry(tokenFor('EMAIL', 'x@example.com', ring), doc, ring, reveal), /does not decrypt/);
  assert.throws(() => openEntry(token, doc, parseKeyring(`k2:${b64()}`, 't'), reveal), /k1 is not configured/);
  assert.throws(() => openEntry(token, doc, ring, parseKeyring(`r2:${b64()}`, 'r')), /r1 is not configured/);
});

test('dead letters: encrypted with a reveal key, tokenized without', () => {
  const ring = parseKeyring(`k1:${b64()}`, 't');
  const reveal = parseKeyring(`r1:${b64()}`, 'r');
  const raw = Buffer.concat([Buffer.from([0, 0, 0, 0, 1, 0x80, 0xff]), Buffer.from('mail jane@example.com ssn 078-05-1121', 'latin1')]);
  const enc = sanitizeForDeadLetter(raw, { keyring: ring, revealRing: reveal });
  assert.equal(enc.encoding, 'aes-256-gcm;key=r1');
  assert.ok(!enc.value.includes('jane@example.com'));
  assert.deepEqual(openDeadLetter(enc.value, enc.encoding, reveal), raw);
  const tok = sanitizeForDeadLetter(raw, { keyring: ring });
  assert.equal(tok.encoding, 'tokenized;charset=latin1');
  const s = tok.value.toString('latin1');
  assert.ok(!s.includes('jane@example.com') && !s.includes('078-05-1121'));
  assert.ok(s.includes(tokenFor('EMAIL', 'jane@example.com', ring)));
  assert.equal(sanitizeForDeadLetter(Buffer.from('{"p":"call +44 20 7946 0958"}'), { keyring: ring }).encoding, 'tokenized;charset=utf-8');
});

test('a batch retried after the vault write failed keeps its PII summary and still stores the originals', async () => {
  const settings = loadTokenizeSettings(env({ LLM_AUDIT_VAULT_ENABLED: 'true', LLM_AUDIT_REVEAL_KEY: `r1:${b64()}` }));
  const bulks: { operations: object[] }[] = [];
  let failNext = true;
  // an Elasticsearch client that is unreachable once, then takes the write
  const es = {
    bulk: async (req: { operations: object[] }) => {
      if (failNext) {
        failNext = false;
        throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'ConnectionError' });
      }
      bulks.push(req);
      return { errors: false, items: [] };
    },
  } as unknown as ConstructorParameters<typeof TokenizeStage>[1];
  const stage = new TokenizeStage(settings, es, new MetricsRegistry());
  const records: AuditRecord[] = [{ event: event({ prompt: 'mail jane.doe@example.com now' }), doc: {}, alerts: [], partition: 0, offset: '0' }];
  await assert.rejects(stage.process(records), (e: unknown) => (e as { retriable?: boolean }).retriable === true);
  await stage.process(records); // the pipeline retries the same batch
  const pii = (records[0]!.doc.llm_audit as { pii: { count: number; types: string[] } }).pii;
  assert.equal(pii.count, 1, 'the retry did not wipe the summary');
  assert.deepEqual(pii.types, ['EMAIL']);
  assert.equal(bulks.length, 1);
  assert.equal(bulks[0]!.operations.length, 2, 'the original was written to the vault on the retry');
  assert.equal(stage.counters.received, 1, 'a retried record is counted once');
});

// ---- leak paths (issue 11) ----
const ghBody = 'Zx9QwErTyUiOpAsDfGhJkLzXcVbNm1';
const fakeGithubToken = () => `gh${'p_'}${ghBody}${base62(crc32(ghBody), 6)}`;

test('dead letter of a message that decoded: tokenized field by field, no raw token (the Avro length byte hid it)', () => {
  const settings = loadTokenizeSettings(env());
  const token = fakeGithubToken();
  const ev = event({ prompt: token, model: 'ops@example.com' });
  const bytes = usageType().toBuffer(ev);
  // the raw-bytes path this replaces: the string's length byte sits right before the token
  assert.ok(sanitizeForDeadLetter(bytes, { keyring: settings.keyring }).value.toString('latin1').includes(token), 'raw-byte scanning misses it');
  const out = deadLetterPayload(bytes, usageType().fromBuffer(bytes), { keyring: settings.keyring, maxFieldBytes: 1024 });
  const text = out.value!.toString('utf8');
  assert.equal(out.encoding, 'tokenized-json;charset=utf-8');
  assert.ok(!text.includes(token) && !text.includes('ops@example.com'), text);
  assert.match(JSON.parse(text).prompt, /^<SECRET:k2:[0-9a-f]{16}>$/);
});

test('dead letter: the field cap applies, undecodable bytes are encrypted or dropped', () => {
  const settings = loadTokenizeSettings(env());
  const big = deadLetterPayload(null, { prompt: 'word '.repeat(5000) }, { keyring: settings.keyring, maxFieldBytes: 1024 });
  assert.ok(big.value!.length < 1200, `${big.value!.length} bytes`);
  const garbage = Buffer.from(`\u0000\u0001 ${fakeGithubToken()}`, 'latin1');
  assert.deepEqual(deadLetterPayload(garbage, undefined, { keyring: settings.keyring }), { value: null, encoding: 'dropped' });
  const reveal = parseKeyring(`r1:${b64()}`, 'reveal');
  const enc = deadLetterPayload(garbage, undefined, { keyring: settings.keyring, revealRing: reveal });
  assert.match(enc.encoding, /^aes-256-gcm;key=r1$/);
  assert.deepEqual(openDeadLetter(enc.value!, enc.encoding, reveal), garbage);
});

test('every producer string is scanned: model, model_version, error_code, gateway id and unknown fields', () => {
  const settings = loadTokenizeSettings(env());
  const metrics = new MetricsRegistry();
  const stage = new TokenizeStage(settings, undefined, metrics);
  const ev = { ...event({ model: 'jane.doe@example.com', model_version: '+44 20 7946 0958', error_code: 'card 4111 1111 1111 1111', gateway_id: 'gw 10.1.2.3' }), shadow: 'mail bob@example.org', ['x'.repeat(300)]: 'word '.repeat(20_000) };
  const r: AuditRecord = { event: ev as UsageEvent, doc: toAuditDoc(ev as UsageEvent), alerts: [], partition: 0, offset: '0' };
  stage.tokenizeRecord(r);
  const all = JSON.stringify(r);
  for (const raw of ['jane.doe@example.com', '7946 0958', '4111 1111', '10.1.2.3', 'bob@example.org']) assert.ok(!all.includes(raw), `${raw} in ${all.slice(0, 300)}`);
  // a producer-chosen field name never becomes a metric label
  const m = metrics.render();
  assert.ok(!m.includes('xxxxxxxx') && m.includes('field="other"'), m);
});

test('metric labels from producer text are bounded and never carry PII', () => {
  assert.equal(producerLabel('gpt-4o-2024-08-06'), 'gpt-4o-2024-08-06');
  assert.equal(producerLabel('claude-3-5-sonnet-20241022'), 'claude-3-5-sonnet-20241022');
  for (const bad of ['jane@example.com', '4155550142', '<EMAIL:k1:0123456789abcdef>', 'x'.repeat(100), 'has space']) assert.equal(producerLabel(bad), 'other');
  const reg = new MetricsRegistry();
  for (let i = 0; i < MAX_SERIES_PER_METRIC + 100; i++) reg.inc('m_total', 'h', { model: `m${i}` });
  const lines = reg.render().split('\n').filter((l) => l.startsWith('m_total{'));
  assert.equal(lines.length, MAX_SERIES_PER_METRIC + 1);
  assert.ok(lines.includes('m_total{model="other"} 100'));
});

test('SECRET findings are recorded with provider and type, never the value', () => {
  const settings = loadTokenizeSettings(env());
  const stage = new TokenizeStage(settings, undefined, new MetricsRegistry());
  const token = fakeGithubToken();
  const r: AuditRecord = { event: event({ completion: `use ${token}` }), doc: {}, alerts: [], partition: 0, offset: '0' };
  stage.tokenizeRecord(r);
  const s = (r.doc as { llm_audit: { pii: { secrets: { field: string; provider: string; subtype: string; token: string }[] } } }).llm_audit.pii.secrets;
  assert.deepEqual(s.map((x) => [x.field, x.provider, x.subtype]), [['completion', 'github', 'github_pat']]);
  assert.match(s[0]!.token, /^<SECRET:k2:[0-9a-f]{16}>$/);
  assert.ok(!JSON.stringify(r.doc).includes(token));
});

test('a dead letter error message quoting a value is scanned too', () => {
  const settings = loadTokenizeSettings(env());
  const out = deadLetterText(`Avro payload does not decode: invalid "string": ops@example.com ${fakeGithubToken()}`, { keyring: settings.keyring });
  assert.ok(!out.includes('ops@example.com') && !out.includes(fakeGithubToken()), out);
  assert.match(out, /^Avro payload does not decode: invalid "string": <EMAIL:k2:[0-9a-f]{16}> <SECRET:k2:[0-9a-f]{16}>$/);
});

test('repeated metadata values come from the cache with the same result: documents, metrics, vault entries, secret findings', () => {
  const settings = loadTokenizeSettings(env());
  const cachedMetrics = new MetricsRegistry();
  const cached = new TokenizeStage(settings, undefined, cachedMetrics);
  const token = fakeGithubToken();
  const make = (i: number) => {
    const ev = { ...event({ principal_id: 'jane.doe@example.com', user_agent: `bot ${token}`, gateway_id: 'gw 10.1.2.3', request_id: `req_${i}` }), shadow: 'mail bob@example.org' };
    return { event: ev as UsageEvent, doc: toAuditDoc(ev as UsageEvent, undefined, 0), alerts: [], partition: 0, offset: String(i) } as AuditRecord;
  };
  const outputs: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = make(i);
    const vault = new Map();
    cached.tokenizeRecord(r, vault);
    // a fresh stage per record answers without any cache
    const fresh = make(i);
    const freshVault = new Map();
    new TokenizeStage(settings, undefined, new MetricsRegistry()).tokenizeRecord(fresh, freshVault);
    assert.deepEqual(r.doc, fresh.doc);
    assert.deepEqual({ ...r.event }, { ...fresh.event });
    assert.deepEqual([...vault.values()].sort((a, b) => a.token.localeCompare(b.token)), [...freshVault.values()].sort((a, b) => a.token.localeCompare(b.token)));
    assert.deepEqual(secretFindings(r.event), secretFindings(fresh.event));
    assert.equal(vault.size, 4, 'each record hands the vault its values, cached or not');
    outputs.push(JSON.stringify(r.doc).replace(/req_\d/, ''));
  }
  assert.equal(new Set(outputs).size, 1);
  assert.match(cachedMetrics.render(), /llm_audit_tokenize_entities_total\{type="EMAIL"\} 6/);
});

test('MemoCache keeps at most two generations of entries and keeps what is used', () => {
  const c = new MemoCache<number>(2);
  c.set('a', 1);
  c.set('b', 2);
  c.set('c', 3); // a and b move to the old generation
  assert.equal(c.get('a'), 1); // used: back in the new one
  c.set('d', 4); // c and a become old, b is dropped
  assert.equal(c.get('b'), undefined);
  assert.equal(c.get('a'), 1);
  assert.ok(c.size <= 4);
});

test('MemoCache stops looking up a field whose values do not repeat, and samples it again later', () => {
  const c = new MemoCache<number>(64, 32, 100);
  for (let i = 0; i < 32; i++) if (c.get(`id-${i}`) === undefined) c.set(`id-${i}`, i);
  assert.ok(c.skippingLookups);
  const size = c.size;
  for (let i = 0; i < 99; i++) {
    assert.equal(c.get('id-0'), undefined, 'no lookup while skipping');
    c.set(`new-${i}`, i);
  }
  assert.equal(c.size, size, 'nothing stored while skipping');
  assert.equal(c.get('id-0'), undefined);
  assert.ok(!c.skippingLookups, 'the skip ends after 100 values');
  assert.equal(c.get('id-1'), 1, 'looked up again after the skip');
  // a field that repeats keeps its cache
  const r = new MemoCache<number>(64, 32, 100);
  r.set('gpt-4o', 1);
  for (let i = 0; i < 200; i++) assert.equal(r.get('gpt-4o'), 1);
  assert.ok(!r.skippingLookups);
});

// ---- request ids of a harmless shape skip the scan (see HARMLESS_ID in stage.ts) ----
const HEX = '0123456789abcdef';

/** Digit strings that pass their validators: phones of every country (libphonenumber's examples), cards, SSNs, ids. */
function validNumbers(): string[] {
  const r = rng(15);
  const out: string[] = [];
  const examples = createRequire(import.meta.url)('libphonenumber-js/examples.mobile.json') as Examples;
  for (const cc of Object.keys(examples)) {
    const p = getExampleNumber(cc as CountryCode, examples);
    if (p) out.push(p.number.slice(1), `00${p.number.slice(1)}`, p.nationalNumber);
  }
  for (let i = 0; i < 60; i++) out.push(withLuhn(`4${randDigits(r, 14)}`), withLuhn(`5${1 + r(5)}${randDigits(r, 13)}`), withLuhn(`3${4 + 3 * r(2)}${randDigits(r, 12)}`));
  const pick = (n: number, len: number, ok: (d: string) => boolean) => {
    for (let got = 0, tries = 0; got < n && tries < 100_000; tries++) {
      const d = `${2 + r(8)}${randDigits(r, len - 1)}`;
      if (ok(d)) (out.push(d), got++);
    }
  };
  pick(40, 9, (d) => ssnOk(d.slice(0, 3), d.slice(3, 5), d.slice(5)));
  pick(20, 9, (d) => usItinOk(`9${d.slice(1)}`));
  pick(40, 12, aadhaarOk);
  pick(20, 10, nhsOk);
  pick(20, 9, auTfnOk);
  pick(20, 11, auAbnOk);
  // IBANs whose letters are hex (Germany, Belgium, Andorra, Estonia, UAE): an id could spell one
  out.push('de89370400440532013000', 'be68539007547034', 'ad1200012030200359100100', 'ee382200221020145685', 'ae070331234567890123456');
  return out;
}

function harmlessLookalikes(): string[] {
  const r = rng(23);
  const hex = (n: number) => seededRun(n, HEX, 1 + r(1 << 20));
  const bodies: string[] = [];
  for (let i = 0; i < 400; i++) bodies.push(hex(8 + r(57)));
  // hex secrets some providers issue without a prefix of their own: 32 (API keys), 40 (SHA-1 / legacy tokens), 64
  for (const n of [32, 40, 64]) for (let i = 0; i < 20; i++) bodies.push(hex(n));
  for (const d of validNumbers()) {
    if (d.length > 64) continue;
    bodies.push(d.length < 8 ? `${d}${hex(8 - d.length)}` : d);
    // the number after a letter, before hex
    if (d.length <= 62) bodies.push(`a${d}${hex(Math.max(1, 7 - d.length))}`, `${d}${hex(Math.max(2, 8 - d.length))}`);
    const u = hex(32);
    // a UUID whose first or last group is the number
    if (d.length <= 12) bodies.push(`${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${d.padStart(12, 'e')}`);
    if (d.length === 8) bodies.push(`${d}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20)}`);
  }
  const out: string[] = [];
  for (const w of ['req', 'request', 'trace', 'span', 'resp']) for (const b of bodies) out.push(`${w}_${b}`);
  return out;
}

test('harmless request ids: no detector finds anything in one, whatever number or hex it is built around', () => {
  const ring = parseKeyring(`k1:${b64()}`, 't');
  const ids = harmlessLookalikes();
  assert.ok(ids.length > 4000, `${ids.length} ids`);
  const found: string[] = [];
  const refused: string[] = [];
  for (const id of ids) {
    if (!harmlessId(id)) {
      refused.push(id);
      continue;
    }
    const r = tokenizeText(id, ring, { types: METADATA_TYPES, maxBytes: 65536 });
    if (r.entities.length || r.text !== id) found.push(`${id} -> ${r.text}`);
  }
  assert.deepEqual(found, [], 'a detector matches inside the harmless-id shape: narrow HARMLESS_ID in stage.ts');
  // only bodies that start like an IBAN (two letters, two digits: `req_de89…`) are refused, and they are scanned
  assert.deepEqual(refused.filter((id) => !/_[a-f]{2}[0-9]{2}/.test(id)), []);
  assert.ok(refused.length > 0 && refused.length < ids.length / 10, `${refused.length} of ${ids.length} refused`);
  assert.ok(!harmlessId('req_de89370400440532013000'));
  assert.equal(tokenizeText('req_de89370400440532013000', ring, { types: METADATA_TYPES }).entities[0]?.type, 'IBAN');
  // the same bodies without the word are not harmless, and some are found (the word and `_` are what protect them)
  const bare = ids.filter((id) => id.startsWith('req_')).map((id) => id.slice(4));
  assert.ok(bare.every((b) => !harmlessId(b)));
  assert.ok(bare.filter((b) => tokenizeText(b, ring, { types: METADATA_TYPES }).entities.length > 0).length > 50);
});

test('harmless request ids: the shape is narrow (case, separator, length, provider prefixes, anything else in the value)', () => {
  for (const ok of ['req_be24b30021cf6019', 'req_0123456789abcdef0123456789abcdef', 'trace_4bf92f3577b34da6a3ce929d0e0e4736', 'span_00f067aa0ba902b7', 'request_8e2c1b3a-5f1d-4c2e-9a7b-1d2e3f4a5b6c', 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b'])
    assert.ok(harmlessId(ok), ok);
  const hex32 = '0123456789abcdef0123456789abcdef';
  for (const no of [
    'req_BE24B30021CF6019', 'req-be24b30021cf6019', 'req_be24b30', `req_${hex32}${hex32}0`, 'req_be24b30021cf601g', 'req_be24b30021cf6019 ', 'req_be24b30021cf6019\n',
    'req__be24b30021cf6019', 'xreq_be24b30021cf6019', 'req_8E2C1B3A-5F1D-4C2E-9A7B-1D2E3F4A5B6C', 'req_8e2c1b3a-5f1d-4c2e-9a7b1d2e3f4a5b6c', 'req_8e2c1b3a5f1d-4c2e-9a7b-1d2e3f4a5b6c',
    `sk_${hex32}`, `shpat_${hex32}`, `sbp_${hex32}12345678`, hex32, '4111111111111111', 'req_jane@example.com', 'req_4111 1111 1111 1111', 'req_+14155550142', 'req_be24b30021cf6019.example.com',
  ])
    assert.ok(!harmlessId(no), no);
});

test('request ids that carry PII or a secret are still tokenized', async () => {
  const settings = loadTokenizeSettings(env());
  const stage = new TokenizeStage(settings, undefined, new MetricsRegistry());
  const token = fakeGithubToken();
  const shopify = `shp${'at_'}${seededRun(32, HEX, 5)}`;
  const values = ['jane.doe@example.com', 'req_jane.doe@example.com', '+1 415 555 0142', `req ${withLuhn('411111111111111')}`, token, `req ${token}`, shopify, 'de89370400440532013000', '10.1.2.3'];
  const records: AuditRecord[] = values.map((v, i) => ({ event: event({ request_id: v, trace_id: v } as Partial<UsageEvent>), doc: {}, alerts: [], partition: 0, offset: String(i) }));
  const plain: AuditRecord = { event: event({ request_id: 'req_be24b30021cf6019' }), doc: {}, alerts: [], partition: 0, offset: '99' };
  await stage.process([...records, plain]);
  for (const [i, r] of records.entries()) {
    const pii = (r.doc.llm_audit as { pii: { count: number; fields: string[] } }).pii;
    assert.ok(pii.count >= 2 && pii.fields.includes('request_id') && pii.fields.includes('trace_id'), `${values[i]}: ${JSON.stringify(pii)}`);
    assert.notEqual(r.event.request_id, values[i]);
  }
  assert.equal(plain.event.request_id, 'req_be24b30021cf6019');
  assert.equal((plain.doc.llm_audit as { pii: { count: number } }).pii.count, 0);
});

test('a field outside the contract is scanned even when the event before had the same number of keys, and on Avro-decoded events', async () => {
  const stage = new TokenizeStage(loadTokenizeSettings(env()), undefined, new MetricsRegistry());
  const known = event({});
  const { model_version: _dropped, ...rest } = event({});
  const odd = { ...rest, shadow: 'mail bob@example.org' } as unknown as UsageEvent;
  assert.equal(Object.keys(odd).length, Object.keys(known).length);
  // an Avro-decoded event is an instance of avsc's record class, whose prototype has enumerable methods
  const decoded = usageType().fromBuffer(usageType().toBuffer(event({})));
  const records: AuditRecord[] = [known, decoded, odd, decoded].map((e, i) => ({ event: i === 3 ? usageType().fromBuffer(usageType().toBuffer(event({}))) : e, doc: {}, alerts: [], partition: 0, offset: String(i) }));
  await stage.process(records);
  assert.equal((records[2]!.event as unknown as { shadow: string }).shadow.includes('bob@example.org'), false);
  assert.deepEqual((records[2]!.doc.llm_audit as { pii: { fields: string[] } }).pii.fields, ['shadow']);
  for (const i of [0, 1, 3]) assert.equal((records[i]!.doc.llm_audit as { pii: { count: number } }).pii.count, 0);
});
