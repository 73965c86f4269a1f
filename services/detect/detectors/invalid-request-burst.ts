import { defineConfig } from '../../common/config.js';
import { defineDetector, fixtureEvent, series, type DetectorInstance, type Severity } from '../detector.js';

/**
 * invalid_request_burst: authentication failures (401, 403), invalid requests (400, 404, 422) and rate
 * limiting (429) per API key and per source IP of that key, in a decayed window of event time. A class
 * fires when its count reaches its threshold and failures make up at least `minRatio` of the traffic of
 * the key or of the offending IP (a busy key's scattered errors stay quiet). State exists only while a
 * key has recent failures: the other keys cost nothing here.
 */
export const config = defineConfig('detect.invalid_request_burst', {
  windowMs: { type: 'int', env: 'LLM_AUDIT_BURST_WINDOW_MS', default: 60_000, min: 1_000, description: 'Time constant of the decayed failure counts (about the span a burst is counted over), event time.' },
  authFailures: { type: 'int', env: 'LLM_AUDIT_BURST_AUTH_FAILURES', default: 10, min: 1, description: '401/403 in the window that make a burst: probing with a revoked or stolen key.' },
  invalidRequests: { type: 'int', env: 'LLM_AUDIT_BURST_INVALID_REQUESTS', default: 20, min: 1, description: '400/404/422 in the window that make a burst: a broken client.' },
  rateLimited: { type: 'int', env: 'LLM_AUDIT_BURST_RATE_LIMITED', default: 30, min: 1, description: '429 in the window that make a burst: abuse of quota.' },
  minRatio: { type: 'number', env: 'LLM_AUDIT_BURST_MIN_RATIO', default: 0.3, min: 0, max: 1, description: 'Share of the key\'s (or the IP\'s) requests in the window that must have failed this way.' },
  maxIps: { type: 'int', env: 'LLM_AUDIT_BURST_MAX_IPS', default: 4, min: 0, description: 'Failing source IPs tracked per key (memory bound); the least recent is replaced.' },
});
type Cfg = ReturnType<typeof config.parse>;

const enum C { Auth = 0, Invalid = 1, Rate = 2, Total = 3, Last = 4 }
/** decayed [auth, invalid, rate, total], last event time */
type Counts = [number, number, number, number, number];
interface State {
  k: Counts;
  ip?: Record<string, Counts>;
}

export function classify(status: number): C.Auth | C.Invalid | C.Rate | null {
  if (status === 401 || status === 403) return C.Auth;
  if (status === 400 || status === 404 || status === 422) return C.Invalid;
  if (status === 429) return C.Rate;
  return null;
}

const CLASSES = [
  { kind: 'auth_failures', label: 'authentication failures', meaning: 'probing with a revoked or stolen key', severity: 'high' as Severity, statuses: [401, 403] },
  { kind: 'invalid_requests', label: 'invalid requests', meaning: 'a broken client', severity: 'low' as Severity, statuses: [400, 404, 422] },
  { kind: 'rate_limited', label: 'rate-limited requests', meaning: 'abuse of quota', severity: 'medium' as Severity, statuses: [429] },
];

function create(c: Cfg): DetectorInstance<State> {
  const min = [c.authFailures, c.invalidRequests, c.rateLimited];
  const bump = (s: Counts, t: number, cls: number | null): void => {
    if (t > s[C.Last]) {
      const f = Math.exp(-(t - s[C.Last]) / c.windowMs);
      s[0] *= f;
      s[1] *= f;
      s[2] *= f;
      s[3] *= f;
      s[C.Last] = t;
    }
    const w = t < s[C.Last] ? Math.exp(-(s[C.Last] - t) / c.windowMs) : 1;
    if (cls !== null) s[cls] += w;
    s[C.Total] += w;
  };
  const quiet = (s: Counts, now: number) => {
    const f = Math.exp(-(now - s[C.Last]) / c.windowMs);
    return (s[0] + s[1] + s[2]) * f < 0.5;
  };

  return {
    observe(o, st, emit) {
      if (o.late) return st;
      const cls = classify(o.event.status_code);
      if (!st && cls === null) return undefined;
      const s: State = st ?? { k: [0, 0, 0, 0, o.t] };
      bump(s.k, o.t, cls);
      const ipAddr = o.event.source_ip;
      let ipc: Counts | undefined;
      if (ipAddr && c.maxIps > 0) {
        ipc = s.ip?.[ipAddr];
        if (!ipc && cls !== null) {
          s.ip ??= {};
          const ips = Object.keys(s.ip);
          if (ips.length >= c.maxIps) {
            const oldest = ips.reduce((a, b) => (s.ip![a]![C.Last] <= s.ip![b]![C.Last] ? a : b));
            delete s.ip[oldest];
          }
          ipc = s.ip[ipAddr] = [0, 0, 0, 0, o.t];
        }
        if (ipc) bump(ipc, o.t, cls);
      }
      if (cls === null) return quiet(s.k, o.t) ? undefined : s;

      const n = s.k[cls];
      if (n >= min[cls]!) {
        const keyRatio = n / s.k[C.Total];
        const ipRatio = ipc && ipc[cls] >= min[cls]! ? ipc[cls] / ipc[C.Total] : 0;
        if (keyRatio >= c.minRatio || ipRatio >= c.minRatio) {
          const k = CLASSES[cls]!;
          emit({
            kind: k.kind,
            severity: k.severity,
            score: n,
            message: `Burst of ${k.label} on API key ${o.event.api_key_id}: ~${Math.round(n)} in ${Math.round(c.windowMs / 1000)} s (${Math.round(keyRatio * 100)}% of its requests), likely ${k.meaning}`,
            evidence: {
              class: k.kind,
              classification: k.meaning,
              observed: Math.round(n * 10) / 10,
              threshold: min[cls]!,
              ratio: Math.round(keyRatio * 100) / 100,
              source_ip_ratio: Math.round(ipRatio * 100) / 100,
              min_ratio: c.minRatio,
              window_s: c.windowMs / 1000,
              status_code: o.event.status_code,
              error_code: o.event.error_code,
              failing_source_ips: s.ip ? Object.keys(s.ip).length : 0,
            },
            principal_id: o.event.principal_id,
            source_ip: ipAddr,
            country: o.geo?.country_iso_code ?? null,
          });
        }
      }
      return s;
    },
    expire(s, now) {
      if (s.ip) for (const [ip, ic] of Object.entries(s.ip)) if (quiet(ic, now)) delete s.ip[ip];
      return quiet(s.k, now) ? undefined : s;
    },
  };
}

const T0 = Date.UTC(2026, 0, 5, 9);
const traffic = (key: string) => series(T0, T0 + 1_800_000, 5_000, (t) => fixtureEvent({ occurred_at: t, api_key_id: key }));

export const detector = defineDetector({
  name: 'invalid_request_burst',
  description: 'Bursts of authentication failures, invalid requests or rate limiting per key and source IP, classified.',
  severity: 'high',
  knownGaps: [
    'Per-IP counts are kept within a key: one IP trying many different keys (one or two failures each) is not seen, and keys of one IP may sit on other partitions or instances.',
    'A slow probe (fewer than the threshold per window) never fires; lower the thresholds for keys that should never fail.',
    'The classification is by status class only: a 401 storm from a client with a rotated key looks like probing.',
  ],
  config,
  clearAfterMs: (c) => c.windowMs * 5,
  create,
  fixtures: {
    fires: {
      description: 'A key in steady use, then 40 401s in 30 s from one IP.',
      events: () => [
        ...traffic('key_probed'),
        ...series(T0 + 900_000, T0 + 930_000, 750, (t) => fixtureEvent({ occurred_at: t, api_key_id: 'key_probed', status_code: 401, error_code: 'invalid_api_key', source_ip: '111.0.0.186', input_tokens: 0, output_tokens: 0 })),
      ],
    },
    quiet: {
      description: 'A key in steady use with a 401, a 400 and a 429 every few minutes.',
      events: () =>
        traffic('key_scattered').map((e, i) => (i % 40 === 7 ? { ...e, status_code: [401, 400, 429][i % 3]!, output_tokens: 0 } : e)),
    },
  },
});
