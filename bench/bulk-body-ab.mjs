// A/B of the bulk body between two builds, interleaved in one process (the box is shared, so rounds alternate and
// the medians of CPU time, process.cpuUsage, are compared): bulkBody of each 500-event batch of ../shared/data
// traffic-dev-v2 after the whole chain (the B build's stages), plus what the transport then does with the body:
// for a string, Buffer.byteLength for content-length and the UTF-8 encoding the socket write makes of it; a Buffer
// is sent as is. Both sides' bytes are checked equal first.
// Usage, after `npm run build` in both trees: node bench/bulk-body-ab.mjs /path/to/other/dist dist [--events 30000] [--rounds 7]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { events: { type: 'string', default: '30000' }, rounds: { type: 'string', default: '7' } } });
const [a = 'dist', b = 'dist'] = positionals;
const data = new URL('../../shared/data/', import.meta.url);
const events = gunzipSync(readFileSync(new URL('traffic-dev-v2.events.jsonl.gz', data))).toString('utf8').split('\n').filter(Boolean).slice(0, Number(values.events)).map((l) => JSON.parse(l));
const labels = JSON.parse(readFileSync(new URL('traffic-dev-v2.labels.json', data), 'utf8'));
const MODULES = ['attribute/config', 'attribute/fixtures', 'attribute/directory', 'attribute/identity', 'attribute/stage', 'common/avro', 'common/kafka', 'common/metrics', 'common/usage',
  'decode/validate', 'detect/geo', 'detect/stage', 'detect/state-store', 'pipeline/chain', 'tokenize/keyring', 'tokenize/config', 'tokenize/stage'];
const load = async (root, paths) => {
  const m = {};
  for (const p of paths) Object.assign(m, await import(pathToFileURL(resolve(root, `services/${p}.js`)).href));
  return m;
};

// the chain once, with B's stages: the batches' bulk items
const m = await load(b, MODULES);
const enc = m.usageEncoder(new m.LocalSchemaSource());
const parts = Array.from({ length: 6 }, () => []);
for (const e of events) {
  const list = parts[m.murmur2Partition(e.api_key_id, 6)];
  list.push({ key: Buffer.from(e.api_key_id), value: await enc.encode(m.validateEvent({ ...e })), offset: String(list.length) });
}
const metrics = new m.MetricsRegistry();
const logger = pino({ level: 'silent' });
const keyring = m.parseKeyring(`b1:${Buffer.alloc(32, 7).toString('base64')}`, 'bench key');
const tokenize = new m.TokenizeStage({ config: m.resolveIndices(m.tokenizeConfig.parse({ tokenizeKeys: 'unused' })), keyring }, undefined, metrics, logger);
const directory = new m.IdentityDirectory();
directory.setFile(m.parseDirectoryText(JSON.stringify(m.scenarioDirectory(labels.keys, labels.start).doc), 'bench directory'));
const attribute = new m.AttributeStage({ config: m.attributeConfig.parse({ identityTopicEnabled: false }), logger, metrics, indexPrefix: 'bench', directory });
await attribute.start();
const detect = await m.DetectStage.create({ config: m.detectConfig.parse({}), env: {}, store: new m.MemoryStateStore(), logger, metrics, geo: await m.openGeo() });
const decoder = m.usageDecoder(new m.LocalSchemaSource());
const counters = new m.MetricsRegistry().stage('decode');
const batches = [];
let n = 0;
for (let from = 0; parts.some((l) => l.length > from); from += 500) {
  for (let p = 0; p < 6; p++) {
    if (parts[p].length <= from) continue;
    const messages = parts[p].slice(from, from + 500);
    const records = await m.decodeMessages(decoder, messages, p, counters, []);
    const ctx = { topic: 'llm.usage.v1', partition: p, firstOffset: messages[0].offset, lastOffset: messages.at(-1).offset };
    await tokenize.process(records, ctx);
    await attribute.process(records, ctx);
    await detect.process(records, ctx);
    await detect.checkpoint(ctx);
    const live = records.filter((r) => !r.deadLetter);
    batches.push(m.bulkItems(live, m.latestAlerts(live), 'bench'));
    n += live.length;
  }
}
await attribute.close();
await detect.close?.();

const sides = [];
for (const root of [a, b]) sides.push({ root, bulkBody: (await load(root, ['index/bulk-body'])).bulkBody, runs: [] });
const bytes = (body) => (typeof body === 'string' ? Buffer.from(body) : body);
for (const items of batches) if (!bytes(sides[0].bulkBody(items)).equals(bytes(sides[1].bulkBody(items)))) throw new Error('the two builds make different bodies');
// what the body costs until it is bytes on the socket
let contentLength = 0;
const send = (body) => {
  if (typeof body !== 'string') return body.length;
  contentLength += Buffer.byteLength(body);
  return Buffer.from(body).length;
};
for (let r = 0; r < Number(values.rounds); r++) {
  for (const s of sides) {
    const c0 = process.cpuUsage();
    let sent = 0;
    for (const items of batches) sent += send(s.bulkBody(items));
    const c = process.cpuUsage(c0);
    if (r > 0) s.runs.push((c.user + c.system) / n); // the first round warms the JIT
    s.sent = sent;
  }
}
const med = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
console.log(`bulk body A/B on ${n.toLocaleString('en-US')} traffic-dev-v2 documents (${batches.length} batches), ${values.rounds - 1} interleaved rounds, median µs of CPU per event, body plus the transport's content-length and encoding:`);
for (const [i, s] of sides.entries()) console.log(`${i ? 'B' : 'A'} ${s.root.padEnd(36)} ${med(s.runs).toFixed(2)} µs (${(s.sent / n).toFixed(0)} bytes per event)`);
console.log(`ratio B/A ${(med(sides[1].runs) / med(sides[0].runs)).toFixed(3)}`);
