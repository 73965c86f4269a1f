import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseKeyring, tokenizeText } from '../services/tokenize/index.js';
import { requireSharedData } from './shared-data.js';

interface Row {
  id: string;
  text: string;
  pii: { type: string; value: string; class?: string }[];
  keep: string[];
}

// Classes of evasion-dev that are about how a value is written, not how it is encoded: the structured finders
// own them. Zero-width, bidi, fullwidth, dashes, NBSP, soft hyphens, encodings and line breaks are the
// normalisation stage's; fake token wrappers are the token verifier's.
const STRUCTURED_CLASSES = new Set(['digit_spaced']);
const NOT_STRUCTURED = new Set(['PERSON', 'SECRET']);

function score(rows: Row[], keepAll: boolean) {
  const ring = parseKeyring(`e1:${randomBytes(32).toString('base64')}`, 'eval key');
  const per = new Map<string, { planted: number; removed: number; misses: string[] }>();
  let keep = 0;
  const broken: string[] = [];
  for (const r of rows) {
    const out = tokenizeText(r.text, ring).text;
    for (const p of r.pii) {
      if (NOT_STRUCTURED.has(p.type) || (p.class !== undefined && !STRUCTURED_CLASSES.has(p.class))) continue;
      const s = per.get(p.type) ?? { planted: 0, removed: 0, misses: [] };
      per.set(p.type, s);
      s.planted++;
      if (!out.includes(p.value)) s.removed++;
      else if (s.misses.length < 5) s.misses.push(`${r.id}: ${p.value}`);
    }
    if (keepAll) for (const k of r.keep) {
      keep++;
      if (!out.includes(k)) broken.push(`${r.id}: ${k}`);
    }
  }
  return { per, keep, broken };
}

for (const [file, keepAll] of [['pii-dev.jsonl', true], ['evasion-dev.jsonl', false]] as const) {
  test(`${file}: every structured type >= 0.99 recall${keepAll ? ', keep-intact >= 0.995' : ''}`, () => {
    const rows = readFileSync(requireSharedData(file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
    const { per, keep, broken } = score(rows, keepAll);
    const lines = [`${file}${keepAll ? '' : ` (classes: ${[...STRUCTURED_CLASSES].join(', ')})`}`, 'type          planted  removed  recall'];
    for (const [type, s] of [...per].sort()) lines.push(`${type.padEnd(13)} ${String(s.planted).padStart(7)}  ${String(s.removed).padStart(7)}  ${(s.removed / s.planted).toFixed(4)}`);
    if (keepAll) lines.push(`keep intact: ${keep - broken.length}/${keep}`);
    console.log(lines.join('\n'));
    assert.ok(per.size > 0);
    for (const [type, s] of per) assert.ok(s.removed / s.planted >= 0.99, `${type} recall ${(s.removed / s.planted).toFixed(4)}; misses e.g. ${s.misses.join(' | ')}`);
    if (keepAll) assert.ok((keep - broken.length) / keep >= 0.995, `keep-intact ${keep - broken.length}/${keep}: ${broken.slice(0, 5).join(' | ')}`);
  });
}
