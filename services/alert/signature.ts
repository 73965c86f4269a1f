import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureVerdict = { ok: true } | { ok: false; status: 400 | 401; reason: string };

export function slackSignature(secret: string, timestamp: string | number, rawBody: string | Buffer): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

/**
 * Slack's request signing: `v0=` HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret.
 * The timestamp must be within `maxAgeSec` of now either way (a replayed request is old), and the
 * comparison is constant-time. Missing or malformed headers are 400, a wrong or stale signature 401.
 */
export function verifySlackSignature(secret: string, headers: { timestamp?: string | string[]; signature?: string | string[] }, rawBody: Buffer, nowMs: number, maxAgeSec = 300): SignatureVerdict {
  const ts = headers.timestamp;
  const sig = headers.signature;
  if (typeof ts !== 'string' || !/^\d{1,12}$/.test(ts)) return { ok: false, status: 400, reason: 'missing or malformed X-Slack-Request-Timestamp' };
  if (typeof sig !== 'string' || !/^v0=[0-9a-f]{64}$/.test(sig)) return { ok: false, status: 400, reason: 'missing or malformed X-Slack-Signature' };
  if (Math.abs(nowMs / 1000 - Number(ts)) > maxAgeSec) return { ok: false, status: 401, reason: 'timestamp outside the allowed window (replay?)' };
  const expected = Buffer.from(slackSignature(secret, ts, rawBody));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, status: 401, reason: 'signature mismatch' };
  return { ok: true };
}

/**
 * Slack's timestamp window alone lets a captured request be replayed for five minutes. Each accepted
 * signature is remembered until its timestamp leaves the window; the same signature again is refused.
 * Memory only, per instance (one interaction endpoint per Slack app; see docs/operators/alert-delivery.md).
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  constructor(private readonly maxEntries = 100_000) {}

  /** true when the signature is new (and is now remembered); false for a replay. */
  accept(signature: string, timestamp: string, nowMs: number, maxAgeSec: number): boolean {
    for (const [sig, until] of this.seen) {
      if (until > nowMs && this.seen.size <= this.maxEntries) break;
      this.seen.delete(sig);
    }
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, (Number(timestamp) + maxAgeSec) * 1000);
    return true;
  }
}
