// Where the tokenize step's CPU goes beyond the tokenizer, on ../shared/data traffic-dev-v2 (one build, node CPU
// per event of the whole set, process.cpuUsage):
// - glue: per batch of 500 freshly decoded events, tokenizeText alone on the batch's prompts and completions (its
//   own keyring, living for the pass like the stage's) and the stage on the same batch decoded again, the order
//   swapped every batch (whichever touches a batch's text first pays for it); stage minus text = the stage's own work;
// - the token cache: the tokenizer floor's loop (every prompt and completion) with one keyring for all rounds, as
//   bench:chain's floor runs it, against a fresh keyring per round, as the chain's warm pass has.
// Usage, after `npm run build`: node bench/tokenize-where.mjs [dist] [rounds]
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const [root = 'dist', roundsArg = '4'] = process.argv.slice(2);
const rounds = Number(roundsArg);
const imp = (p) => import(pathToFileURL(resolve(root, p)).href);
const [avro, usage, chain, metrics, keyring, config, stage, tok, validate] = await Promise.all(
  ['services/common/avro.js', 'services/common/usage.js', 'services/pipeline/chain.js', 'services/common/metrics.js', 'services/tokenize/keyring.js', 'services/tokenize/config.js', 'services/tokenize/stage.js', 'services/tokenize/index.js', 'services/decode/validate.js'].map(imp),
);
const lines = gunzipSync(readFileSync(new URL('../../shared/data/traffic-dev-v2.events.jsonl.gz', import.meta.url))).toString('utf8').split('\n').filter(Boolean);
const events = lines.map((l) => JSON.parse(l));
const enc = usage.usageEncoder(new avro.LocalSchemaSource());
const messages = [];
for (const e of events) messages.push({ key: Buffer.from(e.api_key_id), value: await enc.encode(validate.validateEvent({ ...e })), offset: String(messages.length) });
const cfg = config.tokenizeConfig.parse({ tokenizeKeys: 'unused' });
const key = randomBytes(32).toString('base64');
const ring = () => keyring.parseKeyring(`b1:${key}`, 'bench key');
const opts = { types: tok.ALL_TYPES, maxBytes: cfg.maxFieldBytes };
const cpu = (f) => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return c.user + c.system;
};
const n = events.length;
const med = (v) => [...v.slice(1)].sort((p, q) => p - q)[(v.length - 1) >> 1];

const glue = { stage: [], text: [] };
for (let r = 0; r < rounds; r++) {
  const reg = new metrics.MetricsRegistry();
  const st = new stage.TokenizeStage({ config: config.resolveIndices(cfg), keyring: ring() }, undefined, reg);
  const own = ring();
  const decoder = usage.usageDecoder(new avro.LocalSchemaSource());
  let s = 0;
  let t = 0;
  for (let from = 0, i = 0; from < messages.length; from += 500, i++) {
    const batch = messages.slice(from, from + 500);
    const a = await chain.decodeMessages(decoder, batch, 0, reg.stage('decode'), [], 0);
    const b = await chain.decodeMessages(decoder, batch, 0, reg.stage('decode'), [], 0);
    const text = () => {
      for (const { event: e } of b) {
        if (e.prompt) tok.tokenizeText(e.prompt, own, opts);
        if (e.completion) tok.tokenizeText(e.completion, own, opts);
      }
    };
    // no vault here: process runs to its end synchronously
    const run = () => void st.process(a, {});
    if (i & 1) {
      t += cpu(text);
      s += cpu(run);
    } else {
      s += cpu(run);
      t += cpu(text);
    }
  }
  glue.stage.push(s / n);
  glue.text.push(t / n);
}

const texts = [];
for (const e of events) {
  if (e.prompt) texts.push(e.prompt);
  if (e.completion) texts.push(e.completion);
}
const floor = { same: [], fresh: [] };
const kept = ring();
for (let r = 0; r < rounds; r++) {
  const fresh = ring();
  floor.fresh.push(cpu(() => texts.forEach((x) => tok.tokenizeText(x, fresh, opts))) / n);
  floor.same.push(cpu(() => texts.forEach((x) => tok.tokenizeText(x, kept, opts))) / n);
}
const f = (v) => med(v).toFixed(1);
console.log(`${root}: µs of CPU per event of ${n.toLocaleString('en-US')}, median of ${rounds - 1} warm rounds`);
console.log(`  same batches: stage ${f(glue.stage)}, tokenizeText on their text alone ${f(glue.text)}, stage's own work ${(med(glue.stage) - med(glue.text)).toFixed(1)}`);
console.log(`  tokenizer floor loop (text only): one keyring for all rounds ${f(floor.same)}, a fresh keyring per round ${f(floor.fresh)}`);
