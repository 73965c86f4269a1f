import { test } from 'node:test';
import assert from 'node:assert/strict';
import { f, loadTokenizer, report, scoreHeldout4 } from './pii-heldout4-score.js';

// Gates: the figures below minus a margin, so a change that loses what was gained fails; they are not targets.
// Blind run 2026-12-04, this build and the frozen baseline (/work/base-s10) alike: PERSON 0.730 (jfairy 0.707,
// names-dataset 0.759), PHONE 0.848 (valid numbers 0.940), STREET_ADDRESS 0.529, DATE_OF_BIRTH 0.330, look-alikes
// 1134/1146. Then the same session tuned PHONE, STREET_ADDRESS and DATE_OF_BIRTH on its miss classes (SQL and
// fixed-width columns, birth cues in its languages, Georgian and French street forms): 0.900, 0.847, 0.966, so for
// those types it is no longer blind. PERSON was not tuned on it (the name rules of that session were made without
// seeing it), so its PERSON figure measured names nobody fitted (0.733 at the end of session 10). Session 11 tuned
// PERSON on its misses too (salutations and sign-offs, chat headers, Korean 님/씨, mentions): 0.814, so corpus 4 is no
// longer blind for any type; corpus 5 (pii-heldout5) is the blind one for names.
const GATE: Partial<Record<string, number>> = { PERSON: 0.79, PHONE: 0.87, 'PHONE (valid number)': 0.93, STREET_ADDRESS: 0.82, DATE_OF_BIRTH: 0.93 };
const KEEP_GATE = 0.97;

test('held-out corpus 4 (jfairy + names-dataset): recall per type, template class and locale, look-alikes intact', async () => {
  const res = scoreHeldout4(await loadTokenizer());
  assert.ok(res.rows.length > 400);
  console.log(report(res));
  for (const [t, min] of Object.entries(GATE)) {
    const s = res.byType.get(t)!;
    assert.ok(s.caught / s.n >= min!, `${t} recall ${f(s)} < ${min}; misses e.g. ${s.misses.join(' | ')}`);
  }
  assert.ok((res.keepTotal - res.keepBroken.length) / res.keepTotal >= KEEP_GATE, `look-alikes altered: ${res.keepBroken.slice(0, 5).join(' | ')}`);
});
