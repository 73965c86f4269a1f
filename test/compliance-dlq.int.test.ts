import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { ensureTopics } from '../services/common/kafka.js';
import { scanDeadLetters } from '../services/compliance/dead-letters.js';
import { sanitizeForDeadLetter } from '../services/tokenize/dlq.js';
import { parseKeyring } from '../services/tokenize/keyring.js';
import { tokenFor } from '../services/tokenize/tokens.js';
import { testKafka, uniqueName } from './helpers.js';

let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const topic = uniqueName('t-dlq-scan');

before(async () => {
  kafka = testKafka();
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer();
  await producer.connect();
  await ensureTopics(admin, [{ topic, numPartitions: 2, replicationFactor: 1 }]);
});
after(async () => {
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

it('subject find in dead letters: tokenized copies by token, encrypted copies by value with the reveal key, unreadable ones counted', async () => {
  const ring = parseKeyring(`k1:${randomBytes(32).toString('base64')}`, 't');
  const reveal = parseKeyring(`r1:${randomBytes(32).toString('base64')}`, 'r', 'r1');
  const token = tokenFor('EMAIL', 'jane.doe@example.com', ring);
  const raw = Buffer.from('{"prompt":"write to jane.doe@example.com","x":1');
  const enc = sanitizeForDeadLetter(raw, { keyring: ring, revealRing: reveal });
  const tok = sanitizeForDeadLetter(raw, { keyring: ring });
  const other = sanitizeForDeadLetter(Buffer.from('{"prompt":"nobody"'), { keyring: ring, revealRing: reveal });
  const msg = (s: { value: Buffer; encoding: string }, partition: number) => ({ partition, value: s.value, headers: { 'dlq.payload.encoding': s.encoding } });
  await producer.send({ topic, messages: [msg(enc, 0), msg(tok, 1), msg(other, 0), msg(tok, 0)] });
  assert.ok(tok.value.includes(Buffer.from(token)), 'the tokenized copy carries the token');

  const withKey = await scanDeadLetters(kafka, { topic, tokens: [token], value: 'jane.doe@example.com', revealRing: reveal });
  assert.equal(withKey.scanned, 4);
  assert.deepEqual(withKey.hits.map((h) => `${h.partition}/${h.offset}/${h.match}`), ['0/0/value', '0/2/token', '1/0/token']);
  assert.equal(withKey.unscannable, 0);

  const without = await scanDeadLetters(kafka, { topic, tokens: [token], value: 'jane.doe@example.com' });
  assert.deepEqual(without.hits.map((h) => `${h.partition}/${h.offset}`), ['0/2', '1/0']);
  assert.equal(without.unscannable, 2, 'encrypted copies this configuration cannot open are counted');
});
