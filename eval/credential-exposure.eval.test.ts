import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { MetricsRegistry } from '../services/common/metrics.js';
import type { UsageEvent } from '../services/common/types.js';
import { detector } from '../services/detect/detectors/credential-exposure.js';
import { runDetectors } from '../services/detect/replay.js';
import { resolveIndices, tokenizeConfig } from '../services/tokenize/config.js';
import { parseKeyring } from '../services/tokenize/keyring.js';
import { TokenizeStage } from '../services/tokenize/stage.js';
import { requireSharedData } from './shared-data.js';

interface Labels {
  labels: { rule: string; kind: string; api_key_id: string; credentials?: string[] }[];
  controls: { kind: string; api_key_id: string }[];
}

/** traffic-dev-v2: every labelled exposure alerted with its kind, no alert on a benign control, false alerts counted. */
test('traffic-dev-v2: credential_exposure fires on every labelled exposure and on no control', async () => {
  const events = gunzipSync(readFileSync(requireSharedData('traffic-dev-v2.events.jsonl.gz'))).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as UsageEvent);
  const labels = JSON.parse(readFileSync(requireSharedData('traffic-dev-v2.labels.json'), 'utf8')) as Labels;
  const keyring = parseKeyring(`e1:${randomBytes(32).toString('base64')}`, 'eval key');
  const stage = new TokenizeStage({ config: resolveIndices(tokenizeConfig.parse({ tokenizeKeys: 'x' })), keyring }, undefined, new MetricsRegistry());
  for (const event of events) stage.tokenizeRecord({ event, doc: {}, alerts: [], partition: 0, offset: '0' });
  const alerts = await runDetectors([detector], events);
  const want = labels.labels.filter((l) => l.rule === 'credential_exposure');
  const got = new Set(alerts.map((a) => `${a.api_key_id}/${a.kind}`));
  const missed = want.filter((l) => !got.has(`${l.api_key_id}/${l.kind}`));
  const labelled = new Set(want.map((l) => l.api_key_id));
  const controls = new Set(labels.controls.filter((c) => c.kind === 'public_key_in_prompt').map((c) => c.api_key_id));
  const onControls = alerts.filter((a) => controls.has(a.api_key_id));
  const unlabelled = alerts.filter((a) => !labelled.has(a.api_key_id));
  console.log(`labelled exposures ${want.length}, alerted ${want.length - missed.length}; alerts ${alerts.length} (${unlabelled.length} on unlabelled keys: ${unlabelled.map((a) => `${a.kind}/${a.evidence.credential_type}`).join(', ') || 'none'}); on benign controls ${onControls.length}`);
  for (const a of alerts) console.log(`  ${a.api_key_id} ${a.kind} ${a.severity} ${a.evidence.credential_type} (${a.evidence.provider}) x${a.count}`);
  assert.deepEqual(missed, []);
  assert.deepEqual(onControls.map((a) => a.evidence.credential_type), []);
});
