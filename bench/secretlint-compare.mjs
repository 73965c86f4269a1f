// Measures @secretlint/secretlint-rule-preset-recommend against our rules on ../shared/data/secrets-dev.jsonl:
// recall (planted credential inside a reported range), look-alikes touched, and time per document. secretlint is not a
// dependency: install it anywhere (`npm install --prefix /tmp/slint @secretlint/core @secretlint/secretlint-rule-preset-recommend`)
// and run `npm run build && SECRETLINT_DIR=/tmp/slint node bench/secretlint-compare.mjs`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { findSecrets } from '../dist/services/tokenize/credentials/index.js';

const dir = process.env.SECRETLINT_DIR ?? '/tmp/slint';
const req = createRequire(join(dir, 'package.json'));
const { lintSource } = await import(req.resolve('@secretlint/core'));
const preset = (await import(req.resolve('@secretlint/secretlint-rule-preset-recommend'))).creator;
const rows = readFileSync(new URL('../../shared/data/secrets-dev.jsonl', import.meta.url), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset }] };

async function secretlint(text) {
  const r = await lintSource({ source: { filePath: '/prompt.txt', content: text, ext: '.txt', contentType: 'text' }, options: { config } });
  return r.messages.map((m) => ({ start: m.range[0], end: m.range[1] }));
}
const ours = (text) => findSecrets(text);

for (const [name, scan] of [['secretlint preset-recommend', secretlint], ['llm-audit credentials', ours]]) {
  let planted = 0, found = 0, keepTotal = 0, keepHit = 0;
  // two warm-up passes (JIT), then the measured one
  for (let w = 0; w < 2; w++) for (const r of rows) await scan(r.text);
  const t0 = performance.now();
  for (const r of rows) {
    const spans = await scan(r.text);
    for (const p of r.pii) {
      planted++;
      const i = r.text.indexOf(p.value);
      if (spans.some((s) => s.start <= i && s.end >= i + p.value.length)) found++;
    }
    for (const k of r.keep) {
      keepTotal++;
      const i = r.text.indexOf(k);
      if (spans.some((s) => s.start < i + k.length && s.end > i)) keepHit++;
    }
  }
  const ms = performance.now() - t0;
  console.log(`${name.padEnd(30)} recall ${found}/${planted} (${(found / planted).toFixed(3)})  look-alikes touched ${keepHit}/${keepTotal}  ${(ms / rows.length).toFixed(3)} ms/doc  (${Math.round(rows.length / (ms / 1000))} docs/s)`);
}
