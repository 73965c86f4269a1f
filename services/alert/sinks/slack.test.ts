import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { RULE_FIXTURES } from '../fixtures.js';
import { SinkError } from './errors.js';
import { SlackSink } from './slack.js';

const TIMEOUT_MS = 500;
const links = { kibanaUrl: 'https://kibana.example', kibanaDataView: 'v', runbookBaseUrl: 'https://runbooks.example' };

// A hung Slack call must free its channel after SLACK_TIMEOUT_MS, however the server hangs.
const hangs: [string, (req: IncomingMessage, res: ServerResponse) => void][] = [
  ['never answers', () => {}],
  ['sends headers, then trickles the body (an idle timer never fires)', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"ok":true');
    const t = setInterval(() => res.write(' '), 50);
    req.on('close', () => clearInterval(t));
  }],
];

describe('SlackSink timeout', () => {
  for (const [name, handler] of hangs) {
    it(`a server that ${name}: the call fails as retriable and maybe-delivered within the timeout`, { timeout: 30_000 }, async () => {
      const srv = createServer(handler);
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
      try {
        const sink = new SlackSink({ token: ['xoxb', '1', 'timeout'].join('-'), slackApiUrl: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/api/`, timeoutMs: TIMEOUT_MS, links });
        const t0 = Date.now();
        const err = await sink.deliver(RULE_FIXTURES.token_spike!, { sink: 'slack', channel: 'C123', reason: 'test' }).then(() => undefined, (e: unknown) => e);
        const ms = Date.now() - t0;
        assert.ok(err instanceof SinkError, `got ${String(err)}`);
        assert.deepEqual([err.failure, err.maybeDelivered], ['retry', true]);
        assert.ok(ms < TIMEOUT_MS * 10, `held the call ${ms} ms; the timeout is ${TIMEOUT_MS} ms`);
      } finally {
        srv.closeAllConnections();
        srv.close();
      }
    });
  }
});
