// Is there repeated JSON work to save in the bulk body? On the event documents of ../shared/data traffic-dev-v2
// after the whole chain (bench/chain-docs.mjs): (1) which subtrees repeat across documents, by content and by object
// identity; (2) CPU of JSON.stringify per subtree (number formatting of fractional doubles is most of a small one);
// (3) the whole document by JSON.stringify against a serializer that walks the top level and splices each repeated
// leaf subtree's JSON from a content-checked memo, and against one stringify with `source` replaced by a marker
// and its memoized JSON spliced in (both checked byte-equal first). Medians of process.cpuUsage.
// Usage, after `npm run build`: node bench/doc-json-probe.mjs [dist] [--events 30000]
import { parseArgs } from 'node:util';
import { chainBatches } from './chain-docs.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { events: { type: 'string', default: '30000' } } });
const { batches } = await chainBatches(positionals[0] ?? 'dist', Number(values.events));
const docs = batches.flat().filter((it) => !it.upsert).map((it) => it.doc);

// (1) repeats, two levels deep
const stats = new Map();
let total = 0;
for (const d of docs) {
  total += JSON.stringify(d).length;
  for (const [k, v] of Object.entries(d)) {
    note(k, v);
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k2, v2] of Object.entries(v)) note(`${k}.${k2}`, v2);
  }
}
function note(path, v) {
  if (v === undefined || v === null || typeof v !== 'object') return;
  let s = stats.get(path);
  if (!s) stats.set(path, (s = { bytes: 0, byContent: 0, byObject: 0, seen: new Set(), objects: new WeakSet() }));
  const j = JSON.stringify(v);
  s.bytes += j.length;
  if (s.seen.has(j)) s.byContent += j.length;
  else s.seen.add(j);
  if (s.objects.has(v)) s.byObject += j.length;
  else s.objects.add(v);
}
console.log(`${docs.length.toLocaleString('en-US')} documents, ${(total / docs.length).toFixed(0)} bytes of JSON each. Object subtrees over 1% of the bytes:`);
for (const [p, s] of [...stats].sort((x, y) => y[1].bytes - x[1].bytes)) {
  if (s.bytes / total < 0.01) continue;
  console.log(`  ${p.padEnd(24)} ${((100 * s.bytes) / total).toFixed(1).padStart(5)}% of bytes, ${String(s.seen.size).padStart(6)} distinct, repeated: by content ${((100 * s.byContent) / s.bytes).toFixed(0).padStart(3)}%, same object ${((100 * s.byObject) / s.bytes).toFixed(0)}%`);
}

const cpu = (f) => {
  const runs = [];
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage();
    for (const d of docs) f(d);
    const c = process.cpuUsage(c0);
    runs.push((c.user + c.system) / docs.length);
  }
  return runs.sort((x, y) => x - y)[3];
};

// (2) stringify per subtree
const at = (d, path) => path.split('.').reduce((o, k) => o?.[k], d);
console.log('JSON.stringify, µs of CPU per document:');
console.log(`  whole document ${cpu((d) => JSON.stringify(d)).toFixed(2)}`);
for (const p of ['llm_audit', 'source', 'source.geo', 'gen_ai', 'event', 'llm_audit.pii', 'llm_audit.api_key', 'llm_audit.cost', 'llm_audit.owner', 'http', 'service']) console.log(`  ${p.padEnd(20)} ${cpu((d) => JSON.stringify(at(d, p))).toFixed(2)}`);

// (3) a memo of leaf subtrees (plain objects of primitives and plain objects), keyed by their first primitive and
// checked field by field against a structural copy
const PLAIN = Object.prototype;
const keyJson = new Map();
const memo = new Map();
function copy(o, depth) {
  if (depth > 4) return undefined;
  const keys = Object.keys(o);
  const vals = [];
  for (const k of keys) {
    const v = o[k];
    if (v !== null && typeof v === 'object') {
      const c = Object.getPrototypeOf(v) === PLAIN ? copy(v, depth + 1) : undefined;
      if (!c) return undefined;
      vals.push(c);
    } else if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return undefined;
    else vals.push(v);
  }
  return { keys, vals };
}
function same(o, c) {
  const keys = Object.keys(o);
  if (keys.length !== c.keys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== c.keys[i]) return false;
    const v = o[keys[i]];
    const w = c.vals[i];
    if (w !== null && typeof w === 'object') {
      if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== PLAIN || !same(v, w)) return false;
    } else if (v !== w) return false;
  }
  return true;
}
const firstLeaf = (o) => {
  for (const k in o) return o[k] !== null && typeof o[k] === 'object' ? firstLeaf(o[k]) : o[k];
  return undefined;
};
const MEMO = new Set([...stats].filter(([p, s]) => !p.includes('.') && s.byContent / s.bytes > 0.9).map(([p]) => p));
function memoJson(doc) {
  let out = '{';
  for (const k in doc) {
    const v = doc[k];
    let j;
    if (MEMO.has(k) && v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === PLAIN) {
      let m = memo.get(k);
      if (!m) memo.set(k, (m = new Map()));
      const key = firstLeaf(v);
      const e = m.get(key);
      if (e && same(v, e.copy)) j = e.json;
      else {
        j = JSON.stringify(v);
        const c = copy(v, 0);
        if (c) m.set(key, { copy: c, json: j });
      }
    } else j = JSON.stringify(v);
    if (j === undefined) continue;
    let kj = keyJson.get(k);
    if (kj === undefined) keyJson.set(k, (kj = `${JSON.stringify(k)}:`));
    out += (out.length > 1 ? ',' : '') + kj + j;
  }
  return `${out}}`;
}
// (4) one native stringify with `source` replaced by a marker, its memoized JSON spliced in after
const MARKED = '"source":"\\u0000"';
const sourceMemo = new Map();
function markedJson(doc) {
  const v = doc.source;
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== PLAIN) return JSON.stringify(doc);
  const key = firstLeaf(v);
  const e = sourceMemo.get(key);
  let j;
  if (e && same(v, e.copy)) j = e.json;
  else {
    j = JSON.stringify(v);
    const c = copy(v, 0);
    if (c) sourceMemo.set(key, { copy: c, json: j });
  }
  doc.source = '\u0000';
  let out;
  try {
    out = JSON.stringify(doc);
  } finally {
    doc.source = v;
  }
  const i = out.indexOf(MARKED);
  if (i < 0 || out.indexOf(MARKED, i + 1) >= 0) return JSON.stringify(doc);
  return out.slice(0, i + 9) + j + out.slice(i + MARKED.length);
}
for (const d of docs) if (memoJson(d) !== JSON.stringify(d) || markedJson(d) !== JSON.stringify(d)) throw new Error('a memo serializer made different JSON');
const buf = Buffer.allocUnsafe(1 << 20);
console.log(`whole document, µs of CPU per document (memo on ${[...MEMO].join(', ')}):`);
for (let r = 0; r < 2; r++) {
  console.log(`  JSON.stringify ${cpu((d) => JSON.stringify(d)).toFixed(2)}, memo ${cpu(memoJson).toFixed(2)}, source marker ${cpu(markedJson).toFixed(2)}; encoded into a buffer: JSON.stringify ${cpu((d) => buf.write(JSON.stringify(d), 0)).toFixed(2)}, memo ${cpu((d) => buf.write(memoJson(d), 0)).toFixed(2)}`);
}
