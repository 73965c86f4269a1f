import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local server that speaks the parts of the Slack Web API the alert service uses: auth.test,
 * chat.postMessage (threads via thread_ts, message metadata), chat.update, conversations.history,
 * conversations.replies and conversations.list. It records every request and can be told to answer
 * the next calls with 429 + Retry-After, HTTP 500, a platform error, or to hang (optionally after
 * applying the call, the case where Slack posted but the client never heard back).
 */
export type Fault =
  | { kind: 'rate_limited'; retryAfterSec: number }
  | { kind: 'http'; status: number }
  | { kind: 'platform'; error: string }
  | { kind: 'hang'; applied?: boolean };

export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  edits: number;
  /** When the fake stored it (epoch ms). */
  at: number;
}

/** Share of calls answered with each fault (the rest succeed); a hung call is applied half of the time. */
export interface RandomFaults {
  rateLimited: number;
  retryAfterSec: number;
  http500: number;
  hang: number;
  /** Deterministic runs: a seeded generator returning 0..1. */
  random?: () => number;
}

export interface RecordedRequest {
  method: string;
  args: Record<string, unknown>;
  authorization?: string;
  /** HTTP status answered, or 'hung'. */
  outcome: number | 'hung';
  at: number;
}

const JSON_ARGS = new Set(['blocks', 'attachments', 'metadata']);

export class FakeSlack {
  readonly requests: RecordedRequest[] = [];
  readonly messages: FakeMessage[] = [];
  private readonly channels = new Map<string, string>(); // name (no #) -> id
  private readonly faults: { fault: Fault; method?: string; channel?: string }[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly hung = new Set<ServerResponse>();
  private server?: Server;
  private seq = 0;
  /** Channels that answer channel_not_found (everything else is created on first use). */
  readonly missingChannels = new Set<string>();

  constructor(readonly token = 'xoxb-test-token') {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  /** Faults drawn at random for every call not given a scripted fault (benchmarks). Undefined: none. */
  randomFaults?: RandomFaults;

  /** The next `n` calls (of `method`, or any; to `channel`, or any) get `fault`. */
  failNext(n: number, fault: Fault, method?: string, channel?: string): void {
    for (let i = 0; i < n; i++) this.faults.push({ fault, method, channel });
  }

  channelId(name: string): string {
    const n = name.replace(/^#/, '');
    let id = this.channels.get(n);
    if (!id) this.channels.set(n, (id = `C${String(this.channels.size + 1).padStart(8, '0')}`));
    return id;
  }

  channelName(id: string): string | undefined {
    for (const [n, i] of this.channels) if (i === id) return `#${n}`;
    return undefined;
  }

  /** Top-level messages of a channel (name or id), oldest first. */
  topLevel(channel?: string): FakeMessage[] {
    const id = channel ? this.resolve(channel) : undefined;
    return this.messages.filter((m) => (!id || m.channel === id) && !m.thread_ts);
  }

  replies(ts: string): FakeMessage[] {
    return this.messages.filter((m) => m.thread_ts === ts);
  }

  /** Successful calls of one method, in order. */
  calls(method: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.outcome === 200);
  }

  private resolve(channel: string): string | undefined {
    if (/^[CGD][A-Z0-9]{6,}$/.test(channel)) return [...this.channels.values()].includes(channel) ? channel : undefined;
    const n = channel.replace(/^#/, '');
    if (this.missingChannels.has(`#${n}`)) return undefined;
    return this.channelId(n);
  }

  private nextTs(): string {
    this.seq++;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
    const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const args: Record<string, unknown> = {};
    for (const [k, v] of params) args[k] = JSON_ARGS.has(k) ? JSON.parse(v) : v;
    const rec: RecordedRequest = { method, args, authorization: req.headers.authorization, outcome: 200, at: Date.now() };
    this.requests.push(rec);

    const i = this.faults.findIndex((f) => (!f.method || f.method === method) && (!f.channel || this.resolve(f.channel) === this.resolve(String(args.channel ?? ''))));
    const fault = i >= 0 ? this.faults.splice(i, 1)[0]!.fault : method === 'auth.test' ? undefined : this.drawFault();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      rec.outcome = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (fault?.kind === 'rate_limited') return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfterSec) });
    if (fault?.kind === 'http') return send(fault.status, { ok: false, error: 'fake_http_error' });
    if (fault?.kind === 'platform') return send(200, { ok: false, error: fault.error });
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(200, { ok: false, error: 'invalid_auth' });
    const result = this.apply(method, args);
    if (fault?.kind === 'hang') {
      if (!fault.applied) this.undo(result);
      rec.outcome = 'hung';
      this.hung.add(res);
      return;
    }
    send(200, result);
  }

  private drawFault(): Fault | undefined {
    const f = this.randomFaults;
    if (!f) return undefined;
    const rnd = f.random ?? Math.random;
    const x = rnd();
    if (x < f.rateLimited) return { kind: 'rate_limited', retryAfterSec: f.retryAfterSec };
    if (x < f.rateLimited + f.http500) return { kind: 'http', status: 500 };
    if (x < f.rateLimited + f.http500 + f.hang) return { kind: 'hang', applied: rnd() < 0.5 };
    return undefined;
  }

  private undo(result: Record<string, unknown>): void {
    if (result.ok && typeof result.ts === 'string' && result.message) {
      const i = this.messages.findIndex((m) => m.ts === result.ts);
      if (i >= 0) this.messages.splice(i, 1);
    }
  }

  private apply(method: string, a: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'llm-audit', team_id: 'T0000001', user_id: 'U0000BOT', bot_id: 'B0000001' };
      case 'chat.postMessage': {
        const channel = this.resolve(String(a.channel ?? ''));
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!a.text && !a.blocks) return { ok: false, error: 'no_text' };
        const thread = a.thread_ts ? String(a.thread_ts) : undefined;
        if (thread && !this.messages.some((m) => m.ts === thread && m.channel === channel)) return { ok: false, error: 'thread_not_found' };
        const m: FakeMessage = { channel, ts: this.nextTs(), text: String(a.text ?? ''), blocks: a.blocks as unknown[] | undefined, thread_ts: thread, metadata: a.metadata as FakeMessage['metadata'], edits: 0, at: Date.now() };
        this.messages.push(m);
        return { ok: true, channel, ts: m.ts, message: { type: 'message', text: m.text, ts: m.ts } };
      }
      case 'chat.update': {
        const channel = this.resolve(String(a.channel ?? ''));
        const m = this.messages.find((x) => x.ts === a.ts && x.channel === channel);
        if (!m) return { ok: false, error: 'message_not_found' };
        m.text = String(a.text ?? m.text);
        if (a.blocks) m.blocks = a.blocks as unknown[];
        m.edits++;
        return { ok: true, channel, ts: m.ts, text: m.text };
      }
      case 'conversations.list':
        return { ok: true, channels: [...this.channels].map(([name, id]) => ({ id, name })), response_metadata: { next_cursor: '' } };
      case 'conversations.history':
      case 'conversations.replies': {
        const channel = this.resolve(String(a.channel ?? ''));
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const oldest = Number(a.oldest ?? 0);
        const meta = a.include_all_metadata === 'true';
        const list = this.messages.filter((m) => m.channel === channel && Number(m.ts) >= oldest && (method === 'conversations.history' ? !m.thread_ts : m.ts === a.ts || m.thread_ts === a.ts));
        const out = (method === 'conversations.history' ? [...list].reverse() : list).map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}), ...(meta && m.metadata ? { metadata: m.metadata } : {}) }));
        return { ok: true, messages: out, has_more: false };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
