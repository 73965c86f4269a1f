// Before/after of the bad-input table: tokenizeText on 1 MiB fields of hostile content, two builds interleaved in
// one process (the box is shared: each shape alternates the builds four times and keeps each one's best), in CPU
// ms per MiB (process.cpuUsage). Usage, after `npm run build` in both trees:
//   node bench/tokenize-hostile-ab.mjs /path/to/other/dist dist [shape ...]
// The shapes are bench/tokenize.ts's 30 (short names, as in tokenize-hostile-parts.mjs) and a wrapped IBAN.
// HOSTILE_REPS=10 alternates more often (under a load that swings, four rounds can each land on a spike).
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { shapes } from './hostile-shapes.mjs';

const [a = 'dist', b = 'dist', ...only] = process.argv.slice(2);
const impls = [];
for (const root of [a, b]) {
  const m = await import(pathToFileURL(resolve(root, 'services/tokenize/index.js')).href);
  impls.push({ m, ring: m.parseKeyring('b1:' + randomBytes(32).toString('base64'), 'bench key') });
}
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const reps = Math.max(1, Number(process.env.HOSTILE_REPS) || 4);
console.log(`tokenize-hostile-ab  ${new Date().toISOString()}  A=${a}  B=${b}  rounds=${reps}`);
for (const name of only.length ? only : Object.keys(shapes)) {
  const text = shapes[name];
  const best = [Infinity, Infinity];
  for (let r = 0; r < reps; r++) {
    impls.forEach((x, k) => {
      const t0 = cpu();
      x.m.tokenizeText(text, x.ring);
      best[k] = Math.min(best[k], cpu() - t0);
    });
  }
  console.log(`  ${name.padEnd(10)} A ${best[0].toFixed(0).padStart(4)}  B ${best[1].toFixed(0).padStart(4)} ms/MiB  ratio ${(best[1] / best[0]).toFixed(2)}`);
}
