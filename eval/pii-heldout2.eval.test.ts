import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { parseKeyring, tokenizeText } from '../services/tokenize/index.js';
import { buildHeldout2, loadHeldout2, type Planted, type PlantedType } from './pii-heldout2.js';
import { pieces, survives } from './heldout-common.js';

// mimesis locale -> the country whose plan its phone masks imitate
const COUNTRY: Record<string, CountryCode> = {
  'ar-ae': 'AE', 'ar-dz': 'DZ', 'ar-eg': 'EG', 'ar-jo': 'JO', 'ar-om': 'OM', 'ar-kw': 'KW', 'ar-ma': 'MA', 'ar-qa': 'QA', 'ar-sa': 'SA', 'ar-sy': 'SY',
  'ar-tn': 'TN', 'ar-ye': 'YE', az: 'AZ', cs: 'CZ', da: 'DK', de: 'DE', 'de-at': 'AT', 'de-ch': 'CH', el: 'GR', en: 'US', 'en-au': 'AU', 'en-ca': 'CA',
  'en-gb': 'GB', es: 'ES', 'es-mx': 'MX', et: 'EE', fa: 'IR', fi: 'FI', fr: 'FR', hu: 'HU', hr: 'HR', is: 'IS', it: 'IT', ja: 'JP', kk: 'KZ', ko: 'KR',
  nl: 'NL', 'nl-be': 'BE', no: 'NO', pl: 'PL', pt: 'PT', 'pt-br': 'BR', ru: 'RU', sk: 'SK', sv: 'SE', tr: 'TR', uk: 'UA', zh: 'CN',
};
/** mimesis fills its masks with random digits: many numbers are in no real range. Real traffic has real numbers. */
const validPhone = (p: Planted) => !!parsePhoneNumberFromString(p.value, { defaultCountry: COUNTRY[p.loc], extract: false })?.isValid();
const latinScript = (s: string) => !/[^\p{Script=Latin}\p{Script=Common}\p{M}]/u.test(s);

type Stat = { n: number; caught: number; misses: string[] };
const stat = (): Stat => ({ n: 0, caught: 0, misses: [] });

export function scoreHeldout2() {
  const keyring = parseKeyring(`e1:${randomBytes(32).toString('base64')}`, 'eval key');
  const rows = buildHeldout2();
  const byType = new Map<string, Stat>();
  const byClass = new Map<string, Stat>();
  const byClassType = new Map<string, Stat>();
  let keepTotal = 0;
  const keepBroken: string[] = [];
  const bump = (m: Map<string, Stat>, key: string, ok: boolean, miss: string) => {
    const s = m.get(key) ?? stat();
    m.set(key, s);
    s.n++;
    if (ok) s.caught++;
    else if (s.misses.length < 4) s.misses.push(miss);
  };
  for (const r of rows) {
    const out = tokenizeText(r.text, keyring).text;
    let rest = r.text;
    for (const p of [...r.pii].sort((a, b) => b.value.length - a.value.length)) rest = rest.split(p.value).join(' ');
    for (const k of r.keep) rest = rest.split(k).join(' ');
    for (const p of r.pii) {
      const left = pieces(p, rest).filter((w) => survives(out, w));
      const ok = left.length === 0;
      const miss = `${p.value} (${p.loc}) in ${JSON.stringify(out.slice(0, 110))}`;
      const types: string[] = [p.type];
      if (p.type === 'PHONE') types.push(validPhone(p) ? 'PHONE (valid number)' : 'PHONE (not a valid number)');
      if (p.type === 'STREET_ADDRESS' || p.type === 'PERSON') types.push(`${p.type} (${latinScript(p.value) ? 'Latin script' : 'other scripts'})`);
      for (const t of types) bump(byType, t, ok, miss);
      bump(byClass, r.cls, ok, miss);
      bump(byClassType, `${r.cls} / ${p.type}`, ok, miss);
    }
    for (const k of r.keep) {
      keepTotal++;
      if (!out.includes(k)) keepBroken.push(`${k} -> ${out.slice(0, 160)}`);
    }
  }
  return { rows, byType, byClass, byClassType, keepTotal, keepBroken };
}

const f = (s: Stat) => (s.n ? (s.caught / s.n).toFixed(3) : '  -  ');

// Gates: the figures after the fixes tuned on this corpus (docs/pii/structured-types.md, "Held-out corpus 2: mimesis")
// minus a margin, so a change that loses what was gained fails; they are not targets.
// Blind run 2026-12-02: PERSON 0.623, PHONE 0.827 (valid numbers 0.932), STREET_ADDRESS 0.180, DATE_OF_BIRTH 0.564,
// look-alikes 1099/1119. 2026-12-03: PERSON 0.911, PHONE 0.957 (valid 0.961), STREET_ADDRESS 0.595, DATE_OF_BIRTH
// 0.996, look-alikes 1119/1119.
const GATE: Partial<Record<PlantedType | 'PHONE (valid number)', number>> = { PERSON: 0.88, PHONE: 0.93, 'PHONE (valid number)': 0.93, STREET_ADDRESS: 0.56, DATE_OF_BIRTH: 0.97 };
const KEEP_GATE = 0.995;

test('held-out corpus 2 (mimesis): recall per type and template class, look-alikes intact', () => {
  const { rows, byType, byClass, byClassType, keepTotal, keepBroken } = scoreHeldout2();
  assert.ok(rows.length > 400);
  const lines = [`held-out corpus 2 from mimesis ${loadHeldout2().version}; ${rows.length} texts`, 'type                                  planted  caught  recall'];
  for (const [t, s] of [...byType].sort()) lines.push(`${t.padEnd(37)} ${String(s.n).padStart(7)} ${String(s.caught).padStart(7)}  ${f(s)}`);
  lines.push('', 'class                                 planted  caught  recall   PERSON  PHONE  STREET  DOB');
  const types: PlantedType[] = ['PERSON', 'PHONE', 'STREET_ADDRESS', 'DATE_OF_BIRTH'];
  for (const [c, s] of byClass) {
    const cells = types.map((t) => f(byClassType.get(`${c} / ${t}`) ?? stat()).padStart(6));
    lines.push(`${c.padEnd(37)} ${String(s.n).padStart(7)} ${String(s.caught).padStart(7)}  ${f(s)}  ${cells.join(' ')}`);
  }
  lines.push(`keep intact: ${keepTotal - keepBroken.length}/${keepTotal}`);
  for (const [k, s] of byClassType) if (s.misses.length) lines.push(`  misses (${k}): ${s.misses.slice(0, 2).join(' | ')}`);
  for (const k of keepBroken.slice(0, 10)) lines.push(`  look-alike altered: ${k}`);
  console.log(lines.join('\n'));
  for (const [t, min] of Object.entries(GATE)) {
    const s = byType.get(t)!;
    assert.ok(s.caught / s.n >= min, `${t} recall ${f(s)} < ${min}; misses e.g. ${s.misses.join(' | ')}`);
  }
  assert.ok((keepTotal - keepBroken.length) / keepTotal >= KEEP_GATE, `look-alikes altered: ${keepBroken.slice(0, 5).join(' | ')}`);
});
