import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slackSignature, verifySlackSignature } from './signature.js';

// Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack)
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const BODY = Buffer.from('token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c');
const TS = '1531420618';
const NOW = Number(TS) * 1000 + 30_000;

describe('verifySlackSignature', () => {
  it('matches the signature in Slack\'s documentation', () => {
    assert.equal(slackSignature(SECRET, TS, BODY), 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  const cases: [string, { timestamp?: string; signature?: string }, Buffer, { ok: boolean; status?: number }][] = [
    ['valid request', { timestamp: TS, signature: slackSignature(SECRET, TS, BODY) }, BODY, { ok: true }],
    ['forged: signed with another secret', { timestamp: TS, signature: slackSignature('0000000000000000000000000000000a', TS, BODY) }, BODY, { ok: false, status: 401 }],
    ['forged: body changed after signing', { timestamp: TS, signature: slackSignature(SECRET, TS, BODY) }, Buffer.concat([BODY, Buffer.from('&x=1')]), { ok: false, status: 401 }],
    ['forged: timestamp changed after signing', { timestamp: String(Number(TS) + 1), signature: slackSignature(SECRET, TS, BODY) }, BODY, { ok: false, status: 401 }],
    ['replayed: correctly signed but 6 minutes old', { timestamp: String(Number(TS) - 360), signature: slackSignature(SECRET, String(Number(TS) - 360), BODY) }, BODY, { ok: false, status: 401 }],
    ['from the future beyond the window', { timestamp: String(Number(TS) + 400), signature: slackSignature(SECRET, String(Number(TS) + 400), BODY) }, BODY, { ok: false, status: 401 }],
    ['malformed: no headers', {}, BODY, { ok: false, status: 400 }],
    ['malformed: timestamp not a number', { timestamp: '15314x0618', signature: slackSignature(SECRET, TS, BODY) }, BODY, { ok: false, status: 400 }],
    ['malformed: signature without v0=', { timestamp: TS, signature: slackSignature(SECRET, TS, BODY).slice(3) }, BODY, { ok: false, status: 400 }],
    ['malformed: truncated signature', { timestamp: TS, signature: slackSignature(SECRET, TS, BODY).slice(0, 40) }, BODY, { ok: false, status: 400 }],
  ];
  for (const [name, headers, body, want] of cases) {
    it(name, () => {
      const v = verifySlackSignature(SECRET, headers, body, NOW, 300);
      assert.equal(v.ok, want.ok);
      if (!v.ok) assert.equal(v.status, want.status);
    });
  }
});
