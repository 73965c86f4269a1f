// duplicate_requests' prompt fingerprint (HMAC-SHA256, first 6 bytes), four ways that give the same bytes, on made-up
// prompts of 70-370 characters, interleaved in one run, CPU µs per prompt: createHmac with the key as a Buffer (what
// the detector does), with a KeyObject made once, and RFC 2104 by hand from hash states of the padded key made once
// (Hash.copy() per prompt, the outer hash as a copy or one-shot crypto.hash). Usage: node bench/detect-hmac.mjs
import { createHash, createHmac, createSecretKey, hash, randomBytes } from 'node:crypto';

const key = randomBytes(32);
const ko = createSecretKey(key);
const B = 64;
const ipad = Buffer.alloc(B, 0x36);
const opad = Buffer.alloc(B + 32);
for (let i = 0; i < B; i++) {
  ipad[i] ^= key[i] ?? 0;
  opad[i] = (key[i] ?? 0) ^ 0x5c;
}
const inner = createHash('sha256').update(ipad);
const outer = createHash('sha256').update(opad.subarray(0, B));
const prompts = Array.from({ length: 2000 }, (_, i) => `prompt text of moderate length for the duplicate detector number ${i}${' '.repeat(i % 300)}`);
const ways = {
  'Buffer key': (p) => createHmac('sha256', key).update(p).digest().readUIntBE(0, 6),
  KeyObject: (p) => createHmac('sha256', ko).update(p).digest().readUIntBE(0, 6),
  'pads, 2 copies': (p) => outer.copy().update(inner.copy().update(p).digest()).digest().readUIntBE(0, 6),
  'pads, copy + one-shot': (p) => {
    inner.copy().update(p).digest().copy(opad, B);
    return hash('sha256', opad, 'buffer').readUIntBE(0, 6);
  },
};
const ref = ways['Buffer key'];
for (const p of prompts) for (const [name, f] of Object.entries(ways)) if (f(p) !== ref(p)) throw new Error(`${name} gives another fingerprint`);
const run = (f) => {
  const c = process.cpuUsage();
  let x = 0;
  for (let r = 0; r < 30; r++) for (const p of prompts) x += f(p);
  const d = process.cpuUsage(c);
  return (d.user + d.system) / (30 * prompts.length);
};
for (let r = 0; r < 4; r++) console.log(`round ${r}: ${Object.entries(ways).map(([name, f]) => `${name} ${run(f).toFixed(2)}`).join(', ')} µs CPU per prompt`);
