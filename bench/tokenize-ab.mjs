// A/B of tokenizeText on ../shared/data/pii-dev.jsonl between two builds, interleaved in one process (the box is
// shared, so rounds alternate and the medians are compared). Usage, after `npm run build` in both trees:
//   node bench/tokenize-ab.mjs /path/to/other/dist dist
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [a = 'dist', b = 'dist'] = process.argv.slice(2);
const texts = readFileSync(new URL('../../shared/data/pii-dev.jsonl', import.meta.url), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text);
const impls = [];
for (const root of [a, b]) {
  const m = await import(pathToFileURL(resolve(root, 'services/tokenize/index.js')).href);
  impls.push({ root, m, ring: m.parseKeyring('b1:' + randomBytes(32).toString('base64'), 'bench key'), rates: [] });
}
for (let round = 0; round < 8; round++) {
  for (const x of impls) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 700) {
      for (const t of texts) x.m.tokenizeText(t, x.ring);
      n += texts.length;
    }
    x.rates.push(n / ((performance.now() - t0) / 1000));
  }
}
const med = (r) => [...r].sort((p, q) => p - q)[r.length >> 1];
for (const x of impls) console.log(`${x.root.padEnd(40)} ${Math.round(med(x.rates)).toLocaleString('en-US').padStart(9)} docs/s (median of 8 rounds)`);
console.log(`ratio ${(med(impls[1].rates) / med(impls[0].rates)).toFixed(2)}`);
