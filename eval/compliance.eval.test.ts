import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { repoRoot } from '../services/common/paths.js';
import type { UsageEvent } from '../services/common/types.js';
import { toAuditDoc } from '../services/index/audit-doc.js';
import { installAssets } from '../services/setup/assets.js';
import { exportAudit, verifyExport } from '../services/compliance/export.js';
import { sealDay, verifyDay } from '../services/compliance/integrity.js';
import { signerFrom, verifierFrom } from '../services/compliance/sign.js';
import { testEs, uniqueName, deletePrefix } from '../test/helpers.js';

const DATA = join(repoRoot(), '..', 'shared', 'data', 'traffic-dev.events.jsonl.gz');
const es = testEs();
const prefix = uniqueName('t-evalcomp');
const KEY = 'eval-hmac-secret-0123456789abcdef0123456789';
const tmp = mkdtempSync(join(tmpdir(), 'llm-audit-eval-'));

after(async () => {
  await deletePrefix(es, prefix);
  rmSync(tmp, { recursive: true, force: true });
  await es.close();
});

test('export of a day of the shared traffic returns every document once; the manifest verifies and catches one changed byte; the day seals and verifies', async (t) => {
  await installAssets(es, { prefix });
  const byDay = new Map<string, Set<string>>();
  let ops: unknown[] = [];
  const flush = async () => {
    if (!ops.length) return;
    const res = await es.bulk({ operations: ops });
    assert.equal(res.errors, false);
    ops = [];
  };
  let t0 = performance.now();
  for await (const line of createInterface({ input: createReadStream(DATA).pipe(createGunzip()) })) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as UsageEvent;
    const doc = toAuditDoc(e);
    const day = String(doc['@timestamp']).slice(0, 10);
    if (!byDay.has(day)) byDay.set(day, new Set());
    byDay.get(day)!.add(e.event_id);
    ops.push({ index: { _index: `${prefix}-events-${day.replace(/-/g, '.')}`, _id: e.event_id } }, doc);
    if (ops.length >= 10_000) await flush();
  }
  await flush();
  await es.indices.refresh({ index: `${prefix}-events-*` });
  t.diagnostic(`indexed ${[...byDay.values()].reduce((n, s) => n + s.size, 0)} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const [day, ids] = [...byDay.entries()].sort((a, b) => b[1].size - a[1].size)[0]!;
  const out = join(tmp, 'export');
  t0 = performance.now();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const m = await exportAudit(es, {
    prefix, from: day, to: day, format: 'ndjson', outDir: out, signer: signerFrom(KEY), pageSize: 1000,
    onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)),
  });
  const secs = (performance.now() - t0) / 1000;
  t.diagnostic(`exported ${m.counts.documents} documents of ${day} in ${secs.toFixed(1)} s (${Math.round(m.counts.documents / secs)} docs/s), ${m.files.length} file(s), ${(m.files.reduce((n, f) => n + f.bytes, 0) / 1e6).toFixed(1)} MB; RSS grew ${((peak - rss0) / 1e6).toFixed(0)} MB`);

  const seen = new Set<string>();
  let dup = 0;
  for (const f of m.files) {
    for await (const line of createInterface({ input: createReadStream(join(out, f.name)) })) {
      const id = (JSON.parse(line) as { _id: string })._id;
      if (seen.has(id)) dup++;
      seen.add(id);
    }
  }
  assert.equal(dup, 0, 'no document twice');
  assert.equal(seen.size, ids.size);
  assert.ok([...ids].every((id) => seen.has(id)), 'every event of the day');

  const verifier = verifierFrom(undefined, KEY);
  assert.deepEqual((await verifyExport(out, verifier)).problems, []);
  const f = join(out, m.files[0]!.name);
  const buf = readFileSync(f);
  buf[12345 % buf.length] ^= 0x20;
  writeFileSync(f, buf);
  const bad = await verifyExport(out, verifier);
  assert.equal(bad.ok, false);
  assert.match(bad.problems.join('\n'), /SHA-256/);

  t0 = performance.now();
  const head = await sealDay(es, { prefix, date: day, operator: 'eval', signer: signerFrom(KEY) });
  const sealSecs = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const r = await verifyDay(es, { prefix, date: day, verifier });
  t.diagnostic(`sealed ${head.count} documents in ${sealSecs.toFixed(1)} s (${head.blocks} blocks); verified in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  assert.equal(head.count, ids.size);
  assert.equal(r.ok, true);
});
