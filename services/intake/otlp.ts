import { InvalidInputError } from '../common/errors.js';
import { ExportLogsServiceRequest, ExportTraceServiceRequest } from './otlp-proto.js';

/**
 * OTLP trace and log export requests, protobuf or JSON, decoded into one small shape the GenAI
 * mapping reads. protobufjs does the wire decoding; this file only reconciles the two encodings
 * (protobuf: bytes ids and Long times; OTLP/JSON: hex ids, decimal-string times, lowerCamelCase).
 */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [k: string]: AttrValue };
export type Attrs = Record<string, AttrValue>;

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  name: string;
  startMs: number;
  endMs: number;
  attrs: Attrs;
  events: { name: string; attrs: Attrs }[];
  /** 0 unset, 1 ok, 2 error */
  statusCode: number;
  statusMessage: string;
}

export interface OtlpLog {
  traceId: string;
  spanId: string;
  timeMs: number;
  eventName: string;
  attrs: Attrs;
  body: AttrValue;
}

export interface ResourceGroup<T> {
  resource: Attrs;
  scope: string;
  items: T[];
}

export type Encoding = 'protobuf' | 'json';

/** Limits on what one request may hold, so one hostile payload stays cheap. */
export const OTLP_LIMITS = { maxDepth: 16, maxItemsPerRequest: 100_000 };

type Raw = Record<string, unknown>;

function hexId(v: unknown): string {
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  if (typeof v === 'string') return v.toLowerCase();
  return '';
}

/** Epoch nanoseconds (protobuf Long, JSON string or number) to epoch milliseconds. */
export function nanosToMs(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return Math.floor(v / 1e6);
  if (typeof v === 'string') {
    if (!/^\d{1,20}$/.test(v)) throw new InvalidInputError('bad_payload', `time ${JSON.stringify(v.slice(0, 40))} is not unsigned nanoseconds`);
    return Number(BigInt(v) / 1_000_000n);
  }
  const l = v as { high?: number; low?: number };
  // exact: epoch nanoseconds exceed 2^53, and float division can land a millisecond short
  if (typeof l.high === 'number' && typeof l.low === 'number') return Number(((BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0)) / 1_000_000n);
  throw new InvalidInputError('bad_payload', 'time is not a number');
}

function int64(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  const l = v as { high?: number; low?: number };
  if (l && typeof l.high === 'number' && typeof l.low === 'number') return l.high * 4294967296 + (l.low >>> 0);
  return NaN;
}

const VALUE_KEYS = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] as const;

export function anyValue(v: unknown, depth = 0): AttrValue {
  if (v === null || typeof v !== 'object') return null;
  if (depth > OTLP_LIMITS.maxDepth) throw new InvalidInputError('bad_payload', `attribute values nest deeper than ${OTLP_LIMITS.maxDepth}`);
  const o = v as Raw;
  // the member that is set, in protobuf (decoded fields are own properties; the prototype holds defaults) and JSON alike
  let k: (typeof VALUE_KEYS)[number] | undefined;
  for (const key of VALUE_KEYS) {
    if (Object.prototype.hasOwnProperty.call(o, key) && o[key] !== null) {
      k = key;
      break;
    }
  }
  switch (k) {
    case 'stringValue': return typeof o.stringValue === 'string' ? o.stringValue : String(o.stringValue);
    case 'boolValue': return o.boolValue === true || o.boolValue === 'true';
    case 'intValue': return int64(o.intValue);
    case 'doubleValue': return Number(o.doubleValue);
    case 'bytesValue': return o.bytesValue instanceof Uint8Array ? Buffer.from(o.bytesValue).toString('base64') : String(o.bytesValue);
    case 'arrayValue': return (((o.arrayValue as Raw | undefined)?.values as unknown[]) ?? []).map((x) => anyValue(x, depth + 1));
    case 'kvlistValue': return attrs((o.kvlistValue as Raw | undefined)?.values, depth + 1);
    default: return null;
  }
}

export function attrs(list: unknown, depth = 0): Attrs {
  const out: Attrs = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list as Raw[]) {
    if (!kv || typeof kv.key !== 'string') continue;
    out[kv.key] = anyValue(kv.value, depth);
  }
  return out;
}

function arr(v: unknown, what: string): Raw[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InvalidInputError('bad_payload', `${what} must be an array`);
  return v as Raw[];
}

function decodeProto(type: typeof ExportTraceServiceRequest, body: Buffer): Raw {
  try {
    return type.decode(body) as unknown as Raw;
  } catch (err) {
    throw new InvalidInputError('bad_payload', `body is not a valid ${type.name} protobuf: ${(err as Error).message}`, err);
  }
}

function decodeJson(body: Buffer, what: string): Raw {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new InvalidInputError('bad_payload', `body is not JSON: ${(err as Error).message}`, err);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InvalidInputError('bad_payload', `${what} must be a JSON object`);
  return v as Raw;
}

function checkCount(n: number): void {
  if (n > OTLP_LIMITS.maxItemsPerRequest) throw new InvalidInputError('too_many_items', `request holds more than ${OTLP_LIMITS.maxItemsPerRequest} spans or log records`);
}

export function decodeTraces(body: Buffer, enc: Encoding): ResourceGroup<OtlpSpan>[] {
  const req = enc === 'protobuf' ? decodeProto(ExportTraceServiceRequest, body) : decodeJson(body, 'ExportTraceServiceRequest');
  const out: ResourceGroup<OtlpSpan>[] = [];
  let n = 0;
  for (const rs of arr(req.resourceSpans, 'resourceSpans')) {
    const resource = attrs((rs.resource as Raw | undefined)?.attributes);
    for (const ss of arr(rs.scopeSpans, 'scopeSpans')) {
      const spans = arr(ss.spans, 'spans');
      n += spans.length;
      checkCount(n);
      const items: OtlpSpan[] = spans.map((s) => {
        const status = (s.status as Raw | undefined) ?? {};
        return {
          traceId: hexId(s.traceId),
          spanId: hexId(s.spanId),
          name: typeof s.name === 'string' ? s.name : '',
          startMs: nanosToMs(s.startTimeUnixNano),
          endMs: nanosToMs(s.endTimeUnixNano),
          attrs: attrs(s.attributes),
          events: arr(s.events, 'events').map((e) => ({ name: typeof e.name === 'string' ? e.name : '', attrs: attrs(e.attributes) })),
          statusCode: Number(status.code ?? 0) || (status.code === 'STATUS_CODE_ERROR' ? 2 : 0),
          statusMessage: typeof status.message === 'string' ? status.message : '',
        };
      });
      out.push({ resource, scope: String((ss.scope as Raw | undefined)?.name ?? ''), items });
    }
  }
  return out;
}

export function decodeLogs(body: Buffer, enc: Encoding): ResourceGroup<OtlpLog>[] {
  const req = enc === 'protobuf' ? decodeProto(ExportLogsServiceRequest, body) : decodeJson(body, 'ExportLogsServiceRequest');
  const out: ResourceGroup<OtlpLog>[] = [];
  let n = 0;
  for (const rl of arr(req.resourceLogs, 'resourceLogs')) {
    const resource = attrs((rl.resource as Raw | undefined)?.attributes);
    for (const sl of arr(rl.scopeLogs, 'scopeLogs')) {
      const records = arr(sl.logRecords, 'logRecords');
      n += records.length;
      checkCount(n);
      const items: OtlpLog[] = records.map((r) => {
        const a = attrs(r.attributes);
        const eventName = (typeof r.eventName === 'string' && r.eventName) || (typeof a['event.name'] === 'string' ? (a['event.name'] as string) : '');
        return { traceId: hexId(r.traceId), spanId: hexId(r.spanId), timeMs: nanosToMs(r.timeUnixNano), eventName, attrs: a, body: anyValue(r.body) };
      });
      out.push({ resource, scope: String((sl.scope as Raw | undefined)?.name ?? ''), items });
    }
  }
  return out;
}
