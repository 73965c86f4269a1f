import { LlmAuditError } from '../../common/errors.js';

/**
 * How a sink's failure is handled (Vector's retry / don't-retry split, plus two cases chat needs):
 * retry: try again with backoff (and at least `retryAfterMs`); drop: record as failed and move on;
 * channel: the channel is unusable, fall back to the default channel; fatal: stop consuming (bad token).
 */
export type SinkFailure = 'retry' | 'drop' | 'channel' | 'fatal';

export class SinkError extends LlmAuditError {
  constructor(readonly failure: SinkFailure, message: string, opts: { cause?: unknown; retryAfterMs?: number; maybeDelivered?: boolean } = {}) {
    super(message, { retriable: failure === 'retry', cause: opts.cause, retryAfterMs: opts.retryAfterMs });
    this.maybeDelivered = opts.maybeDelivered ?? false;
  }
  /** The request may have reached the receiver (timeout, reset): look before posting again. */
  readonly maybeDelivered: boolean;
}
