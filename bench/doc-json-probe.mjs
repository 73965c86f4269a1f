// Is there repeated JSON work to save in the bulk body? On the event documents of ../shared/data traffic-dev-v2
// after the whole chain (bench/chain-docs.mjs): (1) which subtrees repeat across documents, by content and by object
// identity; (2) CPU of JSON.stringify per subtree (number formatting of fractional doubles is most of a small one);
// (3) the whole document by JSON.stringify against a serializer that walks the top level and splices each repeated
// leaf subtree's JSON from a content-checked memo, and against one stringify with `source` replaced by a marker
// and its memoized JSON spliced in (both checked byte-equal first); (5) JSON.stringify plus the buffer write against a
// serializer in JavaScript that writes UTF-8 straight into a reused buffer with JSON.stringify's escaping (checked
// byte-equal on every document first; anything but plain objects, arrays and primitives goes to JSON.stringify);
// (6) a serializer written out for the one document shape (as fast-json-stringify generates), string and with the write.
// Medians of process.cpuUsage.
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

// (5) straight into a buffer: short escapes, \u00xx for other controls, lone surrogates as \udxxx, U+2028 raw
let out = Buffer.allocUnsafe(1 << 16);
let pos = 0;
const HEX = '0123456789abcdef';
const room = (n) => {
  if (pos + n <= out.length) return;
  const g = Buffer.allocUnsafe(Math.max(out.length * 2, pos + n));
  out.copy(g, 0, 0, pos);
  out = g;
};
const SHORT = { 8: 98, 9: 116, 10: 110, 12: 102, 13: 114, 34: 34, 92: 92 };
function wStr(s) {
  const n = s.length;
  room(n * 6 + 2);
  const b = out;
  let o = pos;
  b[o++] = 34;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 34 && c !== 92) b[o++] = c;
      else if (SHORT[c] !== undefined) (b[o++] = 92), (b[o++] = SHORT[c]);
      else (b[o++] = 92), (b[o++] = 117), (b[o++] = 48), (b[o++] = 48), (b[o++] = HEX.charCodeAt(c >> 4)), (b[o++] = HEX.charCodeAt(c & 15));
    } else if (c < 0x800) (b[o++] = 0xc0 | (c >> 6)), (b[o++] = 0x80 | (c & 63));
    else if (c < 0xd800 || c > 0xdfff) (b[o++] = 0xe0 | (c >> 12)), (b[o++] = 0x80 | ((c >> 6) & 63)), (b[o++] = 0x80 | (c & 63));
    else {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        (b[o++] = 0xf0 | (cp >> 18)), (b[o++] = 0x80 | ((cp >> 12) & 63)), (b[o++] = 0x80 | ((cp >> 6) & 63)), (b[o++] = 0x80 | (cp & 63));
      } else for (const h of `\\u${c.toString(16)}`) b[o++] = h.charCodeAt(0);
    }
  }
  b[o++] = 34;
  pos = o;
}
function wAscii(s) {
  room(s.length);
  for (let i = 0; i < s.length; i++) out[pos++] = s.charCodeAt(i);
}
const keyBytes = new Map();
function wValue(v) {
  switch (typeof v) {
    case 'string':
      return wStr(v), true;
    case 'number':
      return wAscii(Number.isFinite(v) ? String(v) : 'null'), true;
    case 'boolean':
      return wAscii(v ? 'true' : 'false'), true;
    case 'object':
      if (v === null) return wAscii('null'), true;
      if (Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype) {
        wAscii('[');
        for (let i = 0; i < v.length; i++) {
          if (i) wAscii(',');
          if (!wValue(v[i])) wAscii('null');
        }
        return wAscii(']'), true;
      }
      if (Object.getPrototypeOf(v) === PLAIN && v.toJSON === undefined) {
        wAscii('{');
        let first = true;
        for (const k in v) {
          const x = v[k];
          if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
          if (!first) wAscii(',');
          first = false;
          let kb = keyBytes.get(k);
          if (kb === undefined) keyBytes.set(k, (kb = `${JSON.stringify(k)}:`));
          room(kb.length * 3);
          pos += out.write(kb, pos);
          wValue(x);
        }
        return wAscii('}'), true;
      }
    // falls through: anything else as JSON.stringify makes it
    default: {
      const j = JSON.stringify(v);
      if (j === undefined) return false;
      room(j.length * 3);
      pos += out.write(j, pos);
      return true;
    }
  }
}
const direct = (d) => {
  pos = 0;
  wValue(d);
  return pos;
};
for (const d of docs) if (out.toString('utf8', 0, direct(d)) !== JSON.stringify(d)) throw new Error('the buffer serializer made different JSON');
const hostile = ['\ud800', 'a\udfffb', '\u2028\u2029', '\u0000\u001f\u007f', '"\\/\b\f\n\r\t', '\ud83d\ude00\ud83d', 'Zoë ✓ 漢字'];
for (const h of hostile) if (out.toString('utf8', 0, direct({ h, a: [h] })) !== JSON.stringify({ h, a: [h] })) throw new Error(`the buffer serializer made different JSON for ${JSON.stringify(h)}`);
console.log('whole document into a buffer, µs of CPU per document:');
for (let r = 0; r < 2; r++) console.log(`  JSON.stringify + write ${cpu((d) => buf.write(JSON.stringify(d), 0)).toFixed(2)}, JavaScript serializer into the buffer ${cpu(direct).toFixed(2)}`);

// (6) a serializer written for the one document shape, the code fast-json-stringify generates from a schema: the
// keys in the order the stages build them, each field read by name, strings quoted as they are unless they need an
// escape (then JSON.stringify), numbers by String; the small objects of many shapes (cost, owner, service, geo...)
// by JSON.stringify. It is only right for documents of exactly this shape (a key it does not know is lost: the
// first version of it missed llm_audit.invisible_unicode, which the tokenize stage adds outside the literal on
// text with hidden characters), so it is checked byte-equal on every document first; it builds a rope of some hundred pieces, which the buffer write flattens.
const ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const str = (s) => (ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"');
const val = (x) => (typeof x === 'string' ? str(x) : typeof x === 'number' ? (Number.isFinite(x) ? '' + x : 'null') : typeof x === 'boolean' ? (x ? 'true' : 'false') : JSON.stringify(x));
const strs = (a) => {
  if (!Array.isArray(a)) return JSON.stringify(a);
  let s = '[';
  for (let i = 0; i < a.length; i++) s += (i ? ',' : '') + (typeof a[i] === 'string' ? str(a[i]) : JSON.stringify(a[i]) ?? 'null');
  return s + ']';
};
const opt = (k, x) => (x === undefined ? '' : `,"${k}":${val(x)}`);
function template(d) {
  const e = d.event;
  const g = d.gen_ai;
  const u = g.usage;
  const l = d.llm_audit;
  const k = l.api_key;
  let s = '{"@timestamp":' + val(d['@timestamp']);
  s += ',"event":{"id":' + val(e.id) + ',"kind":' + val(e.kind) + ',"category":' + strs(e.category) + ',"dataset":' + val(e.dataset) + ',"outcome":' + val(e.outcome) + ',"duration":' + val(e.duration) + ',"ingested":' + val(e.ingested) + '}';
  s += ',"http":{"response":{"status_code":' + val(d.http.response.status_code) + '}}';
  s += ',"gen_ai":{"system":' + val(g.system) + ',"operation":{"name":' + val(g.operation.name) + '},"request":{"model":' + val(g.request.model) + '}';
  if (g.response !== undefined) s += ',"response":{"model":' + val(g.response.model) + '}';
  s += ',"usage":{"input_tokens":' + val(u.input_tokens) + ',"output_tokens":' + val(u.output_tokens) + ',"total_tokens":' + val(u.total_tokens) + '}}';
  s += ',"llm_audit":{"schema_version":' + val(l.schema_version) + ',"api_key":{"id":' + val(k.id) + opt('created', k.created) + opt('age_days', k.age_days) + opt('status', k.status) + opt('attributed', k.attributed) + '}';
  s += ',"gateway":{"id":' + val(l.gateway.id) + '},"environment":' + val(l.environment) + ',"latency_ms":' + val(l.latency_ms) + opt('request_id', l.request_id);
  if (l.kafka !== undefined) s += ',"kafka":{"partition":' + val(l.kafka.partition) + ',"offset":' + val(l.kafka.offset) + '}';
  s += opt('prompt', l.prompt) + opt('completion', l.completion);
  const p = l.pii;
  if (p !== undefined) s += ',"pii":{"types":' + strs(p.types) + ',"count":' + val(p.count) + ',"tokens":' + strs(p.tokens) + ',"fields":' + strs(p.fields) + ',"truncated":' + val(p.truncated) + ',"secrets":' + JSON.stringify(p.secrets) + '}';
  s += opt('cost', l.cost) + opt('owner', l.owner) + opt('cost_center', l.cost_center) + opt('slack_channel', l.slack_channel) + opt('invisible_unicode', l.invisible_unicode) + '}';
  if (d.source !== undefined) s += ',"source":{"ip":' + val(d.source.ip) + opt('geo', d.source.geo) + '}';
  if (d.user_agent !== undefined) s += ',"user_agent":{"original":' + val(d.user_agent.original) + '}';
  if (d.user !== undefined) s += ',"user":{"id":' + val(d.user.id) + '}';
  if (d.error !== undefined) s += ',"error":{"code":' + val(d.error.code) + '}';
  return s + opt('service', d.service) + opt('organization', d.organization) + '}';
}
for (const d of docs) if (template(d) !== JSON.stringify(d)) throw new Error('the shape template made different JSON');
console.log('one shape written out (what fast-json-stringify would generate), µs of CPU per document:');
for (let r = 0; r < 2; r++) console.log(`  string only: JSON.stringify ${cpu((d) => JSON.stringify(d)).toFixed(2)}, template ${cpu(template).toFixed(2)}; with the buffer write: JSON.stringify ${cpu((d) => buf.write(JSON.stringify(d), 0)).toFixed(2)}, template ${cpu((d) => buf.write(template(d), 0)).toFixed(2)}`);
