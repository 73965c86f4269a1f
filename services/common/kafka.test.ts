import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logLevel } from 'kafkajs';
import { KAFKA_FORMING_GRACE_MS, kafkaLogLevel } from './kafka.js';

// entries as kafkajs' Connection and Runner log them (message, plus the broker's error text)
const loading = { message: 'Response InitProducerId(key: 22, version: 1)', error: "The coordinator is loading and hence can't process requests for this group" };
const noCoordinator = { message: 'Response GroupCoordinator(key: 10, version: 2)', error: 'The group coordinator is not available' };
const noLeader = { message: 'Response Metadata(key: 3, version: 6)', error: 'There is no leader for this topic-partition as we are in the middle of a leadership election' };

test('retriable "still forming" answers are debug while the group and topics form', () => {
  for (const e of [loading, noCoordinator, noLeader]) assert.equal(kafkaLogLevel(logLevel.ERROR, e, 2_000), 'debug', e.error);
});

test('the same answers are errors again once the grace period is over', () => {
  for (const e of [loading, noCoordinator, noLeader]) assert.equal(kafkaLogLevel(logLevel.ERROR, e, KAFKA_FORMING_GRACE_MS + 1), 'error', e.error);
});

test('real errors stay errors during start-up', () => {
  assert.equal(kafkaLogLevel(logLevel.ERROR, { message: 'Failed to connect to seed broker, trying another broker from the list: Connection timeout' }, 1_000), 'error');
  assert.equal(kafkaLogLevel(logLevel.ERROR, { message: 'Response SaslAuthenticate(key: 36, version: 1)', error: 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256' }, 1_000), 'error');
  assert.equal(kafkaLogLevel(logLevel.ERROR, { message: 'Crash: KafkaJSNumberOfRetriesExceeded: The group coordinator is not available' }, 1_000), 'error',
    'a consumer that crashed after its retries is an error, whatever answer it carries');
  assert.equal(kafkaLogLevel(logLevel.ERROR, { message: 'Response Produce(key: 0, version: 7)', error: 'The request included a message larger than the max message size the server will accept' }, 1_000), 'error');
});

test('warnings stay warnings, info and debug go to debug, the bounded-retries notice is dropped', () => {
  assert.equal(kafkaLogLevel(logLevel.WARN, { message: 'Consumer group rebalancing' }, 1_000), 'warn');
  assert.equal(kafkaLogLevel(logLevel.INFO, { message: 'Consumer has joined the group' }, 1_000), 'debug');
  assert.equal(kafkaLogLevel(logLevel.WARN, { message: 'Limiting retries for the idempotent producer to Number.MAX_SAFE_INTEGER' }, 1_000), undefined);
});
