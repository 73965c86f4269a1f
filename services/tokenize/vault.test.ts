import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseKeyring } from './keyring.js';
import { tokenFor } from './tokens.js';
import { openEntry, sealEntry } from './vault.js';

const b64 = () => randomBytes(32).toString('base64');

describe('vault entries', () => {
  it('AES-GCM accepts only a 16-byte tag: a truncated tag is refused, not checked on fewer bytes', () => {
    const ring = parseKeyring(`k1:${b64()}`, 'tokenize');
    const reveal = parseKeyring(`r1:${b64()}`, 'reveal', 'r1');
    const token = tokenFor('EMAIL', 'jane@example.com', ring);
    const doc = sealEntry({ token, type: 'EMAIL', raw: 'jane@example.com' }, ring, reveal);
    assert.equal(openEntry(token, doc, ring, reveal), 'jane@example.com');
    for (const n of [1, 4, 8, 12, 15]) {
      const short = { ...doc, tag: Buffer.from(doc.tag, 'base64').subarray(0, n).toString('base64') };
      assert.throws(() => openEntry(token, short, ring, reveal), /only 16 bytes/, `${n}-byte tag`);
    }
  });
});
