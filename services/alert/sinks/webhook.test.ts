import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RULE_FIXTURES } from '../fixtures.js';
import { SinkError } from './errors.js';
import { WebhookSink, webhookSignature } from './webhook.js';

const SECRET = 'webhook-secret-0123456789';
const links = { kibanaUrl: 'https://kibana.example', kibanaDataView: 'dv', runbookBaseUrl: 'https://rb.example' };
let server: Server;
let url: string;
const got: { headers: IncomingHttpHeaders; body: string }[] = [];
const answers: number[] = [];

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = answers.shift() ?? 200;
      if (status === 0) return; // hang
      res.writeHead(status, status === 429 ? { 'retry-after': '7' } : {});
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const sink = () => new WebhookSink({ name: 'pagerduty', url, secret: SECRET, timeoutMs: 1_500, links, now: () => Date.UTC(2026, 10, 27, 12) });
const target = { sink: 'pagerduty', channel: 'pagerduty', reason: 'webhook' };

describe('WebhookSink', () => {
  it('posts a signed JSON body the receiver can verify', async () => {
    got.length = 0;
    const a = RULE_FIXTURES.revoked_key_used!;
    const rec = await sink().deliver(a, target);
    assert.equal(rec.status, 'posted');
    assert.equal(got.length, 1);
    const { headers, body } = got[0]!;
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['x-llm-audit-timestamp'], String(Date.UTC(2026, 10, 27, 12) / 1000));
    // recomputed by hand, as a receiver would
    const want = `sha256=${createHmac('sha256', SECRET).update(`${headers['x-llm-audit-timestamp']}.${body}`).digest('hex')}`;
    assert.equal(headers['x-llm-audit-signature'], want);
    assert.equal(webhookSignature(SECRET, Number(headers['x-llm-audit-timestamp']), body), want);
    assert.equal(headers['x-llm-audit-delivery'], `${a.id}:12`);
    const parsed = JSON.parse(body);
    assert.equal(parsed.version, 1);
    assert.equal(parsed.type, 'alert');
    assert.equal(parsed.alert.id, a.id);
    assert.equal(parsed.alert.first_seen, '2026-11-27T09:00:00.000Z');
    assert.equal(parsed.links.runbook, 'https://rb.example/revoked_key_used.md');
  });

  it('an update is typed alert.update; a replay of a delivered count sends nothing', async () => {
    got.length = 0;
    const s = sink();
    const a = RULE_FIXTURES.token_spike!;
    const first = await s.deliver(a, target);
    const second = await s.deliver({ ...a, count: 20 }, target, first);
    await s.deliver({ ...a, count: 20 }, target, second);
    assert.deepEqual(got.map((g) => JSON.parse(g.body).type), ['alert', 'alert.update']);
    assert.equal(second.updates, 1);
  });

  const classes: [string, number, string, number | undefined][] = [
    ['500 is retried', 500, 'retry', undefined],
    ['429 is retried after Retry-After', 429, 'retry', 7000],
    ['408 is retried', 408, 'retry', undefined],
    ['400 is not', 400, 'drop', undefined],
    ['410 is not', 410, 'drop', undefined],
    ['no answer within the timeout is retried', 0, 'retry', undefined],
  ];
  for (const [name, status, failure, retryAfterMs] of classes) {
    it(name, async () => {
      answers.push(status);
      await assert.rejects(sink().deliver(RULE_FIXTURES.token_spike!, target), (e: unknown) => {
        assert.ok(e instanceof SinkError);
        assert.equal(e.failure, failure);
        assert.equal(e.retriable, failure === 'retry');
        assert.equal(e.retryAfterMs, retryAfterMs);
        return true;
      });
    });
  }
});
