import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsRegistry } from './metrics.js';

export interface Health {
  ok: boolean;
  details?: Record<string, unknown>;
}

export interface OpsOptions {
  /** When set, /metrics answers only `Authorization: Bearer <token>` (for a bind beyond loopback). */
  metricsToken?: string;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time check of `Authorization: Bearer <token>`. */
export function bearerOk(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  return Boolean(m) && timingSafeEqual(digest(m![1]!), digest(token));
}

export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

/**
 * /healthz (200 or 503 with JSON details) and /metrics (Prometheus text) for one service. Loopback by
 * default: metrics name keys, teams and rules, so a wider bind is a decision (and `metricsToken` guards it).
 */
export async function startOpsServer(port: number, metrics: MetricsRegistry, health: () => Health | Promise<Health>, host = '127.0.0.1', opts: OpsOptions = {}): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      if (opts.metricsToken && !bearerOk(req.headers.authorization, opts.metricsToken)) {
        res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
        res.end('bearer token required\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metrics.render());
      return;
    }
    if (path === '/healthz') {
      Promise.resolve(health()).then(
        (h) => {
          res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: h.ok ? 'ok' : 'unhealthy', ...h.details }));
        },
        (err: Error) => {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'unhealthy', error: err.message }));
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
