// Where a hostile 1 MiB field's tokenizeText time goes, part by part, for the parts names.ts and normalize.ts own:
// normalizeView, findNames on the view, detect without PERSON on the view, lineJoins and base64Segments on the view
// (without tokenizeText's covered check; its decoded segments' own scans stay in rest) (a field this long is not
// scanned as written as well: LIMITS.asWrittenChars). What the parts leave of the total is tokenizeText's own work on
// the findings (tokens, entities, base64). CPU ms (process.cpuUsage), best of three. Usage, after `npm run build`:
//   node bench/tokenize-hostile-parts.mjs [dist] [shape ...]
// A shape is named by its short key below or by its name in bench/tokenize.ts's table (`"CSV rows"`, `prose`).
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { shapes } from './hostile-shapes.mjs';
const root = process.argv[2] ?? 'dist';
const only = process.argv.slice(3);
const imp = (p) => import(pathToFileURL(resolve(root, p)).href);
const idx = await imp('services/tokenize/index.js');
const nz = await imp('services/tokenize/normalize.js');
const nm = await imp('services/tokenize/names.js');
const ring = idx.parseKeyring('b1:' + randomBytes(32).toString('base64'), 'k');
// bench/tokenize.ts's names for the same shapes, so a row of its table can be split here by the name it printed
const LONG = {
  'at signs': 'at', 'zero-width run': 'zw', 'digits and zero-widths': 'dzw', 'base64 run': 'b64run', 'base64 words with PII': 'b64pii',
  'nested percent': 'nested', 'HTML entities': 'html', 'JSON escapes': 'json', 'fullwidth digits': 'fullwidth', 'combining marks': 'marks',
  'NFKC expansion': 'nfkc', 'spaced digits': 'spaced', '[at]/[dot]': 'atdot', 'form pluses': 'plus', 'line breaks': 'lines',
  'spaced dashes': 'sdash', 'Cyrillic look-alikes': 'cyr', 'mixed PII and encodings': 'mixed', 'foreign tokens, digit slots': 'ftok',
  'SSN cues, no number': 'ssncue', 'form phones': 'formph', 'quoted token wraps': 'qwrap', 'plain digit runs': 'pdig',
  'speaker labels': 'speaker', 'sign-off blocks': 'signoff', 'CSV rows': 'csv',
};
const keyOf = (n) => (n in shapes ? n : LONG[n] ?? LONG[Object.keys(LONG).find((l) => l.toLowerCase() === n.toLowerCase()) ?? '']);
const unknown = only.filter((n) => !keyOf(n));
if (unknown.length) {
  console.error(`unknown shape ${unknown.map((n) => JSON.stringify(n)).join(', ')}; known: ${Object.keys(shapes).join(' ')}, or bench/tokenize.ts's names (${Object.keys(LONG).map((n) => JSON.stringify(n)).join(', ')})`);
  process.exit(2);
}
const noP = new Set([...idx.ALL_TYPES].filter((t) => t !== 'PERSON'));
const cpu = (fn) => { let best = Infinity; for (let k = 0; k < 3; k++) { const u0 = process.cpuUsage(); fn(); const u = process.cpuUsage(u0); best = Math.min(best, (u.user + u.system) / 1000); } return best; };
console.log('shape        total  view names detect-no-PERSON joins  b64 rest');
for (const name of only.length ? only.map(keyOf) : Object.keys(shapes)) {
  const t = shapes[name];
  const v = nz.normalizeView(t);
  const total = cpu(() => idx.tokenizeText(t, ring));
  const view = cpu(() => nz.normalizeView(t));
  const nv = cpu(() => nm.findNames(v.text, []));
  const dv = cpu(() => idx.detect(v.text, { types: noP }));
  const jn = v.text.includes('\n') ? cpu(() => nz.lineJoins(v.text)) : 0;
  const b64s = cpu(() => nz.base64Segments(v.text, { left: nz.LIMITS.base64Budget, segments: nz.LIMITS.base64Segments }));
  const f = (x) => x.toFixed(0).padStart(5);
  console.log(`${name.padEnd(10)} ${f(total)}${f(view)}${f(nv)}   ${f(dv)}          ${f(jn)}${f(b64s)}${f(Math.max(0, total - view - nv - dv - jn - b64s))}`);
}
