// A/B of tokenizeText CPU per document between two builds, in one process, rounds interleaved (the box is shared:
// process.cpuUsage, not wall time, and the median of 10 rounds per build). Usage, after `npm run build` in both trees:
//   node bench/tokenize-cpu-ab.mjs /path/to/other/dist dist [pii-dev | traffic | file.jsonl]
// pii-dev: ../shared/data/pii-dev.jsonl (default). traffic: the prompts and completions of the first 30,000 events of
// ../shared/data/traffic-dev-v2 (what bench:chain tokenizes). A .jsonl file: its `text` fields.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const [a = 'dist', b = 'dist', corpus = 'pii-dev'] = process.argv.slice(2);
const shared = new URL('../../shared/data/', import.meta.url);
let texts;
if (corpus === 'traffic') {
  texts = [];
  const lines = gunzipSync(readFileSync(new URL('traffic-dev-v2.events.jsonl.gz', shared))).toString('utf8').split('\n');
  for (const l of lines.slice(0, 30_000)) {
    if (!l) continue;
    const e = JSON.parse(l);
    if (e.prompt) texts.push(e.prompt);
    if (e.completion) texts.push(e.completion);
  }
} else {
  const file = corpus === 'pii-dev' ? new URL('pii-dev.jsonl', shared) : resolve(corpus);
  texts = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text);
}
const impls = [];
for (const root of [a, b]) {
  const m = await import(pathToFileURL(resolve(root, 'services/tokenize/index.js')).href);
  const ring = m.parseKeyring('b1:' + randomBytes(32).toString('base64'), 'bench key');
  impls.push({ root, f: (t) => m.tokenizeText(t, ring), us: [] });
}
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (const x of impls) for (const t of texts) x.f(t);
for (let round = 0; round < 10; round++) {
  for (const x of impls) {
    let n = 0;
    const t0 = cpu();
    while (cpu() - t0 < 400) {
      for (const t of texts) x.f(t);
      n += texts.length;
    }
    x.us.push(((cpu() - t0) * 1000) / n);
  }
}
const med = (r) => [...r].sort((p, q) => p - q)[r.length >> 1];
console.log(`tokenize-cpu-ab  ${new Date().toISOString()}  ${corpus} (${texts.length} texts)`);
for (const x of impls) console.log(`  ${x.root.padEnd(40)} ${med(x.us).toFixed(2).padStart(7)} µs/doc CPU (median of 10 rounds)`);
console.log(`  B/A ${(med(impls[1].us) / med(impls[0].us)).toFixed(3)}`);
