/**
 * One small error tree for the whole project (after kafkajs): every error says
 * whether retrying can help and keeps its cause. Only `retry()` (services/common/retry.ts) decides
 * to try again, from `isRetriable` and `retryAfterMs` below; no call site keeps its own loop.
 */
export class LlmAuditError extends Error {
  readonly retriable: boolean;
  override readonly cause?: unknown;
  /** The downstream asked for at least this pause before the next attempt (HTTP Retry-After). */
  readonly retryAfterMs?: number;
  constructor(message: string, opts: { retriable?: boolean; cause?: unknown; retryAfterMs?: number } = {}) {
    super(message);
    this.name = new.target.name;
    this.retriable = opts.retriable ?? false;
    this.cause = opts.cause;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }
}

/** Bad configuration: fail fast at start with a message that says how to fix it. */
export class ConfigError extends LlmAuditError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: false, cause });
  }
}

/** Input that can never be processed (bad framing, unknown schema, invalid values). Goes to the dead-letter topic. */
export class InvalidInputError extends LlmAuditError {
  readonly reason: string;
  constructor(reason: string, message: string, cause?: unknown) {
    super(message, { retriable: false, cause });
    this.reason = reason;
  }
}

/** A downstream (Elasticsearch, Kafka, Slack) that may answer later. */
export class TransientError extends LlmAuditError {
  constructor(message: string, cause?: unknown, retryAfterMs?: number) {
    super(message, { retriable: true, cause, retryAfterMs });
  }
}

/**
 * The retriable classification: our errors carry their own flag; kafkajs errors carry theirs
 * (KafkaJSError#retriable). Anything else (a TypeError, a programmer error) is never retried.
 */
export function isRetriable(err: unknown): boolean {
  if (err instanceof LlmAuditError) return err.retriable;
  const e = err as { name?: unknown; retriable?: unknown } | null;
  return typeof e?.name === 'string' && e.name.startsWith('KafkaJS') && e.retriable === true;
}

/** The pause the downstream asked for, if any. */
export function retryAfterMs(err: unknown): number {
  const v = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
