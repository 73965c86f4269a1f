import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ALL_TYPES, parseKeyring, tokenizeText } from '../services/tokenize/index.js';
import { foldName } from '../services/tokenize/names-fold.js';
import { BOTH, GIVEN, SURNAME } from '../services/tokenize/names-lexicon.js';
import { buildHeldout, loadHeldoutNames } from './names-heldout.js';
import { requireSharedData } from './shared-data.js';

// The lexicon the detector ships, to tell which held-out names it has never seen.
const lexicon = new Set<string>();
for (const w of `${GIVEN} ${SURNAME} ${BOTH}`.split(' ')) if (w) {
  lexicon.add(w);
  lexicon.add(foldName(w));
}
const seen = (w: string) => lexicon.has(w.toLowerCase()) || lexicon.has(foldName(w));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A name word survives when it is still in the output as a whole word (CJK names: as a substring). */
const survives = (out: string, w: string) =>
  /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u.test(w) ? out.includes(w) : new RegExp(`(?<![\\p{L}\\p{M}])${escape(w)}(?![\\p{L}\\p{M}])`, 'u').test(out);

test('held-out names (Python Faker, not the lexicon source): PERSON recall >= 0.93, look-alikes intact', () => {
  const keyring = parseKeyring(`e1:${randomBytes(32).toString('base64')}`, 'eval key');
  const rows = buildHeldout();
  assert.ok(rows.length > 500);
  type Stat = { words: number; removed: number; unseen: number; unseenRemoved: number; names: number; namesGone: number; misses: string[] };
  const per = new Map<string, Stat>();
  const all: Stat = { words: 0, removed: 0, unseen: 0, unseenRemoved: 0, names: 0, namesGone: 0, misses: [] };
  let keepTotal = 0;
  const keepBroken: string[] = [];
  for (const r of rows) {
    const out = tokenizeText(r.text, keyring).text;
    const s = per.get(r.cls) ?? { words: 0, removed: 0, unseen: 0, unseenRemoved: 0, names: 0, namesGone: 0, misses: [] };
    per.set(r.cls, s);
    for (const name of r.names) {
      let gone = true;
      for (const w of name) {
        const ok = !survives(out, w);
        const unseen = !seen(w);
        for (const st of [s, all]) {
          st.words++;
          if (ok) st.removed++;
          if (unseen) {
            st.unseen++;
            if (ok) st.unseenRemoved++;
          }
        }
        if (!ok) {
          gone = false;
          if (s.misses.length < 3) s.misses.push(`${w} in ${JSON.stringify(out.slice(0, 90))}`);
        }
      }
      for (const st of [s, all]) {
        st.names++;
        if (gone) st.namesGone++;
      }
    }
    for (const k of r.keep) {
      keepTotal++;
      if (!out.includes(k)) keepBroken.push(`${k} -> ${out}`);
    }
  }
  const f = (a: number, b: number) => (b ? (a / b).toFixed(3) : '  -  ');
  const lines = [`held-out names from Python Faker ${loadHeldoutNames().version}; ${rows.length} texts`,
    'class                              words  recall  unseen  recall(unseen)  names  whole-name recall'];
  for (const [cls, s] of [...per, ['ALL', all] as const]) {
    lines.push(`${cls.padEnd(34)} ${String(s.words).padStart(5)}   ${f(s.removed, s.words)}  ${String(s.unseen).padStart(6)}  ${f(s.unseenRemoved, s.unseen).padStart(14)}  ${String(s.names).padStart(5)}  ${f(s.namesGone, s.names).padStart(17)}`);
  }
  lines.push(`keep intact: ${keepTotal - keepBroken.length}/${keepTotal}`);
  for (const [cls, s] of per) if (s.misses.length) lines.push(`  misses (${cls}): ${s.misses.join(' | ')}`);
  for (const k of keepBroken.slice(0, 8)) lines.push(`  look-alike altered: ${k.slice(0, 140)}`);
  console.log(lines.join('\n'));
  // issue 10 asks 0.9; measured 0.944 on 2026-12-02 (docs/pii/person-names.md): the gate keeps a little room below it
  assert.ok(all.removed / all.words >= 0.93, `held-out PERSON recall ${f(all.removed, all.words)} < 0.93`);
  assert.ok((keepTotal - keepBroken.length) / keepTotal >= 0.995, `look-alikes altered: ${keepBroken.slice(0, 5).join(' | ')}`);
});

test('shared dev corpora: PERSON recall >= 0.9, no look-alike lost to a PERSON token', () => {
  const keyring = parseKeyring(`e1:${randomBytes(32).toString('base64')}`, 'eval key');
  const noPerson = new Set([...ALL_TYPES].filter((t) => t !== 'PERSON'));
  const lines: string[] = [];
  for (const file of ['pii-dev.jsonl', 'evasion-dev.jsonl', 'secrets-dev.jsonl']) {
    const rows = readFileSync(requireSharedData(file), 'utf8').split('\n').filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; text: string; pii: { type: string; value: string }[]; keep: string[] });
    let planted = 0;
    let removed = 0;
    let keeps = 0;
    const lost: string[] = [];
    for (const r of rows) {
      const out = tokenizeText(r.text, keyring).text;
      for (const p of r.pii) if (p.type === 'PERSON') {
        planted++;
        if (!out.includes(p.value)) removed++;
      }
      const without = r.keep.length ? tokenizeText(r.text, keyring, { types: noPerson }).text : '';
      for (const k of r.keep) {
        keeps++;
        if (!out.includes(k) && without.includes(k)) lost.push(`${r.id}: ${k}`);
      }
    }
    lines.push(`${file.padEnd(18)} PERSON ${removed}/${planted} ${planted ? (removed / planted).toFixed(4) : 'n/a'}; look-alikes lost to PERSON ${lost.length}/${keeps}`);
    if (planted) assert.ok(removed / planted >= 0.9, `${file}: PERSON recall ${(removed / planted).toFixed(4)}`);
    assert.ok(lost.length <= keeps * 0.005, `${file}: look-alikes lost to PERSON: ${lost.slice(0, 5).join(' | ')}`);
  }
  console.log(lines.join('\n'));
});
