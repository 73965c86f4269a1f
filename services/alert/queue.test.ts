import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../common/logger.js';
import { MetricsRegistry } from '../common/metrics.js';
import type { Alert } from '../common/types.js';
import { alertConfig } from './config.js';
import type { Dispatcher, Outcome } from './dispatch.js';
import { RULE_FIXTURES } from './fixtures.js';
import { DeliveryQueue, OffsetTracker } from './queue.js';
import { parseRouting } from './routing.js';
import { SinkError } from './sinks/errors.js';
import type { Target } from './sinks/sink.js';

const alert = (id: string, channel: string, count: number): Alert => ({ ...RULE_FIXTURES.token_spike!, id, count, owner: { team: 't', slack_channel: channel } });

/** A dispatcher that records attempts and answers from a script. */
function fakeDispatcher(answer: (a: Alert, t: Target, n: number) => Outcome | Error) {
  const calls: { id: string; count: number; channel: string; maybeDelivered: boolean }[] = [];
  const d = {
    calls,
    filtered() {},
    async attempt(a: Alert, t: Target, maybeDelivered: boolean): Promise<Outcome> {
      calls.push({ id: a.id, count: a.count, channel: t.channel, maybeDelivered });
      await new Promise((r) => setImmediate(r));
      const out = answer(a, t, calls.filter((c) => c.id === a.id).length);
      if (out instanceof Error) throw out;
      return out;
    },
  };
  return d;
}

function queue(d: ReturnType<typeof fakeDispatcher>, known: string[] = [], o: { concurrency?: number; channelConcurrency?: number } = {}) {
  const fatal: Error[] = [];
  const q = new DeliveryQueue({
    dispatcher: d as unknown as Dispatcher, routing: parseRouting('', alertConfig.parse({})), logger: createLogger({ level: 'silent' }), metrics: new MetricsRegistry(),
    backoff: { initialDelayMs: 5, maxDelayMs: 20, jitter: 0 }, concurrency: o.concurrency ?? 4, channelConcurrency: o.channelConcurrency ?? 1,
    onFatal: (e) => fatal.push(e), isKnown: (k) => known.some((x) => k.startsWith(x)),
  });
  return { q, fatal };
}

const ticket = (log: string[], name: string) => ({ done: (failed: boolean) => void log.push(`${name}${failed ? ':failed' : ''}`) });

describe('delivery queue', () => {
  it('coalesces pending updates of one incident to the latest count and settles every message', async () => {
    const d = fakeDispatcher((a, _t, n) => (n === 1 ? new SinkError('retry', '429', { retryAfterMs: 30 }) : 'updated'));
    const { q } = queue(d, ['a']);
    const done: string[] = [];
    for (let c = 2; c <= 9; c++) q.add(alert('a', '#x', c), ticket(done, `a${c}`));
    await q.idle();
    assert.deepEqual(d.calls.map((c) => c.count), [2, 9], 'the retry carries the latest count; nothing in between');
    assert.equal(done.length, 8, 'every message settled');
  });

  it('picks new incidents before updates of known ones, and a Retry-After pauses only its channel', async () => {
    const d = fakeDispatcher((a, t, n) => (t.channel === '#busy' && n === 1 ? new SinkError('retry', '429', { retryAfterMs: 40 }) : a.id.startsWith('old') ? 'updated' : 'posted'));
    const { q } = queue(d, ['old'], { concurrency: 1 });
    const done: string[] = [];
    q.add(alert('old1', '#busy', 5), ticket(done, 'old1'));
    q.add(alert('old2', '#busy', 5), ticket(done, 'old2'));
    q.add(alert('new1', '#busy', 1), ticket(done, 'new1'));
    q.add(alert('quiet', '#quiet', 1), ticket(done, 'quiet'));
    await q.idle();
    // old1 started at once and got a 429: #busy waits while #quiet is served; then the new incident goes before both updates
    assert.deepEqual(d.calls.map((c) => `${c.id}@${c.channel}`), ['old1@#busy', 'quiet@#quiet', 'new1@#busy', 'new1@#busy', 'old1@#busy', 'old2@#busy', 'old2@#busy']);
    assert.equal(done.indexOf('quiet'), 0, 'the quiet channel was served while #busy was paused');
  });

  it('after a timeout, a 429 on the lookup does not make the next attempt post blindly', async () => {
    // attempt 1 timed out (the post may be in Slack); attempt 2's history lookup got a 429
    const d = fakeDispatcher((_a, _t, n) => (n === 1 ? new SinkError('retry', 'timeout', { maybeDelivered: true }) : n === 2 ? new SinkError('retry', '429', { retryAfterMs: 1 }) : 'posted'));
    const { q } = queue(d);
    q.add(alert('n', '#x', 1), ticket([], 'n'));
    await q.idle();
    assert.deepEqual(d.calls.map((c) => c.maybeDelivered), [true, true, true]);
  });

  it('a fatal error stops the queue', async () => {
    const d = fakeDispatcher(() => new SinkError('fatal', 'invalid_auth'));
    const { q, fatal } = queue(d);
    q.add(alert('f', '#x', 1), ticket([], 'f'));
    // polled, not slept: on a loaded machine the first attempt may take longer than any fixed pause
    for (let i = 0; i < 200 && fatal.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(fatal.length, 1);
  });
});

describe('offset tracker', () => {
  it('commits only past the settled prefix of a partition, and ignores re-fetched offsets', () => {
    const t = new OffsetTracker();
    const [a, b, c] = ['10', '11', '12'].map((o) => t.track(0, o)!);
    const p1 = t.track(1, '3')!;
    assert.equal(t.track(0, '11'), undefined, 're-fetch of a queued offset');
    c!.done(false);
    assert.deepEqual(t.committable(), []);
    a!.done(false);
    assert.deepEqual(t.committable(), [{ partition: 0, offset: '11' }]);
    b!.done(false);
    p1.done(true);
    assert.deepEqual(t.committable(), [{ partition: 0, offset: '13' }, { partition: 1, offset: '4' }]);
    assert.equal(t.track(0, '12'), undefined, 'committed already');
  });
});
