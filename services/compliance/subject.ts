import type { Client } from '@elastic/elasticsearch';
import { InvalidInputError } from '../common/errors.js';
import type { DeadLetterScan, RetentionBound } from './dead-letters.js';
import { es, scan, statusOf } from './es-util.js';

/** What a data-subject request needs from tokenization: the value's token under every key version, and erasure from the vault. */
export interface SubjectTokens {
  /** Tokens of `value` as the pipeline would have written them (same normalisation), one per configured key version. */
  tokensFor(type: string, value: string): string[];
  /** Removes the stored original of `token` from the reveal vault; false when there was none. */
  eraseToken(client: Client, token: string): Promise<boolean>;
}

export interface SubjectHit {
  index: string;
  id: string;
  timestamp: string | null;
  /** Which of the subject's tokens the document carries (to tell key versions apart), never the value. */
  tokens: string[];
}

export const TOKENS_FIELD = 'llm_audit.pii.tokens';

/**
 * Every audit document carrying any of the tokens, oldest first. Only index, id, time and the matching
 * tokens leave Elasticsearch: a subject request must not reveal what else the documents say.
 */
export async function* findSubject(client: Client, o: { prefix: string; tokens: string[]; pageSize?: number }): AsyncGenerator<SubjectHit> {
  if (!o.tokens.length) throw new InvalidInputError('no_tokens', 'no token to search for: is LLM_AUDIT_TOKENIZE_KEYS set?');
  const wanted = new Set(o.tokens);
  for await (const h of scan(client, {
    index: `${o.prefix}-events-*`,
    query: { bool: { filter: [{ terms: { [TOKENS_FIELD]: o.tokens } }] } },
    sort: [{ '@timestamp': 'asc' }, { 'event.id': { order: 'asc', unmapped_type: 'keyword' } }],
    pageSize: o.pageSize,
    sourceIncludes: ['@timestamp', TOKENS_FIELD],
  })) {
    const carried = (h._source.llm_audit as { pii?: { tokens?: unknown } } | undefined)?.pii?.tokens;
    const list = Array.isArray(carried) ? carried : [carried];
    const ts = h._source['@timestamp'];
    yield { index: h._index, id: h._id, timestamp: typeof ts === 'string' ? ts : null, tokens: list.filter((t): t is string => typeof t === 'string' && wanted.has(t)) };
  }
}

export interface EraseReport {
  erased: { token: string; hadOriginal: boolean }[];
  documents: SubjectHit[];
  /** Dead-letter copies found, and the retention bound the erasure set on their topic. */
  deadLetters?: DeadLetterScan & { retention: RetentionBound; purgeBy: string | null };
  recordedIn: string | null;
}

/** Where the dead letters are and how to bound them (Kafka in production; left out when not configured). */
export interface DeadLetterEraser {
  scan(): Promise<DeadLetterScan>;
  bound(): Promise<RetentionBound>;
}

/**
 * Erases the subject everywhere it can: the originals in the reveal vault (deleted), the dead-letter
 * copies (found, and their topic's retention bounded so they are gone by `purgeBy`), and reports the
 * audit documents that keep the now unresolvable token. One erasure record lists every place touched,
 * with who and why (never the value).
 */
export async function eraseSubject(
  client: Client,
  o: { prefix: string; type: string; tokens: string[]; eraser: SubjectTokens['eraseToken']; by: string; reason?: string; pageSize?: number; auditIndex?: string; deadLetters?: DeadLetterEraser },
): Promise<EraseReport> {
  const erased: EraseReport['erased'] = [];
  for (const token of o.tokens) erased.push({ token, hadOriginal: await o.eraser(client, token) });
  const documents: SubjectHit[] = [];
  for await (const h of findSubject(client, o)) documents.push(h);
  let deadLetters: EraseReport['deadLetters'];
  if (o.deadLetters) {
    const found = await o.deadLetters.scan();
    const retention = await o.deadLetters.bound();
    const newest = found.hits.reduce((m, h) => Math.max(m, Date.parse(h.timestamp)), 0);
    deadLetters = { ...found, retention, purgeBy: found.hits.length ? new Date(Math.max(newest, Date.now()) + retention.retentionMs + retention.segmentMs).toISOString() : null };
  }
  const index = o.auditIndex ?? `${o.prefix}-reveal-audit`;
  const now = new Date().toISOString();
  let recordedIn: string | null = index;
  try {
    await es('record erasure', () =>
      client.bulk({
        refresh: true,
        operations: [
          { index: { _index: index } },
          // the reveal audit's own document shape (services/tokenize/vault.ts), so reveals and erasures read as one log
          {
            '@timestamp': now,
            event: { action: 'erase', outcome: erased.some((e) => e.hadOriginal) ? 'erased' : 'not_found' },
            user: { name: o.by },
            token: erased.map((e) => e.token),
            token_type: o.type,
            key_version: erased.map((e) => /^<[A-Z_]+:([^:>]+):/.exec(e.token)?.[1] ?? null),
            reason: o.reason ?? 'data-subject erasure request',
            places: {
              vault: { erased: erased.filter((e) => e.hadOriginal).map((e) => e.token), absent: erased.filter((e) => !e.hadOriginal).map((e) => e.token) },
              audit_documents: { count: documents.length, indices: [...new Set(documents.map((d) => d.index))].sort(), note: 'keep the token, which no longer resolves' },
              dead_letters: deadLetters
                ? { checked: true, topic: deadLetters.topic, copies: deadLetters.hits.map((h) => `${h.partition}/${h.offset}`), unscannable: deadLetters.unscannable, retention_ms: deadLetters.retention.retentionMs, segment_ms: deadLetters.retention.segmentMs, retention_changed: deadLetters.retention.changed, purge_by: deadLetters.purgeBy }
                : { checked: false },
            },
          },
        ],
      }),
    );
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
    recordedIn = null;
  }
  return { erased, documents, deadLetters, recordedIn };
}
