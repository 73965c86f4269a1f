// A/B of the bulk body between two builds, interleaved in one process (the box is shared, so rounds alternate and
// the medians of CPU time, process.cpuUsage, are compared): bulkBody of each 500-event batch of ../shared/data
// traffic-dev-v2 after the whole chain (the B build's stages), plus what the transport then does with the body:
// for a string, Buffer.byteLength for content-length and the UTF-8 encoding the socket write makes of it; a Buffer
// is sent as is. Both sides' bytes are checked equal first.
// Usage, after `npm run build` in both trees: node bench/bulk-body-ab.mjs /path/to/other/dist dist [--events 30000] [--rounds 7]
import { parseArgs } from 'node:util';
import { chainBatches, load } from './chain-docs.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { events: { type: 'string', default: '30000' }, rounds: { type: 'string', default: '7' } } });
const [a = 'dist', b = 'dist'] = positionals;
// the chain once, with B's stages
const { batches, n } = await chainBatches(b, Number(values.events));
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
