// findNames alone on 1 MiB hostile line shapes and prose, two builds in one process, rounds interleaved, CPU ms per
// MiB (process.cpuUsage), best of the rounds, and the median of the per-round ratios B/A (each round runs the two
// builds back to back, in turn A first and B first: under a load that swings, the pair shares it and the median is
// steadier than either best). The build given second often reads 0.75-0.83x of itself on a shared machine: run both
// orders. Usage, after `npm run build` in both trees:
//   node bench/names-hostile-ab.mjs /path/to/A/dist /path/to/B/dist [rounds] [shape ...]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
const [A, B, roundsArg, ...only] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 7);
const load = async (root) => (await import(pathToFileURL(resolve(root, 'services/tokenize/names.js')).href)).findNames;
const fa = await load(A), fb = await load(B);
const MB = 1 << 20;
const rep = (s) => s.repeat(Math.ceil(MB / s.length)).slice(0, MB);
const shapes = {
  prose: rep('The quick brown fox jumps over the lazy dog while the team reviews the deploy notes. '),
  speaker: rep('Alice: hi\n'), signoff: rep('Regards,\nAnna Smith\n'), csv: rep('name,email\nJohn Doe,x\n'),
  'a-colon': rep('a:\n'), 'A B': rep('A B\n'), ',A,B,': rep(',A,B,'), list: rep('- Anna, Bob, Carl\n  - Dora\n'),
  names: rep('Anna Smith and John Doe met Marie. '),
};
const cpu = (f, t) => { const u0 = process.cpuUsage(); f(t, []); const u = process.cpuUsage(u0); return (u.user + u.system) / 1000; };
console.log(`findNames ms/MiB, best of ${rounds}: A=${A} B=${B}`);
for (const name of only.length ? only : Object.keys(shapes)) {
  const t = shapes[name];
  let ba = Infinity, bb = Infinity;
  const ratios = [];
  for (let r = 0; r < rounds; r++) {
    let a, b;
    if (r % 2) { b = cpu(fb, t); a = cpu(fa, t); } else { a = cpu(fa, t); b = cpu(fb, t); }
    ba = Math.min(ba, a); bb = Math.min(bb, b); ratios.push(b / a);
  }
  const med = ratios.sort((x, y) => x - y)[ratios.length >> 1];
  console.log(`  ${name.padEnd(10)} A ${ba.toFixed(1).padStart(7)}  B ${bb.toFixed(1).padStart(7)}  B/A ${(bb / ba).toFixed(2)}  median pair B/A ${med.toFixed(2)}`);
}
