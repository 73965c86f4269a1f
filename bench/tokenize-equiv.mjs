// Output equivalence of two tokenizer builds, for a speed change that must change nothing: tokenizeText (text and
// entities, one fixed key), findNames, normalizeView (text and the first 5,000 offsets) and lineJoins, compared on
// the shared dev corpora (pii-dev, evasion-dev, secrets-dev), the held-out names, 4,000 traffic prompts, 6,000
// fuzzed texts from the characters names and normalisation care about, and the hostile shapes at 60 KB (scanned as
// written too) and 1 MiB. Exits 1 on any difference. Usage, after `npm run build` in both trees:
//   node bench/tokenize-equiv.mjs /path/to/other/dist dist
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
const [A, B] = process.argv.slice(2);
const DATA = (process.env.LLM_AUDIT_SHARED_DATA ?? resolve('..', 'shared', 'data')) + '/';
const load = async (root) => ({
  idx: await import(pathToFileURL(resolve(root, 'services/tokenize/index.js')).href),
  nz: await import(pathToFileURL(resolve(root, 'services/tokenize/normalize.js')).href),
  nm: await import(pathToFileURL(resolve(root, 'services/tokenize/names.js')).href),
});
const a = await load(A), b = await load(B);
const key = 'b1:' + Buffer.alloc(32, 7).toString('base64');
const ra = a.idx.parseKeyring(key, 'k'), rb = b.idx.parseKeyring(key, 'k');
const texts = [];
for (const f of ['pii-dev.jsonl', 'evasion-dev.jsonl', 'secrets-dev.jsonl']) for (const l of readFileSync(DATA + f, 'utf8').split('\n')) if (l) texts.push(JSON.parse(l).text);
const heldout = await import(pathToFileURL(resolve(B, 'eval/names-heldout.js')).href);
for (const r of heldout.buildHeldout()) texts.push(r.text);
// traffic prompts
let nTraffic = 0;
for (const f of ['traffic-dev-v2.events.jsonl.gz']) {
  for (const l of gunzipSync(readFileSync(DATA + f)).toString('utf8').split('\n')) {
    if (!l) continue; const e = JSON.parse(l); for (const k of ['prompt', 'completion']) if (typeof e[k] === 'string' && e[k]) { texts.push(e[k]); nTraffic++; }
    if (nTraffic > 4000) break;
  }
}
// fuzz: random mixes of characters that matter to names and normalisation
let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
const atoms = ['Anna', 'anna', 'Smith', 'Alice', 'Bob', ':', ': ', '\n', '\r\n', ' ', '  ', ',', ', ', ';', '\t', '-', '\u2019', "'", "'s", 'Mr.', 'Dr', 'my name is ', 'Regards,', 'Thanks', 'name,email', '@', 'x@y.com', '1', '42', '555 0100', '4111 1111 1111 1111', 'İlgili', 'Łukasz', 'José', 'Иван', 'Петров', 'محمد', '김민준님', '王伟', 'ნინო', '> ', '#', '## ', '%40', '%25', '&#64;', '\\u0040', '＠', '４', '\u200b', '\u00ad', '\u00a0', '\ufdfa', 'e\u0301', 'а', 'о', ' [at] ', ' [dot] ', 'hf_QwErTyUiOpAsDfGhJkLzXcVb', '=', '+', 'a=1+', '–', '—', '.', 'O', "O'", 'A.', 'van der', 'kids: ', ' and ', 'wife', 'Street', '12 Main Street', 'SW1A 1AA', 'said', 'Inc', 'x', 'ab12', 'Zqorvik', 'ΑΒΓ', 'Ω', 'ß', 'ǅ', 'I', 'i', '\u0130'];
for (let n = 0; n < 6000; n++) { let s = ''; const len = 1 + Math.floor(rnd() * 40); for (let i = 0; i < len; i++) s += atoms[Math.floor(rnd() * atoms.length)]; texts.push(s); }
// hostile 64 KiB pieces (under asWrittenChars so the raw path runs too) and 1 MiB ones
const units = ['Alice: hi\n', 'Regards,\nAnna Smith\n', 'name,email\nJohn Doe,x\n', 'Anna ', 'a:', '김민준님 ', 'محمد أحمد ', 'Иван Петров ', 'ნინო ბერიძე ', "Xqzvb's wife ", 'my name is Zqorvik. Zqorvik ', '%25252540', '\ufdfa', '４', 'x@y.com 4111 1111 1111 1111 ＠ &#64; %40 \u200b ', '1\n', 'hf_QwErTyUiOpAsDfGhJkLzXcVb\n> ', 'a [at] b [dot] ', '1 - ', 'аеорсух@', 'e\u0301', '&#64;&commat;', '\\u0040', '1 ', 'phone=%2B1%2D303%2D697%2D1842&'];
for (const u of units) { texts.push(u.repeat(Math.ceil(60000 / u.length))); texts.push(u.repeat(Math.ceil((1 << 20) / u.length)).slice(0, 1 << 20)); }
let diff = 0;
const same = (x, y) => JSON.stringify(x) === JSON.stringify(y);
for (const [i, t] of texts.entries()) {
  // text, entities and the truncation flag; `bounded` too when both builds report it (it is newer than some bases)
  const tr = (r, other) => ({ text: r.text, entities: r.entities, truncated: r.truncated, bounded: other.bounded && r.bounded });
  const ra0 = a.idx.tokenizeText(t, ra), rb0 = b.idx.tokenizeText(t, rb);
  const ta = tr(ra0, rb0), tb = tr(rb0, ra0);
  const na = [], nb = []; a.nm.findNames(t, na); b.nm.findNames(t, nb);
  const va = a.nz.normalizeView(t), vb = b.nz.normalizeView(t);
  const ja = a.nz.lineJoins(va.text), jb = b.nz.lineJoins(vb.text);
  const vs = (v) => [v.text, v.start && Array.from(v.start.slice(0, 5000)), v.end && Array.from(v.end.slice(0, 5000)), v.start?.length];
  const js = (j) => j.map((x) => [x.text, x.glues]);
  if (!same(ta, tb) || !same(na, nb) || !same(vs(va), vs(vb)) || !same(js(ja), js(jb))) {
    if (diff++ < 5) console.log('DIFF', i, JSON.stringify(t.slice(0, 200)), same(ta, tb), same(na, nb), same(vs(va), vs(vb)), same(js(ja), js(jb)));
  }
}
console.log(`${texts.length} texts, ${diff} differ`);
process.exit(diff ? 1 : 0);
