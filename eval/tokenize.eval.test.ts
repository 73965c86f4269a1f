import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseKeyring, tokenizeText } from '../services/tokenize/index.js';
import { normalizeView } from '../services/tokenize/normalize.js';
import { requireSharedData } from './shared-data.js';

export interface Row {
  id: string;
  text: string;
  pii: { type: string; value: string; class?: string; parts?: string[] }[];
  keep: string[];
  keep_kind?: string[];
}

interface Tally {
  planted: number;
  removed: number;
  misses: string[];
  /** Planted values written in parts (split by invisibles or a line break) and how many the normalised view rejoins. */
  split?: number;
  rejoined?: number;
}

/** The "done" bar (issue 10): every structured type, PERSON, and look-alikes left as they were. */
// Issue 10 asks 0.99 for every structured type and evasion class; pii-dev and evasion-dev (2026-12-02) meet it.
export const GATES = { structured: 0.99, PERSON: 0.9, keep: 0.995, evasionClass: 0.99, evasionType: 0.99 };

export const readRows = (file: string): Row[] =>
  readFileSync(requireSharedData(file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);

/** Per type and per evasion class: a planted value counts as removed when its exact substring is gone from the output. */
export function evaluate(rows: Row[]) {
  const keyring = parseKeyring(`e1:${randomBytes(32).toString('base64')}`, 'eval key');
  const perType = new Map<string, Tally>();
  const perClass = new Map<string, Tally>();
  const keepKinds = new Map<string, { total: number; broken: number }>();
  let keepTotal = 0;
  const keepBroken: string[] = [];
  const tally = (m: Map<string, Tally>, k: string, removed: boolean, miss: string) => {
    const s = m.get(k) ?? { planted: 0, removed: 0, misses: [] };
    m.set(k, s);
    s.planted++;
    if (removed) s.removed++;
    else if (s.misses.length < 5) s.misses.push(miss);
  };
  for (const r of rows) {
    const out = tokenizeText(r.text, keyring).text;
    let view: string | undefined;
    for (const p of r.pii) {
      const removed = !out.includes(p.value);
      const miss = `${r.id}: ${JSON.stringify(p.value)}`;
      tally(perType, p.type, removed, miss);
      if (!p.class) continue;
      tally(perClass, p.class, removed, miss);
      if (p.parts && p.class !== 'wrapped_line') {
        // separates what normalisation recovers from what the detectors then recognise
        const s = perClass.get(p.class)!;
        view ??= normalizeView(r.text).text;
        s.split = (s.split ?? 0) + 1;
        if (view.includes(p.parts.join(''))) s.rejoined = (s.rejoined ?? 0) + 1;
      }
    }
    r.keep.forEach((k, i) => {
      keepTotal++;
      const kind = r.keep_kind?.[i] ?? 'keep';
      const s = keepKinds.get(kind) ?? { total: 0, broken: 0 };
      keepKinds.set(kind, s);
      s.total++;
      if (!out.includes(k)) {
        s.broken++;
        keepBroken.push(`${r.id}: ${JSON.stringify(k)} -> ${JSON.stringify(out.slice(0, 300))}`);
      }
    });
  }
  return { perType, perClass, keepKinds, keepTotal, keepBroken };
}

const recall = (s: Tally) => s.removed / s.planted;

export function report(title: string, e: ReturnType<typeof evaluate>): string {
  const row = (k: string, s: Tally) =>
    `  ${k.padEnd(20)} ${String(s.planted).padStart(6)} ${String(s.removed).padStart(7)}  ${recall(s).toFixed(4)}` +
    (s.split ? `   (view rejoins ${s.rejoined ?? 0}/${s.split} split values)` : '');
  const lines = [`${title}`, `  ${'type'.padEnd(20)} planted removed  recall`];
  for (const [k, s] of [...e.perType].sort()) lines.push(row(k, s));
  if (e.perClass.size) {
    lines.push(`  ${'evasion class'.padEnd(20)} planted removed  recall`);
    for (const [k, s] of [...e.perClass].sort()) lines.push(row(k, s));
  }
  const kept = e.keepTotal - e.keepBroken.length;
  lines.push(`  keep intact: ${kept}/${e.keepTotal} = ${(e.keepTotal ? kept / e.keepTotal : 1).toFixed(4)}` +
    [...e.keepKinds].filter(([, s]) => s.broken).map(([k, s]) => `; ${k} ${s.total - s.broken}/${s.total}`).join(''));
  return lines.join('\n');
}

function gate(e: ReturnType<typeof evaluate>, classes: boolean): void {
  const failures: string[] = [];
  for (const [type, s] of e.perType) {
    const bar = type === 'PERSON' ? GATES.PERSON : classes ? GATES.evasionType : GATES.structured;
    if (recall(s) < bar) failures.push(`${type} recall ${recall(s).toFixed(4)} < ${bar}; misses e.g. ${s.misses.join(' | ')}`);
  }
  if (classes) {
    for (const [cls, s] of e.perClass) {
      if (recall(s) < GATES.evasionClass) failures.push(`class ${cls} recall ${recall(s).toFixed(4)} < ${GATES.evasionClass}; misses e.g. ${s.misses.join(' | ')}`);
    }
  }
  const keep = e.keepTotal ? (e.keepTotal - e.keepBroken.length) / e.keepTotal : 1;
  if (keep < GATES.keep) failures.push(`keep intact ${keep.toFixed(4)} < ${GATES.keep}; e.g. ${e.keepBroken.slice(0, 5).join(' | ')}`);
  assert.ok(failures.length === 0, `${failures.length} gate(s) failed:\n${failures.join('\n')}`);
}

for (const [file, classes] of [['pii-dev.jsonl', false], ['evasion-dev.jsonl', true]] as const) {
  test(`${file}: recall per type${classes ? ' and per evasion class' : ''}, look-alikes intact`, () => {
    const rows = readRows(file);
    assert.ok(rows.length > 0);
    const e = evaluate(rows);
    console.log(report(file, e));
    if (classes) {
      // the evasion fixes were tuned on the even lines only; the odd lines are the held-out half
      console.log(report(`${file}, even lines (tuned on)`, evaluate(rows.filter((_, i) => i % 2 === 0))));
      console.log(report(`${file}, odd lines (held out)`, evaluate(rows.filter((_, i) => i % 2 === 1))));
    }
    gate(e, classes);
  });
}
