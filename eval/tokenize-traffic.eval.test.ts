import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MetricsRegistry } from '../services/common/metrics.js';
import { repoRoot } from '../services/common/paths.js';
import type { AuditRecord, UsageEvent } from '../services/common/types.js';
import { parseKeyring } from '../services/tokenize/keyring.js';
import { TokenizeStage } from '../services/tokenize/stage.js';
import { resolveIndices, tokenizeConfig } from '../services/tokenize/config.js';

const data = join(repoRoot(), '..', 'shared', 'data');

test('traffic-dev: no canary survives in any output field; one value, one token across events', async () => {
  const events = gunzipSync(readFileSync(join(data, 'traffic-dev.events.jsonl.gz'))).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as UsageEvent);
  const labels = JSON.parse(readFileSync(join(data, 'traffic-dev.labels.json'), 'utf8')) as { canaries: string[] };
  const keyring = parseKeyring(`t1:${randomBytes(32).toString('base64')}`, 'eval key');
  const config = resolveIndices(tokenizeConfig.parse({ tokenizeKeys: 'unused' }));
  const stage = new TokenizeStage({ config, keyring }, undefined, new MetricsRegistry());
  const canaries = new Set(labels.canaries);
  const byPrefix = new Map<string, string[]>();
  for (const c of canaries) {
    const list = byPrefix.get(c.slice(0, 4)) ?? [];
    list.push(c);
    byPrefix.set(c.slice(0, 4), list);
  }
  const find = (s: string, out: string[]) => {
    for (let i = 0; i + 4 <= s.length; i++) {
      const list = byPrefix.get(s.slice(i, i + 4));
      if (list) for (const c of list) if (s.startsWith(c, i)) out.push(c);
    }
  };

  const leaks: string[] = [];
  const tokensOf = new Map<string, Set<string>>();
  const eventsOf = new Map<string, number>();
  let i = 0;
  for (const event of events) {
    const rawText = `${event.prompt ?? ''}\n${event.completion ?? ''}\n${event.principal_id ?? ''}\n${event.user_agent ?? ''}`;
    const record: AuditRecord = { event, doc: {}, alerts: [], partition: 0, offset: String(i++) };
    const seen = new Map<string, { raw: string; token: string }>();
    stage.tokenizeRecord(record, seen as never);
    const tokenOfRaw = new Map([...seen.values()].map((e) => [e.raw, e.token]));
    const present: string[] = [];
    find(rawText, present);
    for (const c of present) {
      const t = tokenOfRaw.get(c);
      if (!t) continue;
      const set = tokensOf.get(c) ?? new Set<string>();
      set.add(t);
      tokensOf.set(c, set);
      eventsOf.set(c, (eventsOf.get(c) ?? 0) + 1);
    }
    find(JSON.stringify(record.event) + JSON.stringify(record.doc), leaks);
  }
  assert.deepEqual(leaks.slice(0, 10), [], `${leaks.length} canaries leaked`);
  const repeated = [...eventsOf].filter(([, n]) => n > 1).map(([c]) => c);
  const inconsistent = repeated.filter((c) => tokensOf.get(c)!.size !== 1);
  console.log(`events ${events.length}, canaries seen ${tokensOf.size}, seen in several events ${repeated.length}, inconsistent ${inconsistent.length}, leaks ${leaks.length}`);
  assert.ok(repeated.length > 0, 'expected canaries that recur across events');
  assert.deepEqual(inconsistent, []);
  // different values, different tokens
  const allTokens = new Map<string, string>();
  for (const [c, set] of tokensOf) for (const t of set) {
    const prev = allTokens.get(t);
    assert.ok(prev === undefined || prev === c || prev.replace(/\D/g, '') === c.replace(/\D/g, '') || prev.toLowerCase() === c.toLowerCase(), `token collision ${prev} vs ${c}`);
    allTokens.set(t, c);
  }
});
