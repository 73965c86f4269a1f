// bench:chain under several young-generation sizes (--max-semi-space-size), one child process per run, the sizes
// interleaved round by round so the shared machine's load falls on all of them alike. Prints per size the median
// chain µs/event with its steps, GC pauses, and peak RSS. Usage, after `npm run build`:
//   node bench/chain-semispace.mjs [--sizes 0,16,32,64] [--rounds 3] [--events 78680] [--dist dist]
// (0: no flag, node's default)
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '0,16,32,64' }, rounds: { type: 'string', default: '3' }, events: { type: 'string' }, dist: { type: 'string', default: 'dist' } } });
const sizes = values.sizes.split(',').map(Number);
const script = resolve(values.dist, 'bench', 'chain.js');
const runs = new Map(sizes.map((s) => [s, []]));
for (let round = 0; round < Number(values.rounds); round++) {
  // a different order each round: the first run of a round is not always the same size
  const order = sizes.map((_, i) => sizes[(i + round) % sizes.length]);
  for (const s of order) {
    const args = [...(s ? [`--max-semi-space-size=${s}`] : []), script, '--json', ...(values.events ? ['--events', values.events] : [])];
    // NODE_OPTIONS of the caller would override the flag under test
    const env = { ...process.env, NODE_OPTIONS: '' };
    const out = execFileSync(process.execPath, args, { encoding: 'utf8', env, maxBuffer: 1 << 24 });
    const r = JSON.parse(out.trim().split('\n').pop());
    runs.get(s).push(r);
    console.error(`round ${round + 1} size ${s || 'default'}: ${r.cpuUsPerEvent.toFixed(1)} µs, RSS ${r.maxRssMiB.toFixed(0)} MiB, passes +${(r.rssChainMiB - r.rssBeforeMiB).toFixed(0)}`);
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const STEPS = ['decode', 'tokenize', 'attribute', 'detect', 'bulk'];
console.log(`bench:chain by --max-semi-space-size, median of ${values.rounds} interleaved runs each, µs of CPU per event (GC pause µs in brackets):`);
for (const s of sizes) {
  const rs = runs.get(s);
  const steps = STEPS.map((k) => `${k} ${med(rs.map((r) => r.breakdown[k])).toFixed(1)} (${med(rs.map((r) => r.gcBreakdown[k])).toFixed(1)})`).join(', ');
  console.log(`${String(s || 'default').padEnd(8)} total ${med(rs.map((r) => r.cpuUsPerEvent)).toFixed(1)} [${rs.map((r) => r.cpuUsPerEvent.toFixed(1)).join(' ')}]  ${steps}  floor ${med(rs.map((r) => r.tokenizerFloorUsPerEvent)).toFixed(1)}  RSS peak ${med(rs.map((r) => r.maxRssMiB)).toFixed(0)} MiB, during the passes ${med(rs.map((r) => r.rssChainMiB)).toFixed(0)} (+${med(rs.map((r) => r.rssChainMiB - r.rssBeforeMiB)).toFixed(0)} over the loaded traffic)  young gen ${med(rs.map((r) => r.newSpaceMiB)).toFixed(0)} MiB`);
}
