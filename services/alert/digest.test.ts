import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import { scheduleDigest } from './digest.js';

const logger = createLogger({ level: 'silent' });

it('a bad digest schedule fails at start and names the variable', () => {
  assert.throws(() => scheduleDigest('0 25 * * *', 'UTC', async () => undefined, logger), (e: unknown) => e instanceof ConfigError && /LLM_AUDIT_DIGEST_CRON "0 25 \* \* \*" is not a valid cron expression/.test(e.message));
});

it('the default schedule runs on weekdays at 09:00 in the configured time zone', async () => {
  const utc = scheduleDigest('0 9 * * 1-5', 'UTC', async () => undefined, logger);
  const ny = scheduleDigest('0 9 * * 1-5', 'America/New_York', async () => undefined, logger);
  try {
    const runs = utc.getNextRuns(7);
    assert.equal(runs.length, 7);
    for (const d of runs) {
      assert.equal(d.getUTCHours(), 9);
      assert.equal(d.getUTCMinutes(), 0);
      assert.ok(d.getUTCDay() >= 1 && d.getUTCDay() <= 5, d.toISOString());
    }
    const h = ny.getNextRun()!.getUTCHours();
    assert.ok(h === 13 || h === 14, `09:00 New York is 13:00 or 14:00 UTC, got ${h}`);
  } finally {
    await utc.destroy();
    await ny.destroy();
  }
});
