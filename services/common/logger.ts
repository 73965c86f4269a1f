import { pino, type Logger, type DestinationStream } from 'pino';

/**
 * Paths that may carry prompt text, completions, token originals or secrets.
 * Redaction is by path (pino's fast-redact), so it costs nothing on lines without them.
 */
export const REDACT_PATHS = [
  'prompt', 'completion', '*.prompt', '*.completion', '*.*.prompt', '*.*.completion',
  'event.prompt', 'event.completion', 'text', '*.text', 'value', '*.value', 'original', '*.original',
  'secret', '*.secret', 'token', '*.token', 'password', '*.password', 'apiKey', '*.apiKey',
  'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
  'req.headers.cookie', 'config.slackBotToken', 'config.slackSigningSecret', 'config.tokenizeKeys',
  'config.revealKey', 'raw', '*.raw',
];

export function createLogger(opts: { name?: string; level?: string; destination?: DestinationStream } = {}): Logger {
  const options = {
    name: opts.name ?? 'llm-audit',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

export type { Logger };
