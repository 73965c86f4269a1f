import { findSecrets, RULES } from '../services/tokenize/credentials/index.js';

/**
 * Worst inputs for the secret scanner: for every rule, a megabyte of its anchor repeated, and of its anchor with a
 * near-miss body; plus the parsers' own (assignments, URLs, key blocks, headers, prose, command lines). Prints
 * ms per MiB for each and the worst. Target: every one <= 50 ms per MiB.
 */
const MB = 1 << 20;
const rep = (s: string) => s.repeat(Math.ceil(MB / s.length)).slice(0, MB);
// built one at a time when measured: a thousand megabytes held at once would take gigabytes
const inputs = new Map<string, () => string>();
const P = '-----' + 'BEGIN ';
for (const r of RULES) {
  const anchors = r.kind === 'prefix' ? r.anchors : r.keywords;
  for (const a of anchors) {
    inputs.set(`${r.id} anchor ${a}`, () => rep(a));
    inputs.set(`${r.id} anchor+body ${a}`, () => rep(`${a}${'aB3'.repeat(30)}.`));
    inputs.set(`${r.id} anchor+hex ${a}`, () => rep(`${a} ${'0123456789abcdef'.repeat(3)} `));
  }
}
for (const [k, v] of Object.entries({
  '-pwd runs': '-pwd', 'password=': 'password=', 'key=key=': 'key=key=', 'a://': 'a://', 'http://u:': 'http://u:p', 'BEGIN lines': `${P}PRIVATE KEY-----`,
  'Bearer ': 'Bearer ', 'Basic x': 'Basic x', 'password is': 'password is ', 'pass `': 'pass `', 'curl -u': 'curl -u a:', 'redis-cli': 'redis-cli ', 'mysql -p': 'mysql -p',
  'token: token:': 'token: ', '<SECRET:': '<SECRET:', 'quoted keys': '"api_key": "', 'camel keys': 'apiKeyApiKey', 'AccountKey=': 'AccountKey=',
})) inputs.set(k, () => rep(v));
inputs.set('userinfo without @', () => 'http://u:' + 'p'.repeat(MB));
inputs.set('pem without end', () => `${P}RSA PRIVATE KEY-----\n` + 'A'.repeat(MB));
inputs.set('long assignment value', () => 'password=' + 'x1'.repeat(MB / 2));

const prose = rep('The quick brown fox jumps over the lazy dog while the team reviews the deploy notes. ');
const once = (t: string) => {
  const t0 = performance.now();
  findSecrets(t);
  return performance.now() - t0;
};
for (let k = 0; k < 3; k++) once(prose);
// the box is shared: each input is measured next to a megabyte of prose, and reported as a multiple of it too
const rows: [string, number, number][] = [];
// BENCH_MATCH=regex measures only the inputs whose name matches
const only = process.env.BENCH_MATCH ? new RegExp(process.env.BENCH_MATCH) : undefined;
for (const [name, make] of inputs) {
  if (only && !only.test(name)) continue;
  const text = make();
  const base = Math.min(once(prose), once(prose));
  const ms = Math.min(once(text), once(text));
  rows.push([name, ms, ms / base]);
}
rows.sort((a, b) => b[2] - a[2]);
const proseMs = Math.min(once(prose), once(prose), once(prose));
console.log(`secret scanner (findSecrets), ${rows.length} worst-case inputs of 1 MiB; prose: ${proseMs.toFixed(1)} ms/MiB`);
for (const [n, ms, x] of rows.slice(0, 15)) console.log(`${ms.toFixed(1).padStart(8)} ms/MiB ${x.toFixed(1).padStart(6)}x prose  ${n}`);
const over = rows.filter(([, ms]) => ms > 50);
console.log(`worst ${rows[0]![1].toFixed(1)} ms/MiB (${rows[0]![2].toFixed(1)}x prose); ${over.length} inputs over 50 ms/MiB on this run`);
