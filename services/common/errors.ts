/**
 * One small error tree for the whole project (after kafkajs): every error says
 * whether retrying can help and keeps its cause. Only `retry()` retries.
 */
export class LlmAuditError extends Error {
  readonly retriable: boolean;
  override readonly cause?: unknown;
  constructor(message: string, opts: { retriable?: boolean; cause?: unknown } = {}) {
    super(message);
    this.name = new.target.name;
    this.retriable = opts.retriable ?? false;
    this.cause = opts.cause;
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
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: true, cause });
  }
}

export function isRetriable(err: unknown): boolean {
  return err instanceof LlmAuditError ? err.retriable : false;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
