// A/B of the tokenize STAGE (TokenizeStage.process, as bench:chain runs it) between two builds, interleaved in one
// process: node CPU per event (process.cpuUsage) on ../shared/data traffic-dev-v2, decoded fresh each round (decode
// not counted), batches of 500. Also the tokenizer floor of each build (tokenizeText on every prompt and completion
// and each distinct metadata value once, but for the ids that build's stage does not scan). Usage, after `npm run build` in both trees (each tree needs package.json
// and schemas/ beside its dist/):
//   node bench/tokenize-stage-ab.mjs /path/to/other/dist dist [rounds] [all|text|notext]
// (`text`: only the events with a prompt or completion; `notext`: only the others, where the stage is nearly all glue)
// Position bias: two copies of the SAME build gave a ratio B/A of 0.83 (04:52 UTC 2026-12-02, load 4, 2-core dev
// machine; the cause is not established, both builds share node_modules' modules). Run `old new` and `new old`: the
// change is sqrt(r1 / r2) of the two printed ratios (r1 * r2 is the bias squared); one order alone cannot show it.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const [a = 'dist', b = 'dist', roundsArg = '5', which = 'all'] = process.argv.slice(2);
if (!['all', 'text', 'notext'].includes(which)) throw new Error('the fourth argument is all, text or notext');
const rounds = Number(roundsArg);
const lines = gunzipSync(readFileSync(new URL('../../shared/data/traffic-dev-v2.events.jsonl.gz', import.meta.url))).toString('utf8').split('\n').filter(Boolean);
const events = lines.map((l) => JSON.parse(l)).filter((e) => which === 'all' || (which === 'text') === !!(e.prompt || e.completion));
const key = randomBytes(32);
const BATCH = 500;

const impls = [];
for (const root of [a, b]) {
  const imp = (p) => import(pathToFileURL(resolve(root, p)).href);
  const [avro, usage, chain, metrics, keyring, config, stage, tok, validate] = await Promise.all(
    ['services/common/avro.js', 'services/common/usage.js', 'services/pipeline/chain.js', 'services/common/metrics.js', 'services/tokenize/keyring.js', 'services/tokenize/config.js', 'services/tokenize/stage.js', 'services/tokenize/index.js', 'services/decode/validate.js'].map(imp),
  );
  const enc = usage.usageEncoder(new avro.LocalSchemaSource());
  const messages = [];
  for (const e of events) messages.push({ key: Buffer.from(e.api_key_id), value: await enc.encode(validate.validateEvent({ ...e })), offset: String(messages.length) });
  impls.push({ root, avro, usage, chain, metrics, keyring, config, stage, tok, messages, us: [], floor: [] });
}

async function round(x) {
  const ring = x.keyring.parseKeyring(`b1:${key.toString('base64')}`, 'bench key');
  const reg = new x.metrics.MetricsRegistry();
  const st = new x.stage.TokenizeStage({ config: x.config.resolveIndices(x.config.tokenizeConfig.parse({ tokenizeKeys: 'unused' })), keyring: ring }, undefined, reg);
  const decoder = x.usage.usageDecoder(new x.avro.LocalSchemaSource());
  const counters = reg.stage('decode');
  let us = 0;
  for (let from = 0; from < x.messages.length; from += BATCH) {
    const records = await x.chain.decodeMessages(decoder, x.messages.slice(from, from + BATCH), 0, counters, [], Date.UTC(2026, 11, 1));
    const c0 = process.cpuUsage();
    await st.process(records, { topic: 't', partition: 0, firstOffset: '0', lastOffset: '0' });
    const c = process.cpuUsage(c0);
    us += c.user + c.system;
  }
  x.us.push(us / x.messages.length);
}

function floor(x) {
  const ring = x.keyring.parseKeyring(`b1:${key.toString('base64')}`, 'bench key');
  const cfg = x.config.tokenizeConfig.parse({ tokenizeKeys: 'unused' });
  const text = [];
  const meta = new Set();
  for (const e of events) {
    if (e.prompt) text.push(e.prompt);
    if (e.completion) text.push(e.completion);
    // a build whose stage skips harmless ids (stage.harmlessId) has none of them to scan
    for (const f of cfg.metadataFields) if (typeof e[f] === 'string' && e[f] && !x.stage.harmlessId?.(e[f])) meta.add(e[f]);
  }
  const c0 = process.cpuUsage();
  for (const s of text) x.tok.tokenizeText(s, ring, { types: x.tok.ALL_TYPES, maxBytes: cfg.maxFieldBytes });
  for (const s of meta) x.tok.tokenizeText(s, ring, { types: x.tok.METADATA_TYPES, maxBytes: cfg.maxFieldBytes });
  const c = process.cpuUsage(c0);
  x.floor.push((c.user + c.system) / events.length);
}

for (let r = 0; r < rounds; r++) {
  for (const x of r % 2 ? [...impls].reverse() : impls) {
    await round(x);
    floor(x);
  }
}
// the first round of each is the cold one (JIT, caches): medians of the rest
const med = (v) => [...v.slice(1)].sort((p, q) => p - q)[(v.length - 1) >> 1];
for (const x of impls) console.log(`${x.root.padEnd(40)} stage ${med(x.us).toFixed(1).padStart(6)} µs/event, tokenizer floor ${med(x.floor).toFixed(1).padStart(6)} µs/event, overhead ${(med(x.us) - med(x.floor)).toFixed(1)} (median of ${rounds - 1} warm rounds)`);
console.log(`stage ratio B/A ${(med(impls[1].us) / med(impls[0].us)).toFixed(2)}`);
