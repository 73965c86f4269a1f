import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKeyring } from './keyring.js';
import { tokenFor, tokenizeText, type EntityType } from './index.js';

const ring = parseKeyring(`t1:${Buffer.alloc(32, 3).toString('base64')}`, 'test');

// A field with hundreds of findings takes tokenizeText's dense path (values and gaps reused from the one before):
// runs of one value, changes of value and type, gaps of changing length must each come out as the sparse path writes them.
test('a field dense with findings: every value replaced by its own token, in place, each reported once', () => {
  const pieces: { gap: string; type: EntityType; value: string }[] = [];
  for (let i = 0; i < 300; i++) {
    const gap = i % 7 === 0 ? ' and then, ' : i % 3 === 0 ? '; ' : ', ';
    // (values that share a length and end characters meet in one slot of the dense path's table and replace each other)
    const ip = i % 13 === 6;
    const value = ip ? `10.0.${i % 4}.1` : i % 5 === 4 ? `user${i % 11}@example.com` : i % 2 ? 'jane.doe@example.com' : 'bob@example.org';
    pieces.push({ gap, type: ip ? 'IP_ADDRESS' : 'EMAIL', value });
  }
  let text = 'mail ';
  let want = 'mail ';
  const spans: [number, number, EntityType, string][] = [];
  for (const p of pieces) {
    text += p.gap;
    want += p.gap;
    spans.push([text.length, text.length + p.value.length, p.type, p.value]);
    text += p.value;
    want += tokenFor(p.type, p.value, ring);
  }
  text += ' end';
  want += ' end';
  const seen: [string, string][] = [];
  const r = tokenizeText(text, ring, { onValue: (token, _type, raw) => void seen.push([token, raw]) });
  assert.equal(r.text, want);
  assert.equal(r.entities.length, pieces.length);
  r.entities.forEach((e, i) => {
    assert.deepEqual([e.start, e.end], spans[i]!.slice(0, 2));
    assert.equal(e.type, spans[i]![2]);
    assert.equal(e.token, tokenFor(spans[i]![2], spans[i]![3], ring));
  });
  assert.deepEqual(seen.map((s) => s[1]), pieces.map((p) => p.value));
  assert.deepEqual(seen.map((s) => s[0]), r.entities.map((e) => e.token));
});
