import { createHash } from 'node:crypto';
import { InvalidInputError } from '../common/errors.js';
import type { UsageEvent } from '../common/types.js';
import { LIMITS } from '../decode/validate.js';
import { environmentOf, textOf } from './genai.js';
import type { AttrValue } from './otlp.js';

/**
 * LiteLLM's StandardLoggingPayload (what its generic API logger and custom callbacks receive as
 * standard_logging_object) to the usage-event contract. Fields: docs.litellm.ai proxy/logging_spec.
 */
export interface LiteLlmOptions {
  apiKeyField: 'hash' | 'alias';
  defaultEnvironment: UsageEvent['environment'];
  maxContentChars: number;
  sender: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

function uuidFrom(id: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return id.toLowerCase();
  const h = createHash('sha256').update(`litellm:${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function tokens(v: unknown, name: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new InvalidInputError('invalid_tokens', `${name} must be a non-negative integer, got ${JSON.stringify(v)?.slice(0, 40)}`);
  if (v > LIMITS.maxTokens) throw new InvalidInputError('invalid_tokens', `${name} of ${v} is not plausible (limit ${LIMITS.maxTokens})`);
  return v;
}

/** LiteLLM times are epoch seconds (float); tolerate milliseconds. */
function epochMs(v: unknown): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return undefined;
  return Math.round(v < 1e11 ? v * 1000 : v);
}

const OPERATIONS: Record<string, string> = {
  completion: 'chat', acompletion: 'chat', text_completion: 'text_completion', atext_completion: 'text_completion',
  embedding: 'embeddings', aembedding: 'embeddings', image_generation: 'image_generation', aimage_generation: 'image_generation',
  responses: 'responses', aresponses: 'responses', transcription: 'transcription', atranscription: 'transcription',
};

function cap(t: string, max: number): string | null {
  if (!t) return null;
  return t.length > max ? t.slice(0, max) : t;
}

export interface LiteLlmMapped {
  event: UsageEvent;
  cost: number | null;
  team: string | null;
  notes: string[];
}

export function liteLlmToEvent(input: unknown, opts: LiteLlmOptions): LiteLlmMapped {
  const p = obj(input);
  if (Object.keys(p).length === 0) throw new InvalidInputError('invalid_payload', 'LiteLLM payload must be a JSON object');
  const id = s(p.id);
  if (!id) throw new InvalidInputError('invalid_payload', 'LiteLLM payload has no id');
  const model = s(p.model) ?? s(obj(p.hidden_params).litellm_model_name);
  if (!model) throw new InvalidInputError('missing_model', 'LiteLLM payload has no model');
  const md = obj(p.metadata);
  const notes: string[] = [];
  const hash = s(md.user_api_key_hash);
  const alias = s(md.user_api_key_alias);
  let apiKey = opts.apiKeyField === 'alias' ? alias ?? hash : hash ?? alias;
  if (!apiKey) {
    apiKey = `litellm:${opts.sender}`;
    notes.push('missing_api_key');
  }
  const start = epochMs(p.startTime);
  const end = epochMs(p.endTime);
  const failed = p.status === 'failure';
  const errInfo = obj(p.error_information);
  const errCode = s(errInfo.error_code);
  let status = 200;
  if (failed) status = errCode && /^[1-5]\d\d$/.test(errCode) ? Number(errCode) : 500;
  const provider = s(p.custom_llm_provider) ?? s(errInfo.llm_provider) ?? (model.includes('/') ? model.split('/')[0] : undefined) ?? 'litellm';
  const requester = obj(md.requester_metadata);
  const spend = obj(md.spend_logs_metadata);
  const envRaw = s(requester.environment) ?? s(spend.environment) ?? s(requester.env) ?? s(spend.env);
  if (!envRaw) notes.push('missing_environment');
  const ip = s(p.requester_ip_address) ?? s(md.requester_ip_address);
  const validIp = ip && ((/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) && ip.split('.').every((o) => Number(o) <= 255)) || (ip.includes(':') && /^[0-9a-fA-F:.]{2,45}$/.test(ip))) ? ip : null;
  const cost = typeof p.response_cost === 'number' && Number.isFinite(p.response_cost) ? p.response_cost : null;
  const resp = p.response as AttrValue;
  let completion = '';
  const r = obj(resp);
  if (Array.isArray(r.choices)) completion = textOf((r.choices as AttrValue[]).map((c) => (c as Record<string, AttrValue>)?.message ?? (c as Record<string, AttrValue>)?.text ?? null));
  else if (resp !== undefined && resp !== null) completion = textOf(resp);
  const event: UsageEvent = {
    event_id: uuidFrom(id),
    occurred_at: start ?? end ?? Date.now(),
    gateway_id: `litellm:${opts.sender}`.slice(0, LIMITS.idLength),
    environment: environmentOf(envRaw, opts.defaultEnvironment),
    provider: provider.slice(0, LIMITS.idLength),
    operation: (OPERATIONS[s(p.call_type) ?? ''] ?? s(p.call_type) ?? 'unknown').slice(0, LIMITS.idLength),
    model: model.slice(0, LIMITS.idLength),
    model_version: s(p.model_group) && s(p.model_group) !== model ? s(p.model_group)!.slice(0, LIMITS.shortString) : null,
    api_key_id: apiKey.slice(0, LIMITS.idLength),
    principal_id: (s(p.end_user) ?? s(md.user_api_key_user_id))?.slice(0, LIMITS.shortString) ?? null,
    source_ip: validIp,
    user_agent: s(p.user_agent)?.slice(0, LIMITS.shortString) ?? null,
    status_code: status,
    error_code: failed ? (s(errInfo.error_class) ?? errCode ?? s(p.error_str)?.slice(0, 200) ?? 'failure').slice(0, LIMITS.shortString) : null,
    input_tokens: tokens(p.prompt_tokens, 'prompt_tokens'),
    output_tokens: tokens(p.completion_tokens, 'completion_tokens'),
    latency_ms: start !== undefined && end !== undefined && end >= start ? Math.min(end - start, LIMITS.maxLatencyMs) : 0,
    request_id: id.slice(0, LIMITS.shortString),
    prompt: cap(textOf(p.messages as AttrValue), opts.maxContentChars),
    completion: cap(completion, opts.maxContentChars),
  };
  return { event, cost, team: s(md.user_api_key_team_alias) ?? s(md.user_api_key_team_id) ?? null, notes };
}
