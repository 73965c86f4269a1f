// Per-finder CPU of tokenizeText's parts on a hostile 1 MiB field, two builds interleaved in one process (ratios are
// what to read: the box is shared). Parts: normalizeView, findSecrets, each entity finder on the view, findNames,
// findFieldNames, lineJoins and detect (no PERSON) on its joins, base64Segments, and tokenizeText whole. ms, best of
// N rounds (HOSTILE_REPS, default 3). Finders below 1 ms in both builds are not printed. Usage, after `npm run build`:
//   node bench/tokenize-finders.mjs /path/to/other/dist dist shape [shape ...]
// Shapes are tokenize-hostile-ab.mjs's short names.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { shapes } from './hostile-shapes.mjs';

const [A = 'dist', B = 'dist', ...only] = process.argv.slice(2);
const load = async (root) => {
  const imp = (p) => import(pathToFileURL(resolve(root, p)).href);
  const idx = await imp('services/tokenize/index.js');
  const nf = existsSync(resolve(root, 'services/tokenize/names-fields.js')) ? await imp('services/tokenize/names-fields.js') : null;
  return {
    idx, nz: await imp('services/tokenize/normalize.js'), nm: await imp('services/tokenize/names.js'), nf,
    ent: await imp('services/tokenize/entities/index.js'), cr: await imp('services/tokenize/credentials/index.js'),
    ring: idx.parseKeyring('b1:' + randomBytes(32).toString('base64'), 'k'),
  };
};
const builds = [await load(A), await load(B)];
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const reps = Math.max(1, Number(process.env.HOSTILE_REPS) || 3);
const parts = (b, text) => {
  const v = b.nz.normalizeView(text).text;
  const noP = new Set([...b.idx.ALL_TYPES].filter((t) => t !== 'PERSON'));
  const ctx = { hasDigit: /\d/.test(v), hasAt: v.indexOf('@') !== -1, hasDot: v.indexOf('.') !== -1, hasColon: v.indexOf(':') !== -1 };
  const ps = [['total', () => b.idx.tokenizeText(text, b.ring)], ['view', () => b.nz.normalizeView(text)], ['secrets', () => b.cr.findSecrets(v)]];
  for (const d of b.ent.ENTITY_DEFS) if (d.find) ps.push([d.type, () => d.find(v, [], ctx)]);
  ps.push(['findNames', () => b.nm.findNames(v, [])]);
  if (b.nf) ps.push(['fieldNames', () => b.nf.findFieldNames(v, [])]);
  if (v.includes('\n')) {
    ps.push(['lineJoins', () => b.nz.lineJoins(v)]);
    const js = b.nz.lineJoins(v);
    ps.push(['joinDetect', () => { for (const j of js) b.idx.detect(j.text, { types: noP }); }]);
  }
  ps.push(['base64', () => b.nz.base64Segments(v, { left: b.nz.LIMITS.base64Budget, segments: b.nz.LIMITS.base64Segments })]);
  return new Map(ps);
};
console.log(`tokenize-finders  ${new Date().toISOString()}  A=${A}  B=${B}  rounds=${reps}`);
for (const name of only.length ? only : Object.keys(shapes)) {
  const text = shapes[name];
  const ps = builds.map((b) => parts(b, text));
  const keys = [...new Set([...ps[0].keys(), ...ps[1].keys()])];
  const best = new Map(keys.map((k) => [k, [Infinity, Infinity]]));
  for (let r = 0; r < reps; r++) for (const k of keys) ps.forEach((p, i) => { const f = p.get(k); if (!f) return; const t0 = cpu(); f(); best.get(k)[i] = Math.min(best.get(k)[i], cpu() - t0); });
  console.log(`${name}`);
  for (const k of keys) {
    const [a, b] = best.get(k);
    if (!(a >= 1 || b >= 1) && k !== 'total') continue;
    const f = (x) => (x === Infinity ? '-' : x.toFixed(0)).padStart(5);
    console.log(`  ${k.padEnd(18)} A ${f(a)}  B ${f(b)}${a !== Infinity && b !== Infinity && a > 0 ? `  ${(b / a).toFixed(2)}` : ''}`);
  }
}
