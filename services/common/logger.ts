import { pino, type Logger, type DestinationStream } from 'pino';
import { configRegistry } from './config.js';

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

const CENSOR = '[REDACTED]';

/**
 * Secret-bearing keys by name, at any depth (paths cannot say "anywhere"): passwords, API keys, tokens,
 * signing/verify/reveal/tokenize keys, SASL settings (the whole object), credentials. Compared
 * without case, `_`, `-` or `.`, so `elasticsearch.apiKey`, `sasl.password`, `ES_PASSWORD` all match,
 * while `api_key_id`, `input_tokens` or `key_version` (what an operator needs) do not.
 */
const SECRET_NAME = /(password|passwd|passphrase|secret|credential|privatekey|apikey$|token$|bearer|authorization|cookie|(signing|verify|reveal|tokenize|private|encryption|hmac|master|access)keys?$)/;
const SUBTREE = new Set(['sasl', 'ssl', 'tls', 'auth']);

const norm = (k: string) => k.toLowerCase().replace(/[-_.]/g, '');

/** Field names the config schemas mark `secret` (so a new secret field is covered without editing this file). */
let cached: { size: number; names: Set<string> } | undefined;
function schemaSecrets(): Set<string> {
  if (cached?.size === configRegistry.size) return cached.names;
  const out = new Set<string>();
  for (const schema of configRegistry.values()) for (const [k, f] of Object.entries(schema.spec)) if ((f as { secret?: boolean }).secret) out.add(norm(k));
  cached = { size: configRegistry.size, names: out };
  return out;
}

export function isSecretKey(key: string, extra: Set<string> = schemaSecrets()): boolean {
  const n = norm(key);
  return SECRET_NAME.test(n) || extra.has(n);
}

/** A copy of `v` with every secret-named value (and every SASL/TLS/auth object) censored, at any depth. */
export function scrubSecrets(v: unknown, extra: Set<string> = schemaSecrets(), depth = 0, seen = new WeakSet<object>()): unknown {
  if (v === null || typeof v !== 'object' || depth > 12) return v;
  if (seen.has(v)) return '[Circular]';
  if (Array.isArray(v)) {
    seen.add(v);
    return v.map((x) => scrubSecrets(x, extra, depth + 1, seen));
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v; // errors, buffers, dates: serializers handle them
  seen.add(v);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const n = norm(k);
    if (x !== undefined && x !== null && x !== '' && (isSecretKey(k, extra) || (SUBTREE.has(n) && typeof x === 'object'))) out[k] = CENSOR;
    else out[k] = scrubSecrets(x, extra, depth + 1, seen);
  }
  return out;
}

export function createLogger(opts: { name?: string; level?: string; destination?: DestinationStream } = {}): Logger {
  const scrub = (o: Record<string, unknown>) => scrubSecrets(o) as Record<string, unknown>;
  const options = {
    name: opts.name ?? 'llm-audit',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    formatters: { log: scrub, bindings: scrub },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return scrubChildren(opts.destination ? pino(options, opts.destination) : pino(options));
}

/** pino does not pass a child's bindings through `formatters.bindings`: scrub them on the way in. */
function scrubChildren(l: Logger): Logger {
  const child = l.child.bind(l);
  l.child = ((bindings: Record<string, unknown>, o?: object) => scrubChildren(child(scrubSecrets(bindings) as Record<string, unknown>, o as never))) as unknown as Logger['child'];
  return l;
}

export type { Logger };
