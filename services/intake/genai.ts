import * as crypto from 'node:crypto';
import { InvalidInputError } from '../common/errors.js';
import type { UsageEvent } from '../common/types.js';
import { LIMITS } from '../decode/validate.js';
import type { AttrValue, Attrs, OtlpLog, OtlpSpan } from './otlp.js';

/**
 * OpenTelemetry GenAI semantic conventions to the usage-event contract. Covers the current names
 * (gen_ai.provider.name, gen_ai.usage.input_tokens, gen_ai.input.messages) and the older ones
 * instrumentations still emit (gen_ai.system, gen_ai.usage.prompt_tokens, gen_ai.prompt, events).
 */

export interface MapOptions {
  apiKeyAttribute: string;
  defaultEnvironment: UsageEvent['environment'];
  maxContentChars: number;
  /** Authenticated sender, used when service.name is missing. */
  sender: string;
}

export interface Content {
  prompt: string[];
  completion: string[];
  /** A completion-side record arrived: nothing more is expected for this span. */
  done: boolean;
}

export function isGenAiSpan(span: OtlpSpan): boolean {
  for (const k in span.attrs) if (k.startsWith('gen_ai.')) return true;
  return false;
}

const CALL_ATTRS = ['gen_ai.request.model', 'gen_ai.response.model', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.usage.prompt_tokens', 'gen_ai.usage.completion_tokens'];

/** A model call, as opposed to the agent and tool spans (invoke_agent, execute_tool) that carry gen_ai.* too but no model or usage. */
export function isModelCall(span: OtlpSpan): boolean {
  return CALL_ATTRS.some((k) => span.attrs[k] !== undefined);
}

/** A stable UUID per span, so an exporter's retry of the same span is the same event (and the same document). */
// crypto.hash (Node 20.12+) is the one-shot form, a third cheaper per span than a Hash object
const sha256Hex: (s: string) => string = typeof crypto.hash === 'function' ? (s) => crypto.hash('sha256', s, 'hex') : (s) => crypto.createHash('sha256').update(s).digest('hex');

export function eventIdFor(traceId: string, spanId: string): string {
  const h = sha256Hex(`${traceId}:${spanId}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// attribute names pick() looks for, in order (hoisted: a literal array per call is garbage per span)
const ERROR_TYPE = ['error.type'];
const HTTP_STATUS = ['http.response.status_code', 'http.status_code'];
const DETAIL_INPUT = ['gen_ai.input.messages', 'gen_ai.system_instructions'];
const DETAIL_OUTPUT = ['gen_ai.output.messages'];
const EVENT_PROMPT = ['content', 'gen_ai.prompt'];
const EVENT_COMPLETION = ['message', 'content', 'gen_ai.completion'];
const SPAN_INPUT = ['gen_ai.input.messages', 'gen_ai.prompt'];
const SPAN_OUTPUT = ['gen_ai.output.messages', 'gen_ai.completion'];
const SERVICE = ['service.name'];
const ENVIRONMENT = ['deployment.environment.name', 'deployment.environment'];
const REQUEST_MODEL = ['gen_ai.request.model'];
const RESPONSE_MODEL = ['gen_ai.response.model'];
const PROVIDER = ['gen_ai.provider.name', 'gen_ai.system'];
const OPERATION = ['gen_ai.operation.name'];
const END_USER = ['enduser.id', 'user.id'];
const USER_AGENT = ['user_agent.original'];
const INPUT_TOKENS = ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'];
const OUTPUT_TOKENS = ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'];
const RESPONSE_ID = ['gen_ai.response.id'];

const str = (v: AttrValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

function pick(names: readonly string[], first: Attrs, second?: Attrs): AttrValue | undefined {
  for (const n of names) {
    const v = first[n];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return second ? pick(names, second) : undefined;
}

export function environmentOf(v: string | undefined, fallback: UsageEvent['environment']): UsageEvent['environment'] {
  const e = (v ?? '').toLowerCase();
  if (/^(prod|production|prd|live)$/.test(e)) return 'prod';
  if (/^(staging|stage|stg|preprod|pre-prod|uat|qa)$/.test(e)) return 'staging';
  if (/^(dev|development|test|testing|local|sandbox)$/.test(e)) return 'dev';
  return fallback;
}

function tokenCount(v: AttrValue | undefined, name: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new InvalidInputError('invalid_tokens', `${name} must be a non-negative integer, got ${JSON.stringify(v).slice(0, 40)}`);
  if (n > LIMITS.maxTokens) throw new InvalidInputError('invalid_tokens', `${name} of ${n} is not plausible (limit ${LIMITS.maxTokens})`);
  return n;
}

/** OpenAI-style error class names (error.type) to the HTTP status they stand for. */
const ERROR_STATUS: Record<string, number> = {
  BadRequestError: 400, AuthenticationError: 401, PermissionDeniedError: 403, NotFoundError: 404, ConflictError: 409,
  UnprocessableEntityError: 422, RateLimitError: 429, InternalServerError: 500, APIConnectionError: 599, APIConnectionTimeoutError: 599,
  timeout: 599, rate_limit_exceeded: 429, invalid_api_key: 401, context_length_exceeded: 400,
};

export function statusOf(span: OtlpSpan): { status: number; error: string | null } {
  const a = span.attrs;
  const errorType = str(pick(ERROR_TYPE, a)) ?? null;
  const http = Number(pick(HTTP_STATUS, a));
  if (Number.isInteger(http) && http >= 100 && http <= 599) return { status: http, error: errorType ?? (http >= 400 ? String(http) : null) };
  if (span.statusCode !== 2 && !errorType) return { status: 200, error: null };
  if (errorType && /^[1-5]\d\d$/.test(errorType)) return { status: Number(errorType), error: errorType };
  const known = errorType ? ERROR_STATUS[errorType] ?? ERROR_STATUS[errorType.split('.').pop()!] : undefined;
  return { status: known ?? 500, error: errorType ?? (span.statusMessage.slice(0, 200) || 'error') };
}

/** Text of a message-like value: a string, {content}, {parts:[{content|text}]}, {message:{content}}, arrays of those, or JSON of them. */
export function textOf(v: AttrValue | undefined, depth = 0): string {
  if (v === undefined || v === null || depth > 8) return '';
  if (typeof v === 'string') {
    let i = 0;
    while (i < v.length && v.charCodeAt(i) <= 32) i++;
    const c = v.charCodeAt(i);
    if ((c === 91 /* [ */ || c === 123 /* { */) && depth === 0) {
      try {
        return textOf(JSON.parse(v) as AttrValue, depth + 1);
      } catch {
        return v;
      }
    }
    return v;
  }
  if (typeof v !== 'object') return '';
  if (Array.isArray(v)) return v.map((x) => textOf(x, depth + 1)).filter(Boolean).join('\n');
  for (const k of ['content', 'text', 'parts', 'message', 'messages']) if (v[k] !== undefined) return textOf(v[k], depth + 1);
  return '';
}

const PROMPT_EVENTS = new Set(['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.assistant.message', 'gen_ai.tool.message', 'gen_ai.content.prompt']);
const COMPLETION_EVENTS = new Set(['gen_ai.choice', 'gen_ai.content.completion']);

/** Prompt and completion from a log record or span event, by its event name. */
export function contentOfRecord(name: string, attributes: Attrs, body: AttrValue, into: Content): boolean {
  if (name === 'gen_ai.client.inference.operation.details') {
    into.prompt.push(textOf(pick(DETAIL_INPUT, attributes) ?? (body as Attrs | null)?.['gen_ai.input.messages']));
    into.completion.push(textOf(pick(DETAIL_OUTPUT, attributes) ?? (body as Attrs | null)?.['gen_ai.output.messages']));
    into.done = true;
    return true;
  }
  if (PROMPT_EVENTS.has(name)) {
    into.prompt.push(textOf(body ?? null) || textOf(pick(EVENT_PROMPT, attributes)));
    return true;
  }
  if (COMPLETION_EVENTS.has(name)) {
    into.completion.push(textOf(body ?? null) || textOf(pick(EVENT_COMPLETION, attributes)));
    into.done = true;
    return true;
  }
  return false;
}

export function contentOfLog(log: OtlpLog, into: Content): boolean {
  return contentOfRecord(log.eventName, log.attrs, log.body, into);
}

/** Content carried on the span itself: attributes (current and legacy names) and span events. */
export function spanContent(span: OtlpSpan): Content {
  const c: Content = { prompt: [], completion: [], done: false };
  const a = span.attrs;
  const input = pick(SPAN_INPUT, a);
  const output = pick(SPAN_OUTPUT, a);
  if (input !== undefined) c.prompt.push(textOf(input));
  if (output !== undefined) c.completion.push(textOf(output));
  if (input === undefined) {
    // OpenLLMetry's flattened gen_ai.prompt.0.content, gen_ai.prompt.1.content ...
    for (let i = 0; i < 1000 && a[`gen_ai.prompt.${i}.content`] !== undefined; i++) c.prompt.push(textOf(a[`gen_ai.prompt.${i}.content`]));
  }
  if (output === undefined) for (let i = 0; i < 1000 && a[`gen_ai.completion.${i}.content`] !== undefined; i++) c.completion.push(textOf(a[`gen_ai.completion.${i}.content`]));
  for (const e of span.events) contentOfRecord(e.name, e.attrs, null, c);
  if (c.completion.some(Boolean)) c.done = true;
  return c;
}

function joinText(parts: string[], max: number): string | null {
  const t = parts.filter(Boolean).join('\n');
  if (!t) return null;
  return t.length > max ? t.slice(0, max) : t;
}

export interface Mapped {
  event: UsageEvent;
  /** Counted notes: attributes that were missing and defaulted. */
  notes: string[];
}

/** One GenAI span to one usage event; InvalidInputError (counted, reported as rejected) when it can never be one. */
export function spanToEvent(span: OtlpSpan, resource: Attrs, content: Content, opts: MapOptions): Mapped {
  const a = span.attrs;
  const notes: string[] = [];
  if (!/^[0-9a-f]{32}$/.test(span.traceId) || !/^[0-9a-f]{16}$/.test(span.spanId)) throw new InvalidInputError('bad_ids', 'span has no valid trace id and span id');
  const service = str(pick(SERVICE, resource)) ?? opts.sender;
  let apiKey = str(pick([opts.apiKeyAttribute], a, resource));
  if (!apiKey) {
    apiKey = `service:${service}`;
    notes.push('missing_api_key');
  }
  const envRaw = str(pick(ENVIRONMENT, resource, a));
  const environment = environmentOf(envRaw, opts.defaultEnvironment);
  if (!envRaw) notes.push('missing_environment');
  const requestModel = str(pick(REQUEST_MODEL, a));
  const responseModel = str(pick(RESPONSE_MODEL, a));
  const model = requestModel ?? responseModel;
  if (!model) throw new InvalidInputError('missing_model', 'GenAI span has neither gen_ai.request.model nor gen_ai.response.model');
  const { status, error } = statusOf(span);
  const latency = span.endMs >= span.startMs && span.startMs > 0 ? span.endMs - span.startMs : 0;
  const event: UsageEvent = {
    event_id: eventIdFor(span.traceId, span.spanId),
    occurred_at: span.startMs || span.endMs,
    gateway_id: service.slice(0, LIMITS.idLength),
    environment,
    provider: (str(pick(PROVIDER, a)) ?? 'unknown').slice(0, LIMITS.idLength),
    operation: (str(pick(OPERATION, a)) ?? 'unknown').slice(0, LIMITS.idLength),
    model: model.slice(0, LIMITS.idLength),
    model_version: responseModel && responseModel !== model ? responseModel.slice(0, LIMITS.shortString) : null,
    api_key_id: apiKey.slice(0, LIMITS.idLength),
    principal_id: str(pick(END_USER, a, resource))?.slice(0, LIMITS.shortString) ?? null,
    source_ip: null,
    user_agent: str(pick(USER_AGENT, a))?.slice(0, LIMITS.shortString) ?? null,
    status_code: status,
    error_code: error?.slice(0, LIMITS.shortString) ?? null,
    input_tokens: tokenCount(pick(INPUT_TOKENS, a), 'gen_ai.usage.input_tokens'),
    output_tokens: tokenCount(pick(OUTPUT_TOKENS, a), 'gen_ai.usage.output_tokens'),
    latency_ms: Math.min(latency, LIMITS.maxLatencyMs),
    request_id: str(pick(RESPONSE_ID, a))?.slice(0, LIMITS.shortString) ?? null,
    prompt: joinText(content.prompt, opts.maxContentChars),
    completion: joinText(content.completion, opts.maxContentChars),
  };
  return { event, notes };
}
