import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gen, ibanValid, luhnValid, sampleText } from './pii.js';
import { Rng } from './prng.js';

test('luhn and IBAN checks accept known-good numbers and reject a changed digit', () => {
  assert.ok(luhnValid('4111 1111 1111 1111'));
  assert.ok(!luhnValid('4111 1111 1111 1112'));
  assert.ok(ibanValid('GB82 WEST 1234 5698 7654 32'));
  assert.ok(ibanValid('DE89370400440532013000'));
  assert.ok(!ibanValid('DE89370400440532013001'));
});

test('generated identifiers are well formed: cards pass Luhn, IBANs mod-97, SSNs avoid invalid areas, keys look real', () => {
  const rng = new Rng(5);
  for (let i = 0; i < 200; i++) {
    assert.ok(luhnValid(gen.card(rng)));
    assert.ok(ibanValid(gen.iban(rng)));
    const ssn = gen.ssn(rng);
    assert.match(ssn, /^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/);
    assert.match(gen.awsKeyId(rng), /^AKIA[A-Z2-7]{16}$/);
    assert.match(gen.openaiKey(rng), /^sk-proj-[A-Za-z0-9_-]{74}T3BlbkFJ[A-Za-z0-9_-]{74}$/);
    assert.match(gen.email(rng), /^[a-z0-9.]+@[a-z.-]+\.[a-z]{2,}$/);
    assert.match(gen.phone(rng), /^(\(\d{3}\) \d{3}-\d{4}|\+\d{2} [\d ]+)$/);
  }
});

test('sampleText plants PII at about the requested rate and every planted value is in the prompt', () => {
  const rng = new Rng(9);
  let withPii = 0;
  const N = 2000;
  for (let i = 0; i < N; i++) {
    const s = sampleText(rng, 0.2);
    if (s.pii.length) withPii++;
    for (const p of s.pii) assert.ok(s.prompt.includes(p.value), `${p.type} ${p.value} is in the prompt`);
  }
  assert.ok(withPii > N * 0.16 && withPii < N * 0.24, `${withPii} of ${N}`);
  assert.equal([...Array(100)].filter(() => sampleText(rng, 0).pii.length > 0).length, 0);
});
