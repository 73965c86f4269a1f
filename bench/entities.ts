import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../services/common/paths.js';
import { ENTITY_DEFS, type EntityType } from '../services/tokenize/entities/index.js';
import type { ScanContext } from '../services/tokenize/entities/registry.js';
import { parseKeyring, tokenizeText } from '../services/tokenize/index.js';

/**
 * What each entity type costs, in one run so the ratios hold on a busy machine: docs/s with the eight types the
 * tokenizer had before the registry and with every type, then microseconds per document for each finder alone.
 * Rates are per CPU second of this process (docs/s per core), so other work on the machine does not count.
 */
const file = join(repoRoot(), '..', 'shared', 'data', 'pii-dev.jsonl');
const texts = existsSync(file)
  ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text)
  : Array.from({ length: 1500 }, (_, i) => `Customer Jane Doe (jane${i}@example.com, tel 020 7946 ${String(1000 + i)}) paid with 4111 1111 1111 1111 from 10.0.${i % 256}.1.`);
const keyring = parseKeyring(`b1:${randomBytes(32).toString('base64')}`, 'bench key');
const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const source = existsSync(file) ? 'pii-dev.jsonl' : 'synthetic';

// CPU time of this process, not wall time: on a shared machine a preempted pass would otherwise count as slow
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
function rate(fn: (t: string) => void): number {
  for (const t of texts) fn(t);
  let n = 0;
  const t0 = cpu();
  while (cpu() - t0 < seconds) {
    for (const t of texts) fn(t);
    n += texts.length;
  }
  return n / (cpu() - t0);
}

const ORIGINAL = new Set<EntityType>(['SECRET', 'EMAIL', 'IBAN', 'CREDIT_CARD', 'US_SSN', 'PHONE', 'IP_ADDRESS', 'PERSON']);
const before = rate((t) => void tokenizeText(t, keyring, { types: ORIGINAL }));
const all = rate((t) => void tokenizeText(t, keyring));
console.log(`tokenizeText, the 8 original types  ${Math.round(before).toLocaleString('en-US').padStart(9)} docs/s/core  (${texts.length} docs, ${source})`);
console.log(`tokenizeText, all ${ENTITY_DEFS.length} types         ${Math.round(all).toLocaleString('en-US').padStart(9)} docs/s/core  (ratio ${(all / before).toFixed(2)})`);
console.log('finder alone (µs/doc):');
const ctxs = texts.map((t): ScanContext => ({ hasDigit: /\d/.test(t), hasAt: t.includes('@'), hasDot: t.includes('.'), hasColon: t.includes(':') }));
for (const d of ENTITY_DEFS) {
  if (!d.find) continue;
  let i = 0;
  const r = rate((t) => d.find!(t, [], ctxs[i++ % texts.length]!));
  console.log(`  ${d.type.padEnd(18)} ${(1e6 / r).toFixed(2).padStart(7)}`);
}
