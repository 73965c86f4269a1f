import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../services/common/paths.js';
import { parseKeyring, tokenizeText } from '../services/tokenize/index.js';

/**
 * Before/after in one run: this build's tokenizeText against another build's (BASE_DIST, e.g. a checkout of the
 * previous commit built with tsc), alternating passes so both see the same machine load.
 *   mkdir -p .cache/base && git archive <commit> | tar -x -C .cache/base && ln -s ../../node_modules .cache/base/node_modules
 *   (cd .cache/base && npx tsc -p tsconfig.json) && BASE_DIST=.cache/base/dist npm run bench:tokenize-compare
 */
const baseDist = process.env.BASE_DIST;
if (!baseDist) {
  console.log('set BASE_DIST to the dist/ folder of the build to compare with');
  process.exit(0);
}
const base = (await import(pathToFileURL(resolve(baseDist, 'services/tokenize/index.js')).href)) as { tokenizeText: typeof tokenizeText; parseKeyring: typeof parseKeyring };
const file = join(repoRoot(), '..', 'shared', 'data', process.env.CORPUS ?? 'pii-dev.jsonl');
if (!existsSync(file)) throw new Error(`no corpus at ${file}`);
const texts = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

// CPU seconds of this process: a pass preempted by other work on a shared machine does not count as slow
function pass(fn: (t: string) => void): number {
  const t0 = process.cpuUsage();
  for (const t of texts) fn(t);
  const u = process.cpuUsage(t0);
  return (u.user + u.system) / 1e6;
}
// a new key per pass: the token cache would otherwise hide the detection cost on a corpus this small
const mine = () => { const k = parseKeyring(`b1:${randomBytes(32).toString('base64')}`, 'bench'); return (t: string) => void tokenizeText(t, k); };
const theirs = () => { const k = base.parseKeyring(`b1:${randomBytes(32).toString('base64')}`, 'bench'); return (t: string) => void base.tokenizeText(t, k); };
pass(mine());
pass(theirs());
let a = 0;
let b = 0;
for (let r = 0; r < rounds; r++) {
  b += pass(theirs());
  a += pass(mine());
}
const n = texts.length * rounds;
console.log(`before (${baseDist})  ${Math.round(n / b).toLocaleString('en-US').padStart(9)} docs/s/core`);
console.log(`after  (this build)  ${Math.round(n / a).toLocaleString('en-US').padStart(9)} docs/s/core  ratio ${(b / a).toFixed(2)}  (${texts.length} docs, ${rounds} alternating passes)`);
