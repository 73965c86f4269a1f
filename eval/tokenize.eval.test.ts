import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../services/common/paths.js';
import { parseKeyring, tokenizeText } from '../services/tokenize/index.js';

interface Row {
  id: string;
  text: string;
  pii: { type: string; value: string }[];
  keep: string[];
}

const file = join(repoRoot(), '..', 'shared', 'data', 'pii-dev.jsonl');

/** Per-type recall and look-alike preservation on the labelled set; the gates are the "done" bar. */
export function evaluate(rows: Row[]) {
  const keyring = parseKeyring(`e1:${randomBytes(32).toString('base64')}`, 'eval key');
  const per = new Map<string, { planted: number; removed: number; misses: string[] }>();
  let keepTotal = 0;
  const keepBroken: string[] = [];
  for (const r of rows) {
    const out = tokenizeText(r.text, keyring).text;
    for (const p of r.pii) {
      const s = per.get(p.type) ?? { planted: 0, removed: 0, misses: [] };
      per.set(p.type, s);
      s.planted++;
      if (!out.includes(p.value)) s.removed++;
      else if (s.misses.length < 5) s.misses.push(`${r.id}: ${p.value}`);
    }
    for (const k of r.keep) {
      keepTotal++;
      if (!out.includes(k)) keepBroken.push(`${r.id}: ${k} -> ${out}`);
    }
  }
  return { per, keepTotal, keepBroken };
}

test('pii-dev: recall >= 0.99 per type (PERSON reported), every keep value intact', () => {
  const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
  assert.ok(rows.length > 0);
  const { per, keepTotal, keepBroken } = evaluate(rows);
  const lines = ['type          planted  removed  recall'];
  for (const [type, s] of [...per].sort()) lines.push(`${type.padEnd(13)} ${String(s.planted).padStart(7)}  ${String(s.removed).padStart(7)}  ${(s.removed / s.planted).toFixed(4)}`);
  lines.push(`keep intact: ${keepTotal - keepBroken.length}/${keepTotal}`);
  console.log(lines.join('\n'));
  for (const [type, s] of per) {
    if (type === 'PERSON') continue;
    assert.ok(s.removed / s.planted >= 0.99, `${type} recall ${(s.removed / s.planted).toFixed(4)} < 0.99; misses e.g. ${s.misses.join(' | ')}`);
  }
  assert.deepEqual(keepBroken.slice(0, 10), [], `${keepBroken.length} keep values altered`);
});
