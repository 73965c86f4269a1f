import { InvalidInputError } from '../common/errors.js';
import type { UsageEvent } from '../common/types.js';

/** Limits that keep one hostile event from hurting the pipeline; text beyond them is the tokenizer's to cap. */
export const LIMITS = {
  idLength: 256,
  shortString: 1024,
  maxTokens: 10_000_000,
  maxLatencyMs: 24 * 3600 * 1000,
  /** prompt/completion beyond this are refused outright (the tokenizer truncates far below it). */
  maxTextBytes: 4 * 1024 * 1024,
};

const ENVS = new Set(['dev', 'staging', 'prod']);
// 2000-01-01 .. 2100-01-01: catches seconds-instead-of-millis and garbage
const MIN_TS = 946_684_800_000;
const MAX_TS = 4_102_444_800_000;

const REQUIRED_STRINGS = ['gateway_id', 'provider', 'operation', 'model', 'api_key_id'] as const;
const OPTIONAL_STRINGS = ['model_version', 'principal_id', 'source_ip', 'user_agent', 'error_code', 'request_id'] as const;
const INTS = ['status_code', 'input_tokens', 'output_tokens', 'latency_ms'] as const;
export const KNOWN_FIELDS = new Set<string>(['event_id', 'occurred_at', 'environment', 'prompt', 'completion', ...REQUIRED_STRINGS, ...OPTIONAL_STRINGS, ...INTS]);

function fail(field: string, why: string): never {
  throw new InvalidInputError('invalid_event', `field ${field} ${why}`);
}

// four dotted groups of 1-3 digits, each at most 255 (leading zeros allowed), in one regex without a split
const IPV4 = /^(?:(?:[01]?\d?\d|2[0-4]\d|25[0-5])\.){3}(?:[01]?\d?\d|2[0-4]\d|25[0-5])$/;

function isIp(s: string): boolean {
  if (IPV4.test(s)) return true;
  return s.includes(':') && /^[0-9a-fA-F:.]{2,45}$/.test(s);
}

/** /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i without a regex run per event. */
export function isUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
    } else if (!((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66))) return false;
  }
  return true;
}

function requiredString(v: unknown, f: string): void {
  if (typeof v !== 'string' || v.length === 0) fail(f, 'must be a non-empty string');
  if (v.length > LIMITS.idLength) fail(f, `is longer than ${LIMITS.idLength} characters`);
}

/** A present optional field: a string within `max` characters, or null. */
/** The field's value, null when it is absent; a value that is neither null nor a string within `max` fails. */
function optionalString(v: unknown, f: string, max: number, what: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') fail(f, 'must be a string or null');
  if (v.length > max) fail(f, `is ${what} than ${max} characters`);
  return v;
}

function count(v: unknown, f: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(f, 'must be a non-negative integer');
}

/**
 * Checks what Avro can't: value ranges and shapes. Avro already guarantees types for decoded
 * messages; JSON input (emit, SDK) also needs the type checks, so both go through here.
 * Returns the first problem as an InvalidInputError naming the field. The fields are checked one by one in
 * the contract's order (no loop over names: each access stays monomorphic on the hot decode path).
 */
export function validateEvent(input: unknown, opts?: { allowUnknown?: boolean }): UsageEvent {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InvalidInputError('invalid_event', 'event must be a JSON object');
  const e = input as Record<string, unknown>;
  if (!opts?.allowUnknown) {
    const unknown = Object.keys(e).filter((k) => !KNOWN_FIELDS.has(k));
    if (unknown.length) fail(unknown[0]!, `is not part of the usage-event contract (unknown field${unknown.length > 1 ? `s ${unknown.join(', ')}` : ''})`);
  }
  if (typeof e.event_id !== 'string' || !isUuid(e.event_id)) fail('event_id', 'must be a UUID string');
  if (typeof e.occurred_at !== 'number' || !Number.isInteger(e.occurred_at)) fail('occurred_at', 'must be epoch milliseconds (integer)');
  if (e.occurred_at < MIN_TS || e.occurred_at > MAX_TS) fail('occurred_at', `is out of range (${e.occurred_at}); expected epoch milliseconds between 2000 and 2100`);
  if (typeof e.environment !== 'string' || !ENVS.has(e.environment)) fail('environment', 'must be one of dev, staging, prod');
  // REQUIRED_STRINGS, OPTIONAL_STRINGS, prompt and completion, INTS, in that order
  requiredString(e.gateway_id, 'gateway_id');
  requiredString(e.provider, 'provider');
  requiredString(e.operation, 'operation');
  requiredString(e.model, 'model');
  requiredString(e.api_key_id, 'api_key_id');
  e.model_version = optionalString(e.model_version, 'model_version', LIMITS.shortString, 'longer');
  e.principal_id = optionalString(e.principal_id, 'principal_id', LIMITS.shortString, 'longer');
  e.source_ip = optionalString(e.source_ip, 'source_ip', LIMITS.shortString, 'longer');
  e.user_agent = optionalString(e.user_agent, 'user_agent', LIMITS.shortString, 'longer');
  e.error_code = optionalString(e.error_code, 'error_code', LIMITS.shortString, 'longer');
  e.request_id = optionalString(e.request_id, 'request_id', LIMITS.shortString, 'longer');
  e.prompt = optionalString(e.prompt, 'prompt', LIMITS.maxTextBytes, 'larger');
  e.completion = optionalString(e.completion, 'completion', LIMITS.maxTextBytes, 'larger');
  count(e.status_code, 'status_code');
  count(e.input_tokens, 'input_tokens');
  count(e.output_tokens, 'output_tokens');
  count(e.latency_ms, 'latency_ms');
  const status = e.status_code as number;
  if (status < 100 || status > 599) fail('status_code', `must be an HTTP status (100-599), got ${status}`);
  if ((e.input_tokens as number) > LIMITS.maxTokens || (e.output_tokens as number) > LIMITS.maxTokens) fail('input_tokens', `token counts above ${LIMITS.maxTokens} are not plausible`);
  if ((e.latency_ms as number) > LIMITS.maxLatencyMs) fail('latency_ms', 'is longer than a day');
  if (typeof e.source_ip === 'string' && !isIp(e.source_ip)) fail('source_ip', 'is not an IPv4 or IPv6 address');
  return e as unknown as UsageEvent;
}
