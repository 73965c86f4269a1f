import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ConfigError, InvalidInputError, TransientError, errorMessage } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry } from '../common/metrics.js';
import type { IntakeConfig } from './config.js';
import type { Intake, IntakeResult } from './intake.js';
import { decodeLogs, decodeTraces, type Encoding } from './otlp.js';
import { ExportLogsServiceResponse, ExportTraceServiceResponse, RpcStatus } from './otlp-proto.js';

const gunzipAsync = promisify(gunzip);

/** `sender:token` pairs, comma- or newline-separated. Tokens are compared as SHA-256 digests in constant time. */
export function parseTokens(raw: string | undefined): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const item of (raw ?? '').split(/[,\n]/).map((s) => s.trim()).filter(Boolean)) {
    const i = item.indexOf(':');
    if (i <= 0 || i === item.length - 1) throw new ConfigError('intake.senderTokens (LLM_AUDIT_INTAKE_TOKENS): each entry must be sender:token');
    const sender = item.slice(0, i);
    const token = item.slice(i + 1);
    if (token.length < 16) throw new ConfigError(`intake.senderTokens (LLM_AUDIT_INTAKE_TOKENS): the token of sender ${sender} is shorter than 16 characters`);
    out.set(sender, createHash('sha256').update(token).digest());
  }
  return out;
}

/** The configured tokens; a ConfigError when auth is required and there are none. */
export function senderTokens(config: Pick<IntakeConfig, 'senderTokens' | 'authRequired'>): Map<string, Buffer> {
  const tokens = parseTokens(config.senderTokens);
  if (config.authRequired && tokens.size === 0) {
    throw new ConfigError('intake: no sender tokens configured; set LLM_AUDIT_INTAKE_TOKENS (or LLM_AUDIT_INTAKE_TOKENS_FILE) to sender:token pairs, or LLM_AUDIT_INTAKE_AUTH_REQUIRED=false for a local experiment');
  }
  return tokens;
}

export function senderOf(header: string | undefined, tokens: Map<string, Buffer>): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const digest = createHash('sha256').update(m[1]!).digest();
  let found: string | undefined;
  // every entry is compared, so the time taken does not tell which sender matched
  for (const [sender, want] of tokens) if (timingSafeEqual(digest, want) && found === undefined) found = sender;
  return found;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly reason: string) {
    super(message);
  }
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw new HttpError(413, `body of ${declared} bytes is larger than ${max}`, 'body_too_large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) throw new HttpError(413, `body is larger than ${max} bytes`, 'body_too_large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

async function decompress(body: Buffer, encoding: string | undefined, max: number): Promise<Buffer> {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'identity' || enc === '') return body;
  if (enc !== 'gzip') throw new HttpError(415, `content-encoding ${enc} is not supported (gzip or none)`, 'bad_encoding');
  try {
    return await gunzipAsync(body, { maxOutputLength: max });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw new HttpError(413, `gzip body inflates beyond ${max} bytes`, 'gzip_too_large');
    throw new HttpError(400, `gzip body does not inflate: ${errorMessage(err)}`, 'bad_gzip');
  }
}

function encodingOf(req: IncomingMessage): Encoding {
  const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (ct === 'application/x-protobuf' || ct === 'application/protobuf') return 'protobuf';
  if (ct === 'application/json') return 'json';
  throw new HttpError(415, `content-type ${ct || '(none)'} is not supported: application/x-protobuf or application/json`, 'bad_content_type');
}

export interface IntakeServerOptions {
  config: IntakeConfig;
  intake: Intake;
  metrics: MetricsRegistry;
  logger?: Logger;
}

/**
 * OTLP/HTTP (/v1/traces, /v1/logs) and LiteLLM (/litellm) receiver. Answers per the OTLP spec:
 * 200 with partial_success when some items were rejected, 400 for a payload that can't be decoded,
 * 401 for unknown senders, 413/415 for size and type, 503 + Retry-After while Kafka lags or fails.
 */
export async function startIntakeServer(opts: IntakeServerOptions): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const { config, intake, metrics } = opts;
  const tokens = senderTokens(config);
  const count = (path: string, code: number) => metrics.inc('llm_audit_intake_requests_total', 'Intake HTTP requests by path and status code.', { path, code: String(code) });

  const handle = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<number> => {
    let enc: Encoding = 'json';
    try {
      if (req.method !== 'POST') throw new HttpError(405, `${req.method} is not allowed; POST`, 'bad_method');
      let sender = 'anonymous';
      if (config.authRequired || req.headers.authorization) {
        const s = senderOf(req.headers.authorization, tokens);
        if (!s) throw new HttpError(401, 'unknown sender: send Authorization: Bearer <token> of a configured sender', 'unknown_sender');
        sender = s;
      }
      enc = path === '/litellm' ? 'json' : encodingOf(req);
      if (path === '/litellm' && !/^application\/json/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'content-type must be application/json', 'bad_content_type');
      if (intake.saturated) throw new HttpError(503, 'intake is waiting for Kafka; retry later', 'backpressure');
      const raw = await readBody(req, config.maxBodyBytes);
      const body = await decompress(raw, req.headers['content-encoding'] as string | undefined, config.maxDecompressedBytes);
      let result: IntakeResult;
      if (path === '/v1/traces') result = await intake.traces(decodeTraces(body, enc), sender, true);
      else if (path === '/v1/logs') result = intake.logs(decodeLogs(body, enc));
      else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch (err) {
          throw new InvalidInputError('bad_payload', `body is not JSON: ${errorMessage(err)}`);
        }
        result = await intake.litellm(parsed, sender);
      }
      respondOk(res, path, enc, result);
      return 200;
    } catch (err) {
      let status = 500;
      let message = 'internal error';
      let reason = 'internal';
      if (err instanceof HttpError) ({ status, message, reason } = err);
      else if (err instanceof InvalidInputError) [status, message, reason] = [400, err.message, err.reason];
      else if (err instanceof TransientError) [status, message, reason] = [503, err.message, 'kafka_unavailable'];
      else opts.logger?.error({ err: { name: (err as Error).name, message: errorMessage(err) }, path }, 'intake request failed');
      metrics.inc('llm_audit_intake_refused_total', 'Requests refused whole, by reason.', { reason });
      respondError(res, path, enc, status, message, config.retryAfterSeconds);
      return status;
    }
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== '/v1/traces' && path !== '/v1/logs' && path !== '/litellm') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: POST /v1/traces, /v1/logs or /litellm\n');
      count('other', 404);
      return;
    }
    void handle(req, res, path).then((code) => count(path, code));
  });
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeIdleConnections();
    }),
  };
}

function respondOk(res: ServerResponse, path: string, enc: Encoding, r: IntakeResult): void {
  if (path === '/litellm') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted: r.accepted, rejected: r.rejected, errors: r.errors }));
    return;
  }
  const isTraces = path === '/v1/traces';
  const partial = r.rejected > 0 ? { [isTraces ? 'rejectedSpans' : 'rejectedLogRecords']: r.rejected, errorMessage: r.errors.join('; ') } : undefined;
  const payload = partial ? { partialSuccess: partial } : {};
  if (enc === 'protobuf') {
    const T = isTraces ? ExportTraceServiceResponse : ExportLogsServiceResponse;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' });
    res.end(Buffer.from(T.encode(T.fromObject(payload)).finish()));
  } else {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(partial ? { partialSuccess: { ...partial, [isTraces ? 'rejectedSpans' : 'rejectedLogRecords']: String(r.rejected) } } : {}));
  }
}

function respondError(res: ServerResponse, path: string, enc: Encoding, status: number, message: string, retryAfter: number): void {
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503) headers['retry-after'] = String(retryAfter);
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  // the body may not have been read (413, 401, 503): close rather than drain a hostile upload
  headers.connection = 'close';
  // google.rpc.Status codes: 3 INVALID_ARGUMENT, 14 UNAVAILABLE, 16 UNAUTHENTICATED, 8 RESOURCE_EXHAUSTED
  const code = status === 400 || status === 415 ? 3 : status === 401 ? 16 : status === 413 ? 8 : status === 503 || status === 429 ? 14 : 13;
  if (enc === 'protobuf' && path !== '/litellm') {
    res.writeHead(status, { ...headers, 'content-type': 'application/x-protobuf' });
    res.end(Buffer.from(RpcStatus.encode(RpcStatus.fromObject({ code, message })).finish()));
  } else {
    res.writeHead(status, { ...headers, 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, message }));
  }
}
