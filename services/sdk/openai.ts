import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../common/errors.js';
import type { UsageEvent } from '../common/types.js';
import { LIMITS } from '../decode/validate.js';
import type { UsageSink } from './emitter.js';

/*
 * Instrumentation for the official `openai` Node client (v5), by structure only: this module never
 * imports `openai`, so the SDK runs without it installed.
 */

type Obj = Record<string, unknown>;
type CreateFn = (body: Obj, options?: unknown) => unknown;
interface Creatable {
  create: CreateFn;
}
interface ResponseLike {
  status?: number;
  headers?: { get(name: string): string | null };
}
/** The shape of openai's APIPromise we rely on; `_thenUnwrap` keeps `.withResponse()` working for callers. */
interface APIPromiseLike extends PromiseLike<unknown> {
  _thenUnwrap?: (fn: (data: unknown, props?: { response?: ResponseLike }) => unknown) => APIPromiseLike;
}
interface StreamLike {
  iterator: () => AsyncIterator<unknown>;
}

export interface InstrumentOptions {
  /** Key identifier or fingerprint, never the secret itself. */
  apiKeyId: string;
  gatewayId: string;
  environment: UsageEvent['environment'];
  /** Fixed principal, or derived per call; default: the request's `user` or `safety_identifier`. */
  principalId?: string | null | ((body: Obj) => string | null | undefined);
  /** Default: azure_openai for an AzureOpenAI client, else openai. */
  provider?: string;
  sourceIp?: string | null;
  /** Default: the client's own user agent (e.g. "OpenAI/JS 5.23.2"). */
  userAgent?: string | null;
  /** Put prompt and completion text on the event (the pipeline tokenizes it). Off by default. */
  captureText?: boolean;
  /** An event that could not be handed to the emitter; the API call itself is never affected. */
  onError?: (err: unknown) => void;
}

/** Status recorded when no HTTP response came back (connection refused, timeout): nginx's 599 convention. */
export const NO_RESPONSE_STATUS = 599;
/** Status recorded when the caller aborted the request: nginx's 499. */
export const CLIENT_ABORT_STATUS = 499;

const INSTRUMENTED = Symbol.for('llm-audit.instrumented');

const OPERATIONS: { operation: string; path: string[] }[] = [
  { operation: 'chat.completions', path: ['chat', 'completions'] },
  { operation: 'responses', path: ['responses'] },
  { operation: 'embeddings', path: ['embeddings'] },
];

/**
 * Wraps `chat.completions.create`, `responses.create` and `embeddings.create` of an OpenAI client so
 * that each call hands one usage event to `sink` (an UsageEmitter). Returns the same client.
 * Streams emit when the caller has read them to the end (or stopped reading).
 */
export function instrumentOpenAI<T extends object>(client: T, sink: UsageSink, opts: InstrumentOptions): T {
  const c = client as unknown as Obj;
  const provider = opts.provider ?? (c.constructor?.name === 'AzureOpenAI' || typeof c.apiVersion === 'string' ? 'azure_openai' : 'openai');
  let userAgent = opts.userAgent;
  if (userAgent === undefined) {
    try {
      userAgent = typeof c.getUserAgent === 'function' ? String((c.getUserAgent as () => unknown).call(client)) : null;
    } catch {
      userAgent = null;
    }
  }
  for (const { operation, path } of OPERATIONS) {
    let target: unknown = client;
    for (const p of path) target = (target as Obj | undefined)?.[p];
    const resource = target as (Creatable & { [INSTRUMENTED]?: boolean }) | undefined;
    if (!resource || typeof resource.create !== 'function' || resource[INSTRUMENTED]) continue;
    const original = resource.create;
    resource.create = function instrumentedCreate(this: unknown, body: Obj, options?: unknown) {
      const call = new Call(operation, body ?? {}, { ...opts, provider, userAgent: userAgent ?? null }, sink);
      let p: unknown;
      try {
        p = original.call(resource, body, options);
      } catch (err) {
        call.failed(err);
        throw err;
      }
      const ap = p as APIPromiseLike;
      if (ap && typeof ap._thenUnwrap === 'function') {
        const out = ap._thenUnwrap((data, props) => call.succeeded(data, props?.response));
        out.then(undefined, (err) => call.failed(err));
        return out;
      }
      return Promise.resolve(p).then(
        (data) => call.succeeded(data, undefined),
        (err) => {
          call.failed(err);
          throw err;
        },
      );
    };
    Object.defineProperty(resource, INSTRUMENTED, { value: true });
  }
  return client;
}

const asObj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null ? (v as Obj) : undefined);
const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : 0);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const clip = (s: string | null, n: number): string | null => (s === null || s.length <= n ? s : s.slice(0, n));

/** Text of a message `content`: a string, or text parts of a multi-part content (images etc. are left out). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        const p = asObj(part);
        return typeof p?.text === 'string' ? p.text : typeof part === 'string' ? part : '';
      })
      .filter(Boolean)
      .join('\n');
  }
  return '';
}

export function promptText(operation: string, body: Obj): string | null {
  if (operation === 'chat.completions' && Array.isArray(body.messages)) {
    return body.messages.map((m) => `${String(asObj(m)?.role ?? 'user')}: ${contentText(asObj(m)?.content)}`).join('\n') || null;
  }
  if (operation === 'responses') {
    const parts: string[] = [];
    if (typeof body.instructions === 'string') parts.push(`system: ${body.instructions}`);
    if (typeof body.input === 'string') parts.push(`user: ${body.input}`);
    else if (Array.isArray(body.input)) {
      for (const item of body.input) {
        const it = asObj(item);
        const text = contentText(it?.content ?? it?.output);
        if (text) parts.push(`${String(it?.role ?? it?.type ?? 'user')}: ${text}`);
      }
    }
    return parts.join('\n') || null;
  }
  if (operation === 'embeddings') {
    if (typeof body.input === 'string') return body.input;
    if (Array.isArray(body.input)) return body.input.filter((x): x is string => typeof x === 'string').join('\n') || null;
  }
  return null;
}

export function completionText(operation: string, data: Obj): string | null {
  if (operation === 'chat.completions' && Array.isArray(data.choices)) {
    return data.choices.map((ch) => contentText(asObj(asObj(ch)?.message)?.content)).filter(Boolean).join('\n') || null;
  }
  if (operation === 'responses') {
    if (typeof data.output_text === 'string' && data.output_text) return data.output_text;
    if (Array.isArray(data.output)) return data.output.map((o) => contentText(asObj(o)?.content)).filter(Boolean).join('\n') || null;
  }
  return null;
}

function usageTokens(usage: unknown): { input: number; output: number } {
  const u = asObj(usage);
  if (!u) return { input: 0, output: 0 };
  // chat and embeddings say prompt/completion, the Responses API says input/output
  return { input: int(u.prompt_tokens ?? u.input_tokens), output: int(u.completion_tokens ?? u.output_tokens) };
}

/** One API call on its way to becoming one usage event; emits at most once. */
class Call {
  private readonly startedAt = Date.now();
  private readonly t0 = performance.now();
  private done = false;

  constructor(
    private readonly operation: string,
    private readonly body: Obj,
    private readonly opts: InstrumentOptions & { provider: string; userAgent: string | null },
    private readonly sink: UsageSink,
  ) {}

  succeeded(data: unknown, response: ResponseLike | undefined): unknown {
    try {
      const d = asObj(data) ?? {};
      const requestId = str(response?.headers?.get('x-request-id')) ?? str(d._request_id);
      const status = typeof response?.status === 'number' ? response.status : 200;
      if (this.body.stream === true && typeof (data as StreamLike | undefined)?.iterator === 'function') {
        this.observeStream(data as StreamLike, status, requestId);
        return data;
      }
      const tokens = usageTokens(d.usage);
      this.emit({ status, requestId, served: str(d.model), input: tokens.input, output: tokens.output, completion: this.opts.captureText ? completionText(this.operation, d) : null });
    } catch (err) {
      this.opts.onError?.(err);
    }
    return data;
  }

  failed(err: unknown): void {
    const e = (asObj(err) ?? {}) as Obj;
    const name = err instanceof Error ? err.constructor.name : '';
    let status = typeof e.status === 'number' ? e.status : NO_RESPONSE_STATUS;
    let code = str(e.code) ?? str(e.type);
    if (name === 'APIUserAbortError') {
      status = CLIENT_ABORT_STATUS;
      code ??= 'client_aborted';
    } else if (status === NO_RESPONSE_STATUS) code ??= name === 'APIConnectionTimeoutError' ? 'timeout' : 'connection_error';
    this.emit({ status, code, requestId: str(e.requestID), served: null, input: 0, output: 0, completion: null });
  }

  /** Passes every chunk through untouched; emits when the stream ends, fails or is abandoned. */
  private observeStream(stream: StreamLike, status: number, requestId: string | null): void {
    const original = stream.iterator.bind(stream);
    const call = this;
    stream.iterator = async function* observed() {
      let served: string | null = null;
      let tokens = { input: 0, output: 0 };
      const text: string[] = [];
      let failure: unknown;
      try {
        const it = original();
        for (let r = await it.next(); !r.done; r = await it.next()) {
          const chunk = asObj(r.value) ?? {};
          // chat chunks carry usage on the last chunk (stream_options.include_usage); responses on response.completed
          const rsp = asObj(chunk.response);
          served = str(chunk.model) ?? str(rsp?.model) ?? served;
          if (chunk.usage || rsp?.usage) tokens = usageTokens(chunk.usage ?? rsp?.usage);
          if (call.opts.captureText) {
            const delta = asObj(asObj(Array.isArray(chunk.choices) ? chunk.choices[0] : undefined)?.delta)?.content;
            if (typeof delta === 'string') text.push(delta);
            else if (chunk.type === 'response.output_text.delta' && typeof chunk.delta === 'string') text.push(chunk.delta);
          }
          yield r.value;
        }
      } catch (err) {
        failure = err;
        throw err;
      } finally {
        if (failure !== undefined) call.failed(failure);
        else call.emit({ status, requestId, served, input: tokens.input, output: tokens.output, completion: text.length ? text.join('') : null });
      }
    };
  }

  emit(r: { status: number; code?: string | null; requestId: string | null; served: string | null; input: number; output: number; completion: string | null }): void {
    if (this.done) return;
    this.done = true;
    const o = this.opts;
    let principal: string | null | undefined;
    try {
      principal = typeof o.principalId === 'function' ? o.principalId(this.body) : o.principalId;
    } catch (err) {
      o.onError?.(err);
    }
    if (principal === undefined) principal = str(this.body.user) ?? str(this.body.safety_identifier);
    const event: UsageEvent = {
      event_id: randomUUID(),
      occurred_at: this.startedAt,
      gateway_id: o.gatewayId,
      environment: o.environment,
      provider: o.provider,
      operation: this.operation,
      model: clip(str(this.body.model), LIMITS.idLength) ?? 'unknown',
      model_version: clip(r.served, LIMITS.shortString),
      api_key_id: o.apiKeyId,
      principal_id: clip(principal ?? null, LIMITS.shortString),
      source_ip: o.sourceIp ?? null,
      user_agent: clip(o.userAgent, LIMITS.shortString),
      status_code: r.status,
      error_code: clip(r.code ?? null, LIMITS.shortString),
      input_tokens: Math.min(r.input, LIMITS.maxTokens),
      output_tokens: Math.min(r.output, LIMITS.maxTokens),
      latency_ms: Math.min(Math.round(performance.now() - this.t0), LIMITS.maxLatencyMs),
      request_id: clip(r.requestId, LIMITS.shortString),
      prompt: o.captureText ? clip(promptText(this.operation, this.body), LIMITS.maxTextBytes) : null,
      completion: o.captureText ? clip(r.completion, LIMITS.maxTextBytes) : null,
    };
    try {
      this.sink.emit(event).catch((err) => o.onError?.(err));
    } catch (err) {
      o.onError?.(new Error(`usage event for ${this.operation} rejected: ${errorMessage(err)}`, { cause: err }));
    }
  }
}
