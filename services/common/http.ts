import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsRegistry } from './metrics.js';

export interface Health {
  ok: boolean;
  details?: Record<string, unknown>;
}

/** /healthz (200 or 503 with JSON details) and /metrics (Prometheus text) for one service. */
export async function startOpsServer(port: number, metrics: MetricsRegistry, health: () => Health | Promise<Health>, host = '127.0.0.1'): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
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
