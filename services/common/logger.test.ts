import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(s) } });
  return { logger, lines };
}

const PROMPT = 'my card is 4111 1111 1111 1111 and my email is jane.doe@example.com';

describe('logger redaction', () => {
  const shapes: [string, Record<string, unknown>][] = [
    ['top-level prompt', { prompt: PROMPT }],
    ['top-level completion', { completion: PROMPT }],
    ['event.prompt', { event: { prompt: PROMPT, api_key_id: 'key_1' } }],
    ['record.event.completion', { record: { event: { completion: PROMPT } } }],
    ['text', { text: PROMPT }],
    ['entity original', { entity: { original: PROMPT } }],
    ['secret', { config: { slackBotToken: 'xoxb-test-not-a-real-token' } }],
    ['authorization header', { req: { headers: { authorization: 'Bearer sk-proj-abc' } } }],
  ];
  for (const [name, obj] of shapes) {
    it(`redacts ${name}`, () => {
      const { logger, lines } = capture();
      logger.info(obj, 'processed');
      assert.equal(lines.length, 1);
      assert.ok(!lines[0]!.includes('4111 1111'), lines[0]);
      assert.ok(!lines[0]!.includes('jane.doe@example.com'), lines[0]);
      assert.ok(!lines[0]!.includes('xoxb-test-not'), lines[0]);
      assert.ok(!lines[0]!.includes('sk-proj-abc'), lines[0]);
      assert.ok(lines[0]!.includes('[REDACTED]'));
    });
  }

  it('keeps the fields an operator needs', () => {
    const { logger, lines } = capture();
    logger.info({ event: { api_key_id: 'key_1', prompt: PROMPT }, requestId: 'req_9', count: 3 }, 'batch');
    const line = JSON.parse(lines[0]!) as { event: { api_key_id: string }; requestId: string; count: number; msg: string };
    assert.equal(line.event.api_key_id, 'key_1');
    assert.equal(line.requestId, 'req_9');
    assert.equal(line.count, 3);
    assert.equal(line.msg, 'batch');
  });
});
