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
  pii: { type: string; value: string; provider: string }[];
  keep: string[];
  keep_kind?: string[];
}

const file = join(repoRoot(), '..', 'shared', 'data', 'secrets-dev.jsonl');

/**
 * secrets-dev: every planted credential gone (its exact substring no longer in the tokenized text), every public
 * look-alike intact. Recall is printed per provider; the gate is the issue's bar: all planted values removed
 * (>= 0.99 overall, no provider below 0.9) and no look-alike touched.
 */
test('secrets-dev: recall per provider, every public look-alike intact', () => {
  const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
  assert.ok(rows.length > 0);
  const keyring = parseKeyring(`e1:${randomBytes(32).toString('base64')}`, 'eval key');
  const per = new Map<string, { planted: number; removed: number; misses: string[] }>();
  const broken = new Map<string, string[]>();
  let keepTotal = 0;
  for (const r of rows) {
    const out = tokenizeText(r.text, keyring).text;
    for (const p of r.pii) {
      const s = per.get(p.provider) ?? { planted: 0, removed: 0, misses: [] };
      per.set(p.provider, s);
      s.planted++;
      if (!out.includes(p.value)) s.removed++;
      else if (s.misses.length < 3) s.misses.push(r.id);
    }
    r.keep.forEach((k, i) => {
      keepTotal++;
      if (!out.includes(k)) {
        const kind = r.keep_kind?.[i] ?? 'keep';
        broken.set(kind, [...(broken.get(kind) ?? []), r.id]);
      }
    });
  }
  let planted = 0;
  let removed = 0;
  const lines = ['provider                      planted  removed  recall'];
  for (const [p, s] of [...per].sort()) {
    planted += s.planted;
    removed += s.removed;
    lines.push(`${p.padEnd(28)} ${String(s.planted).padStart(8)} ${String(s.removed).padStart(8)}  ${(s.removed / s.planted).toFixed(3)}${s.misses.length ? `  (missed in ${s.misses.join(', ')})` : ''}`);
  }
  const brokenCount = [...broken.values()].reduce((n, l) => n + l.length, 0);
  lines.push(`all                          ${String(planted).padStart(8)} ${String(removed).padStart(8)}  ${(removed / planted).toFixed(4)}`);
  lines.push(`public look-alikes intact: ${keepTotal - brokenCount}/${keepTotal}${brokenCount ? ` (broken: ${[...broken].map(([k, l]) => `${k} ${l.length}`).join(', ')})` : ''}`);
  console.log(lines.join('\n'));
  assert.ok(removed / planted >= 0.99, `overall recall ${(removed / planted).toFixed(4)} < 0.99`);
  for (const [p, s] of per) assert.ok(s.removed / s.planted >= 0.9, `${p} recall ${(s.removed / s.planted).toFixed(3)} < 0.9 (e.g. ${s.misses.join(', ')})`);
  assert.equal(brokenCount, 0, `look-alikes altered: ${[...broken].map(([k, l]) => `${k}: ${l.slice(0, 3).join(', ')}`).join('; ')}`);
});
