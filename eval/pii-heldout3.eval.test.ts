import { test } from 'node:test';
import assert from 'node:assert/strict';
import { f, loadTokenizer, report, scoreHeldout3 } from './pii-heldout3-score.js';

// Gates: the figures after session 8's fixes (docs/pii/structured-types.md, "Held-out corpus 3") minus a margin, so a
// change that loses what was gained fails; they are not targets.
// Blind run 2026-12-03 on the frozen baseline: PERSON 0.655, PHONE 0.986 (valid numbers 1.000), STREET_ADDRESS 0.342,
// DATE_OF_BIRTH 0.697, look-alikes 963/1028. After: PERSON 0.721, PHONE 1.000, STREET_ADDRESS 0.815, DATE_OF_BIRTH
// 0.963, look-alikes 1009/1028.
// Session 10 (2026-12-04): PERSON 0.762 (list, table, role, code-owner, Arabic-title and Chinese-name rules), STREET_ADDRESS
// 0.954 (Dutch compounds, Romance particles, street lines in sentences, Georgian and French forms).
const GATE: Partial<Record<string, number>> = { PERSON: 0.73, PHONE: 0.98, 'PHONE (valid number)': 0.98, STREET_ADDRESS: 0.92, DATE_OF_BIRTH: 0.93 };
const KEEP_GATE = 0.97;

test('held-out corpus 3 (fake crate): recall per type, template class and locale, look-alikes intact', async () => {
  const res = scoreHeldout3(await loadTokenizer());
  assert.ok(res.rows.length > 400);
  console.log(report(res));
  for (const [t, min] of Object.entries(GATE)) {
    const s = res.byType.get(t)!;
    assert.ok(s.caught / s.n >= min!, `${t} recall ${f(s)} < ${min}; misses e.g. ${s.misses.join(' | ')}`);
  }
  assert.ok((res.keepTotal - res.keepBroken.length) / res.keepTotal >= KEEP_GATE, `look-alikes altered: ${res.keepBroken.slice(0, 5).join(' | ')}`);
});
