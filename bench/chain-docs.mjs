// The bulk items of traffic-dev-v2 after the whole in-process chain of one build, batch by batch as bench:chain
// makes them (6 partitions by key, 500 per batch): shared by bench/bulk-body-ab.mjs and bench/doc-json-probe.mjs.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';

const data = new URL('../../shared/data/', import.meta.url);

export async function load(root, paths) {
  const m = {};
  for (const p of paths) Object.assign(m, await import(pathToFileURL(resolve(root, `services/${p}.js`)).href));
  return m;
}

/** One build's stages as bench:chain sets them up (fixed bench key, the scenario directory, memory state store). */
export async function chainStages(m, labels) {
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
  return { tokenize, attribute, detect, decoder, counters };
}

/** The events as framed Avro messages on 6 partitions by key, as bench:chain produces them. */
export async function encodedPartitions(m, events) {
  const enc = m.usageEncoder(new m.LocalSchemaSource());
  const parts = Array.from({ length: 6 }, () => []);
  for (const e of events) {
    const list = parts[m.murmur2Partition(e.api_key_id, 6)];
    list.push({ key: Buffer.from(e.api_key_id), value: await enc.encode(m.validateEvent({ ...e })), offset: String(list.length) });
  }
  return parts;
}

/** The batches' bulk items (arrays of BulkItem) and the number of event documents in them. */
export async function chainBatches(root, limit) {
  const events = gunzipSync(readFileSync(new URL('traffic-dev-v2.events.jsonl.gz', data))).toString('utf8').split('\n').filter(Boolean).slice(0, limit).map((l) => JSON.parse(l));
  const labels = JSON.parse(readFileSync(new URL('traffic-dev-v2.labels.json', data), 'utf8'));
  const MODULES = ['attribute/config', 'attribute/fixtures', 'attribute/directory', 'attribute/identity', 'attribute/stage', 'common/avro', 'common/kafka', 'common/metrics', 'common/usage',
    'decode/validate', 'detect/geo', 'detect/stage', 'detect/state-store', 'pipeline/chain', 'tokenize/keyring', 'tokenize/config', 'tokenize/stage'];
  const m = await load(root, MODULES);
  const parts = await encodedPartitions(m, events);
  const { tokenize, attribute, detect, decoder, counters } = await chainStages(m, labels);
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
  return { batches, n };
}
