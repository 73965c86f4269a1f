// The tokenize stage alone on one build, in its own process (no second build to share modules with; see the bias
// note in tokenize-stage-ab.mjs): node CPU per event of TokenizeStage.process on ../shared/data traffic-dev-v2,
// batches of 500 decoded fresh, a fresh stage and keyring per round, on the events with text (`text`) or without
// (`notext`). Compare builds by running it for each, alternately. Usage, after `npm run build`:
//   node bench/tokenize-stage-solo.mjs dist text|notext
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
const D = resolve(process.argv[2] ?? 'dist') + '/';
const which = process.argv[3] ?? 'notext';
const avro = await import(D+'services/common/avro.js'), usage = await import(D+'services/common/usage.js'), chain = await import(D+'services/pipeline/chain.js'),
 metrics = await import(D+'services/common/metrics.js'), keyring = await import(D+'services/tokenize/keyring.js'), config = await import(D+'services/tokenize/config.js'),
 validate = await import(D+'services/decode/validate.js'), stage = await import(D+'services/tokenize/stage.js');
const lines = gunzipSync(readFileSync(new URL('../../shared/data/traffic-dev-v2.events.jsonl.gz', import.meta.url))).toString('utf8').split('\n').filter(Boolean);
let events = lines.map((l) => JSON.parse(l));
events = events.filter((e) => which === 'notext' ? !e.prompt && !e.completion : !!(e.prompt || e.completion));
const enc = usage.usageEncoder(new avro.LocalSchemaSource());
const messages = [];
for (const e of events) messages.push({ key: Buffer.from(e.api_key_id), value: await enc.encode(validate.validateEvent({ ...e })), offset: String(messages.length) });
const cfg = config.tokenizeConfig.parse({ tokenizeKeys: 'unused' });
const key = randomBytes(32).toString('base64');
const out = [];
for (let round=0; round<5; round++){
  const reg = new metrics.MetricsRegistry();
  const st = new stage.TokenizeStage({ config: config.resolveIndices(cfg), keyring: keyring.parseKeyring(`b1:${key}`, 'k') }, undefined, reg);
  const decoder = usage.usageDecoder(new avro.LocalSchemaSource());
  let S=0;
  for (let from = 0; from < messages.length; from += 500) {
    const a = await chain.decodeMessages(decoder, messages.slice(from, from + 500), 0, reg.stage('decode'), [], 0);
    const c0 = process.cpuUsage(); await st.process(a, {}); const c = process.cpuUsage(c0); S += c.user + c.system;
  }
  out.push(S/events.length);
}
console.log(process.argv[2] ?? 'dist', which, events.length, 'events; stage µs/event by round', out.map((x) => x.toFixed(2)).join(' '));
