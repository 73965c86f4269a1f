import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base58check, bech32, bech32m } from '@scure/base';
import { assertFinds, assertNone } from './testing.js';

const b58 = base58check(sha256);
const p2pkh = (version: number) => b58.encode(Uint8Array.from([version, ...randomBytes(20)]));
function eip55(hex: string): string {
  const h = keccak_256(new TextEncoder().encode(hex));
  return '0x' + [...hex].map((c, i) => (/[a-f]/.test(c) && ((h[i >> 1]! >> (i % 2 ? 0 : 4)) & 0xf) >= 8 ? c.toUpperCase() : c)).join('');
}

test('CRYPTO_WALLET fires on BTC P2PKH, P2SH, bech32 (v0) and bech32m (v1), ETH lower and EIP-55', () => {
  for (let k = 0; k < 5; k++) {
    for (const a of [p2pkh(0), p2pkh(5)]) assertFinds('CRYPTO_WALLET', `send to ${a} today`, a);
    const v0 = bech32.encode('bc', [0, ...bech32.toWords(randomBytes(20))]);
    const v1 = bech32m.encode('bc', [1, ...bech32m.toWords(randomBytes(32))]);
    assertFinds('CRYPTO_WALLET', `segwit ${v0}`, v0);
    assertFinds('CRYPTO_WALLET', `taproot ${v1}.`, v1);
    const hex = randomBytes(20).toString('hex');
    assertFinds('CRYPTO_WALLET', `eth 0x${hex}`, `0x${hex}`);
    assertFinds('CRYPTO_WALLET', `eth ${eip55(hex)}`, eip55(hex));
  }
});
test('CRYPTO_WALLET look-alikes: broken checksums, wrong bech32 variant, hashes, short hex', () => {
  const a = p2pkh(0);
  const broken = a.slice(0, -1) + (a.endsWith('z') ? 'y' : 'z');
  assertNone('CRYPTO_WALLET', `addr ${broken}`);
  const v1wrong = bech32.encode('bc', [1, ...bech32.toWords(randomBytes(32))]); // v1 must be bech32m
  assertNone('CRYPTO_WALLET', `addr ${v1wrong}`);
  const hex = 'a'.repeat(2) + randomBytes(19).toString('hex');
  const good = eip55(hex);
  const flipped = good.replace(/[a-f]/, (c) => c.toUpperCase()) === good ? good.replace(/[A-F]/, (c) => c.toLowerCase()) : good.replace(/[a-f]/, (c) => c.toUpperCase());
  assertNone('CRYPTO_WALLET', `eth ${flipped}`);
  assertNone('CRYPTO_WALLET', 'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 mask 0xDEADBEEF');
});
