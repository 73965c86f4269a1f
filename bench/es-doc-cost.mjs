// Elasticsearch's CPU per document, bare (decode only, as `no stages` indexes them) against staged (tokenize,
// attribute, detect: what `all stages` indexes, with its alert upserts and detector-state checkpoints), under
// mapping variants of deploy/elasticsearch/events-template.json. Trials interleave (variant by docset, the order
// reversed every round) into indices of this bench's own (s6es-<run>-..., created from the templates' settings and
// mappings and deleted afterwards; no template is installed). Each trial writes the chain's batches as the pipeline
// does (a bulk per 500-event batch, three in flight, then the batch's checkpoint), then refreshes, flushes and waits
// for merges, and reads:
//   - ES process CPU (utime+stime of /proc/<pid>/stat, pid from `pgrep -f org.elasticsearch.bootstrap`): includes
//     whatever else the shared node did meanwhile, so it is checked against an idle reading taken before each trial;
//   - the trial's indices' own indexing+refresh+merge+flush time (_stats), which other users cannot inflate.
// Usage, after `npm run build`: node bench/es-doc-cost.mjs [dist] [--events 30000] [--rounds 3]
//   [--variants current,lean] [--docsets bare,staged] [--refresh 30s]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { chainBatches, encodedPartitions, load } from './chain-docs.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    events: { type: 'string', default: '30000' },
    rounds: { type: 'string', default: '3' },
    variants: { type: 'string', default: 'current,lean' },
    docsets: { type: 'string', default: 'bare,staged' },
    refresh: { type: 'string', default: '30s' },
    es: { type: 'string', default: 'http://127.0.0.1:9200' },
    concurrency: { type: 'string', default: '3' },
    // events per bulk request (the chain's batches are regrouped); 0 keeps one bulk per 500-event batch
    bulk: { type: 'string', default: '0' },
  },
});
const root = positionals[0] ?? 'dist';
const ES = values.es;
const N = Number(values.events);
const pid = execFileSync('pgrep', ['-f', 'org.elasticsearch.bootstrap'], { encoding: 'utf8' }).trim().split('\n')[0];
const ticks = () => {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
};
const HZ = 100;

async function es(method, path, body, ndjson) {
  const r = await fetch(`${ES}${path}`, { method, headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' }, body: body === undefined ? undefined : ndjson ? body : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok && !(method === 'DELETE' && r.status === 404)) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : {};
}

// ---- the documents ----
const deployDir = new URL('../deploy/elasticsearch/', import.meta.url);
const templateOf = (kind) => JSON.parse(readFileSync(new URL(`${kind}-template.json`, deployDir), 'utf8')).template;

const m = await load(root, ['common/avro', 'common/kafka', 'common/metrics', 'common/usage', 'decode/validate', 'pipeline/chain', 'index/bulk-body', 'detect/state-store']);
// the checkpoints the detect stage saves, batch by batch, in the document EsStateStore writes
const checkpoints = [];
const save = m.MemoryStateStore.prototype.save;
m.MemoryStateStore.prototype.save = async function (s) {
  const ok = await save.call(this, s);
  if (ok) checkpoints.push({ id: `g:${s.topic}-${s.partition}`, doc: { '@timestamp': new Date(s.savedAt).toISOString(), topic: s.topic, partition: s.partition, offset: s.offset, keys: Object.keys(s.body.keys).length, state: JSON.stringify(s.body) } });
  return ok;
};
const staged = await chainBatches(root, N);
m.MemoryStateStore.prototype.save = save;
if (checkpoints.length !== staged.batches.length) throw new Error(`${checkpoints.length} checkpoints for ${staged.batches.length} batches`);

const events = gunzipSync(readFileSync(new URL('../../shared/data/traffic-dev-v2.events.jsonl.gz', import.meta.url))).toString('utf8').split('\n').filter(Boolean).slice(0, N).map((l) => JSON.parse(l));
const parts = await encodedPartitions(m, events);
const decoder = m.usageDecoder(new m.LocalSchemaSource());
const counters = new m.MetricsRegistry().stage('decode');
const bare = [];
for (let from = 0; parts.some((l) => l.length > from); from += 500) {
  for (let p = 0; p < 6; p++) {
    if (parts[p].length <= from) continue;
    const records = await m.decodeMessages(decoder, parts[p].slice(from, from + 500), p, counters, []);
    bare.push(m.bulkItems(records, [], 'bench'));
  }
}
const pad = 'x'.repeat(646);
function regroup(set) {
  const size = Number(values.bulk);
  if (!size) return set;
  const items = set.batches.flat();
  const batches = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  // a checkpoint per original batch, spread over the new bulks in order
  const cps = batches.map((_, i) => set.checkpoints[Math.floor((i * set.checkpoints.length) / batches.length)]).filter(Boolean);
  return { batches, checkpoints: [...new Set(cps)] };
}
const DOCSETS0 = {
  bare: { batches: bare, checkpoints: [] },
  staged: { batches: staged.batches, checkpoints },
  // the staged event documents alone: no alert upserts, no checkpoints
  stagedev: { batches: staged.batches.map((b) => b.filter((i) => !i.upsert)), checkpoints: [] },
  stagedcp: { batches: staged.batches.map((b) => b.filter((i) => !i.upsert)), checkpoints },
  stagedal: { batches: staged.batches, checkpoints: [] },
  // bare documents as long as staged ones, the difference in one unmapped string: what bytes alone cost
  barepad: { batches: bare.map((b) => b.map((i) => ({ ...i, doc: { ...i.doc, pad } }))), checkpoints: [] },
};
const DOCSETS = Object.fromEntries(Object.entries(DOCSETS0).map(([k, v]) => [k, regroup(v)]));
const bytesOf = (set) => set.batches.reduce((s, b) => s + m.bulkBody(b).length, 0);
for (const [name, set] of Object.entries(DOCSETS)) {
  const docs = set.batches.reduce((s, b) => s + b.filter((i) => !i.upsert).length, 0);
  const alerts = set.batches.reduce((s, b) => s + b.filter((i) => i.upsert).length, 0);
  const cpBytes = set.checkpoints.reduce((s, c) => s + JSON.stringify(c.doc).length, 0);
  console.log(`${name}: ${docs} event documents, ${alerts} alert upserts, ${set.checkpoints.length} checkpoints (${Math.round(cpBytes / Math.max(1, set.checkpoints.length))} bytes each); bulk bodies ${Math.round(bytesOf(set) / docs)} bytes/event`);
}

// ---- mapping variants of the events index ----
const clone = (x) => structuredClone(x);
function walk(props, fn, path = '') {
  for (const [k, v] of Object.entries(props)) {
    const p = path ? `${path}.${k}` : k;
    fn(p, v);
    if (v.properties) walk(v.properties, fn, p);
  }
}
const VARIANTS = {
  current: (t) => t,
  // best_speed is Lucene's LZ4 stored fields (the default codec) instead of DEFLATE
  lz4: (t) => ({ ...t, settings: { ...t.settings, codec: 'default' } }),
  // the analysed text fields without positions and norms: match queries still work, phrase queries do not
  textlean: (t) => {
    const mp = clone(t.mappings);
    walk(mp.properties, (p, v) => { if (v.type === 'text') Object.assign(v, { index_options: 'freqs', norms: false }); });
    return { ...t, mappings: mp };
  },
  // no text indexed at all (upper bound of what the text fields cost)
  notext: (t) => {
    const mp = clone(t.mappings);
    walk(mp.properties, (p, v) => { if (v.type === 'text') v.index = false; });
    return { ...t, mappings: mp };
  },
  // geo_point left out of the mapping (upper bound of what it costs)
  nogeo: (t) => {
    const mp = clone(t.mappings);
    delete mp.properties.source.properties.geo.properties.location;
    return { ...t, mappings: mp };
  },
  // only the fields a bare document has are mapped: what the staged documents' extra fields cost to index, apart
  // from their bytes in _source
  baremap: (t) => {
    const mp = clone(t.mappings);
    const la = mp.properties.llm_audit.properties;
    for (const k of ['prompt', 'completion', 'pii', 'cost', 'owner', 'cost_center', 'slack_channel']) delete la[k];
    for (const k of ['created', 'age_days', 'status', 'attributed']) delete la.api_key.properties[k];
    delete mp.properties.source.properties.geo;
    delete mp.properties.service;
    delete mp.properties.organization;
    return { ...t, mappings: mp };
  },
  // every keyword, numeric, date, ip and boolean field but @timestamp and the key id searchable from doc values only
  // (no inverted index or points): a bound of what the inverted structures cost
  dvonly: (t) => {
    const mp = clone(t.mappings);
    walk(mp.properties, (p, v) => { if (v.type && v.type !== 'text' && v.type !== 'geo_point' && p !== '@timestamp' && p !== 'llm_audit.api_key.id') v.index = false; });
    return { ...t, mappings: mp };
  },
  // fields charted or summed more than filtered on: doc values only; text without norms (hunts do not rank by length)
  dvsome: (t) => {
    const mp = clone(t.mappings);
    walk(mp.properties, (p, v) => {
      if (v.type === 'text') v.norms = false;
      if (DV_ONLY.has(p)) v.index = false;
    });
    return { ...t, mappings: mp };
  },
  // identifiers unique per event are looked up, never aggregated or sorted on: no doc values
  nodvid: (t) => {
    const mp = clone(t.mappings);
    walk(mp.properties, (p, v) => { if (NO_DV.has(p)) v.doc_values = false; });
    return { ...t, mappings: mp };
  },
  // the same without event.id, which the compliance export and the integrity seal sort on
  nodvreq: (t) => {
    const mp = clone(t.mappings);
    walk(mp.properties, (p, v) => { if (NO_DV.has(p) && p !== 'event.id' && p !== 'llm_audit.pii.secrets.token') v.doc_values = false; });
    return { ...t, mappings: mp };
  },
  lean: (t) => VARIANTS.nodvid(VARIANTS.dvsome(t)),
  // the product's default refresh (the others use --refresh, a bulk load's)
  r1s: (t) => ({ ...t, settings: { ...t.settings, refresh_interval: '1s' } }),
  file: (t) => t,
};
const DV_ONLY = new Set(['event.duration', 'event.ingested', 'event.category', 'event.dataset', 'event.kind', 'llm_audit.latency_ms', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.usage.total_tokens',
  'llm_audit.cost.usd', 'llm_audit.kafka.partition', 'llm_audit.kafka.offset', 'llm_audit.api_key.created', 'llm_audit.api_key.age_days', 'source.geo.country_name', 'source.geo.city_name', 'source.geo.region_name',
  'source.geo.continent_code', 'llm_audit.schema_version', 'llm_audit.owner.principal_type', 'llm_audit.cost_center', 'llm_audit.slack_channel', 'service.environment', 'organization.name', 'llm_audit.pii.fields']);
const NO_DV = new Set(['event.id', 'llm_audit.request_id', 'llm_audit.pii.tokens', 'llm_audit.pii.secrets.token']);
const alertsT = templateOf('alerts');
const stateT = templateOf('detect-state');
const eventsT = templateOf('events');

const run = `s6es-${Date.now().toString(36)}`;
const withRefresh = (t) => ({ ...t, settings: { ...t.settings, refresh_interval: values.refresh } });
const eventsIndex = (variant) => (variant === 'r1s' ? VARIANTS.r1s(withRefresh(eventsT)) : withRefresh(VARIANTS[variant](eventsT)));

async function trial(variant, docset, tag) {
  const set = DOCSETS[docset];
  const idx = { events: `${run}-${tag}-events`, alerts: `${run}-${tag}-alerts`, state: `${run}-${tag}-detect-state` };
  await es('PUT', `/${idx.events}`, eventsIndex(variant));
  await es('PUT', `/${idx.alerts}`, withRefresh(alertsT));
  await es('PUT', `/${idx.state}`, stateT);
  try {
    return await loadTrial(set, idx);
  } finally {
    // the node is shared: a failed trial leaves nothing behind
    await es('DELETE', `/${idx.events},${idx.alerts},${idx.state}`).catch(() => undefined);
  }
}

async function loadTrial(set, idx) {
  // the node's own background CPU over a second, so a busy neighbour shows
  const i0 = ticks();
  await new Promise((r) => setTimeout(r, 1000));
  const idle = ticks() - i0;
  const t0 = performance.now();
  const c0 = ticks();
  const queue = set.batches.map((b, i) => [b, set.checkpoints[i]]);
  let docs = 0;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [items, cp] = next;
      const routed = items.map((it) => ({ ...it, index: it.upsert ? idx.alerts : idx.events }));
      docs += items.filter((it) => !it.upsert).length;
      const res = await es('POST', '/_bulk?filter_path=errors,items.*.error', m.bulkBody(routed), true);
      if (res.errors) throw new Error(`bulk errors: ${JSON.stringify(res.items?.find((x) => Object.values(x)[0].error)).slice(0, 400)}`);
      if (cp) await es('PUT', `/${idx.state}/_doc/${encodeURIComponent(cp.id)}`, cp.doc);
    }
  };
  await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
  const loaded = ticks();
  const seconds = (performance.now() - t0) / 1000;
  const all = `${idx.events},${idx.alerts},${idx.state}`;
  await es('POST', `/${all}/_refresh`);
  await es('POST', `/${all}/_flush`);
  for (;;) {
    const st = await es('GET', `/${all}/_stats/merge`);
    if (st._all.total.merges.current === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const c1 = ticks();
  const st = await es('GET', `/${all}/_stats/indexing,refresh,merge,flush,store`);
  const t = st._all.total;
  const ownMs = t.indexing.index_time_in_millis + t.refresh.total_time_in_millis + t.merges.total_time_in_millis + t.flush.total_time_in_millis;
  const ev = st.indices[idx.events].total;
  return {
    docs, seconds, idleUs: (idle / HZ) * 1e6,
    loadUs: ((loaded - c0) / HZ / docs) * 1e6,
    totalUs: ((c1 - c0) / HZ / docs) * 1e6,
    ownUs: (ownMs * 1000) / docs,
    indexUs: (t.indexing.index_time_in_millis * 1000) / docs,
    storeBytes: ev.store.size_in_bytes / docs,
  };
}

const variants = values.variants.split(',');
const docsets = values.docsets.split(',');
const combos = variants.flatMap((v) => docsets.map((d) => [v, d]));
const results = new Map();
const rounds = Number(values.rounds);
// the node's JIT warms on a first load of each kind, which would weigh on whichever trial comes first
for (const d of docsets) await trial('current', d, `warm-${d}`);
console.log(`${new Date().toISOString()} ES pid ${pid}, refresh ${values.refresh}, ${values.concurrency} bulks in flight, ${rounds} rounds; per event document: ES CPU during the load / including refresh+flush+merges, the indices' own indexing+refresh+merge+flush time, indexing time, events store bytes`);
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [...combos].reverse() : combos;
  for (const [v, d] of order) {
    const x = await trial(v, d, `${r}-${v}-${d}`);
    const key = `${v}/${d}`;
    if (!results.has(key)) results.set(key, []);
    results.get(key).push(x);
    console.log(`  round ${r + 1} ${key.padEnd(18)} ${x.seconds.toFixed(1)} s, CPU ${x.loadUs.toFixed(0)} / ${x.totalUs.toFixed(0)} µs, own ${x.ownUs.toFixed(0)} µs, indexing ${x.indexUs.toFixed(0)} µs, ${x.storeBytes.toFixed(0)} B (idle ${(x.idleUs / 1000).toFixed(0)} ms CPU/s)`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('medians per event document:');
for (const [key, xs] of results) {
  console.log(`  ${key.padEnd(18)} ES CPU ${median(xs.map((x) => x.loadUs)).toFixed(0)} µs load, ${median(xs.map((x) => x.totalUs)).toFixed(0)} µs with refresh/flush/merge; own time ${median(xs.map((x) => x.ownUs)).toFixed(0)} µs (indexing ${median(xs.map((x) => x.indexUs)).toFixed(0)}); ${median(xs.map((x) => x.storeBytes)).toFixed(0)} B stored`);
}
