import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../common/errors.js';
import { loadAlertConfig } from './config.js';

const TOKEN = 'xoxb-1111-2222-abcDEF';
const SECRET = '8f742231b10e8888abcd99aaaccc85a5';

describe('alert config', () => {
  it('reads the token and the signing secret from the environment', () => {
    const c = loadAlertConfig({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET });
    assert.equal(c.slackBotToken, TOKEN);
    assert.equal(c.slackSigningSecret, SECRET);
    assert.equal(c.defaultChannel, '#llm-audit-alerts');
  });

  it('reads them from mounted files (trailing newline trimmed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alert-config-'));
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
    writeFileSync(join(dir, 'secret'), `${SECRET}\n`);
    const c = loadAlertConfig({ SLACK_BOT_TOKEN_FILE: join(dir, 'token'), SLACK_SIGNING_SECRET_FILE: join(dir, 'secret') });
    assert.equal(c.slackBotToken, TOKEN);
    assert.equal(c.slackSigningSecret, SECRET);
  });

  const bad: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['missing token', { SLACK_SIGNING_SECRET: SECRET }, /SLACK_BOT_TOKEN \(or SLACK_BOT_TOKEN_FILE\) is required.*xoxb-/],
    ['user token instead of a bot token', { SLACK_BOT_TOKEN: 'xoxp-123-456', SLACK_SIGNING_SECRET: SECRET }, /SLACK_BOT_TOKEN.*must match/],
    ['missing signing secret', { SLACK_BOT_TOKEN: TOKEN }, /SLACK_SIGNING_SECRET \(or SLACK_SIGNING_SECRET_FILE\) is required/],
    ['malformed signing secret', { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: 'not-a-secret' }, /SLACK_SIGNING_SECRET.*must match/],
    ['unreadable token file', { SLACK_BOT_TOKEN_FILE: '/nonexistent/token', SLACK_SIGNING_SECRET: SECRET }, /cannot read SLACK_BOT_TOKEN_FILE/],
  ];
  for (const [name, env, msg] of bad) {
    it(`fails at start with a clear message: ${name}`, () => {
      assert.throws(() => loadAlertConfig(env), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, msg);
        // the message names the variable, never the value
        for (const v of Object.values(env)) if (v && !v.startsWith('/')) assert.ok(!err.message.includes(v), `message leaks ${v}`);
        return true;
      });
    });
  }
});
