import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expiredIndices } from './jobs/index-retention.js';

test('retention picks daily indices older than the retention, by kind and prefix only', () => {
  const now = Date.parse('2026-11-27T05:00:00Z');
  const names = ['llm-audit-events-2025.10.22', 'llm-audit-events-2025.10.23', 'llm-audit-events-2026.11.26', 'llm-audit-alerts-2025.01.01', 'other-events-2020.01.01', 'llm-audit-events-bogus', 'llm-audit-key-state'];
  // 400 days before 2026-11-27 is 2025-10-23: that day is kept, the one before goes
  assert.deepEqual(expiredIndices(names, 'llm-audit', 'events', 400, now), ['llm-audit-events-2025.10.22']);
  assert.deepEqual(expiredIndices(names, 'llm-audit', 'alerts', 1100, now), []);
  assert.deepEqual(expiredIndices(names, 'llm-audit', 'alerts', 600, now), ['llm-audit-alerts-2025.01.01']);
});
