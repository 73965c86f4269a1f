import * as crypto from 'node:crypto';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { defineConfig } from '../../common/config.js';
import { defineDetector, fixtureEvent, hash32, series, spliceNumbers, type DetectorInstance } from '../detector.js';

/**
 * duplicate_requests: the same request seen again and again from one key in a short window: a replay
 * (captured requests sent again) or a runaway retry loop. "The same" is the same request id, or the same
 * prompt fingerprint: an HMAC of the prompt (as the detect stage sees it, after tokenization), never the text.
 *
 * Per key a handful of slots count the most repeated items (Space-Saving heavy hitters: an item that makes
 * up more than 1/slots of a key's recent calls is always held, and a count is never overstated by more
 * than its recorded error), so memory is bounded however many distinct requests a key makes.
 */
export const config = defineConfig('detect.duplicate_requests', {
  minCopies: { type: 'int', env: 'LLM_AUDIT_DUPLICATE_MIN_COPIES', default: 5, min: 2, description: 'Copies of one request (same request id or prompt fingerprint) that make a replay: 2-3 retries of a failed call stay under it.' },
  windowMs: { type: 'int', env: 'LLM_AUDIT_DUPLICATE_WINDOW_MS', default: 120_000, min: 1_000, description: 'A request not seen again for this long (event time) starts its count afresh.' },
  slots: { type: 'int', env: 'LLM_AUDIT_DUPLICATE_SLOTS', default: 4, min: 1, max: 64, description: 'Repeated items tracked per key (memory bound): an item above 1/slots of the key\'s recent calls is never missed.' },
  minPromptChars: { type: 'int', env: 'LLM_AUDIT_DUPLICATE_MIN_PROMPT_CHARS', default: 32, min: 1, description: 'Prompts shorter than this are not fingerprinted ("hi", "continue" repeat for good reasons).' },
  fingerprintKey: { type: 'string', env: 'LLM_AUDIT_DUPLICATE_FINGERPRINT_KEY', secret: true, default: '', description: 'HMAC key of prompt fingerprints (default: derived from LLM_AUDIT_TOKENIZE_KEYS, else random per process: then fingerprints do not survive a restart).' },
});
type Cfg = ReturnType<typeof config.parse>;

/** [hash, count, err, last] per slot; request ids hash below 2^32, fingerprints at 2^48 and above. */
type State = number[];
const W = 4;
const FP_BASE = 2 ** 48;

/** Prompts up to this many UTF-8 bytes go through the reused buffer; longer ones (rare) through createHmac. */
const HMAC_BUFFER_MAX = 64 * 1024;

/**
 * FP_BASE + the first 6 bytes of HMAC-SHA256(key, text), as createHmac computes it, by RFC 2104's construction:
 * SHA-256 of (key ^ opad) and the SHA-256 of (key ^ ipad) and the text, two one-shot hashes (crypto.hash, Node
 * >= 20.12) over buffers kept between calls, digests as latin1 strings. createHmac's object and key setup per
 * call cost as much as the hashing of a prompt of ~100 characters; this is about half its CPU.
 */
export function hmac48(key: Buffer): (text: string) => number {
  const oneShot = (crypto as unknown as { hash?: (alg: string, data: Buffer, enc: 'latin1') => string }).hash;
  const slow = (text: string) => FP_BASE + createHmac('sha256', key).update(text).digest().readUIntBE(0, 6);
  if (typeof oneShot !== 'function') return slow;
  // a key longer than the block is hashed first, a shorter one padded with zeros
  const k = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(k);
  const ipad = Buffer.from(k.map((b) => b ^ 0x36));
  let inner = Buffer.alloc(1024);
  ipad.copy(inner);
  const outer = Buffer.alloc(96);
  for (let i = 0; i < 64; i++) outer[i] = k[i]! ^ 0x5c;
  return (text) => {
    // UTF-8 is at most 3 bytes per UTF-16 unit (lone surrogates become U+FFFD, as createHmac's update writes them)
    const need = 64 + 3 * text.length;
    if (need > HMAC_BUFFER_MAX) return slow(text);
    if (need > inner.length) {
      inner = Buffer.alloc(Math.min(HMAC_BUFFER_MAX, 2 * need));
      ipad.copy(inner);
    }
    const n = inner.write(text, 64, 'utf8');
    outer.write(oneShot('sha256', inner.subarray(0, 64 + n), 'latin1'), 64, 'latin1');
    const d = oneShot('sha256', outer, 'latin1');
    return FP_BASE + (d.charCodeAt(0) * 65_536 + d.charCodeAt(1) * 256 + d.charCodeAt(2)) * 16_777_216 + (d.charCodeAt(3) * 65_536 + d.charCodeAt(4) * 256 + d.charCodeAt(5));
  };
}

function create(c: Cfg, ctx: { env?: NodeJS.ProcessEnv }): DetectorInstance<State> {
  const shared = ctx.env?.LLM_AUDIT_TOKENIZE_KEYS;
  const key = c.fingerprintKey ? Buffer.from(c.fingerprintKey) : shared ? createHash('sha256').update(`llm-audit duplicate_requests\n${shared}`).digest() : randomBytes(32);
  const fingerprint = hmac48(key);

  /** The guaranteed count (count - err) of the item count() last counted (no object per call). */
  let copies = 0;
  /** Counts item h at t; returns the state (a new array when it grew) and sets `copies`. */
  const count = (s: State, h: number, t: number): State => {
    let empty = -1;
    let min = -1;
    for (let i = 0; i < s.length; i += W) {
      if (s[i] === h && t - s[i + 3]! <= c.windowMs) {
        s[i + 1] = s[i + 1]! + 1;
        if (t > s[i + 3]!) s[i + 3] = t;
        copies = s[i + 1]! - s[i + 2]!;
        return s;
      }
      if (t - s[i + 3]! > c.windowMs || s[i] === h) {
        if (empty < 0) empty = i;
      } else if (min < 0 || s[i + 1]! < s[min + 1]!) min = i;
    }
    if (empty >= 0) {
      s[empty] = h;
      s[empty + 1] = 1;
      s[empty + 2] = 0;
      s[empty + 3] = t;
    } else if (s.length < c.slots * W) {
      s = spliceNumbers(s, s.length, [h, 1, 0, t]);
    } else {
      // the least counted item makes way; the newcomer may have been it (its count is overstated by that much)
      const m = s[min + 1]!;
      s[min] = h;
      s[min + 1] = m + 1;
      s[min + 2] = m;
      s[min + 3] = t;
    }
    copies = 1;
    return s;
  };

  return {
    observe(o, st, emit) {
      const e = o.event;
      const byPrompt = typeof e.prompt === 'string' && e.prompt.length >= c.minPromptChars;
      if (!e.request_id && !byPrompt) return st;
      let s: State = st ?? [];
      // the request id first, then the prompt: the one with more copies is the evidence (the id on a tie)
      let best = 0;
      let by: 'request_id' | 'prompt_fingerprint' = 'request_id';
      if (e.request_id) {
        s = count(s, hash32(e.request_id), o.t);
        best = copies;
      }
      if (byPrompt) {
        s = count(s, fingerprint(e.prompt!), o.t);
        if (!e.request_id || copies > best) {
          best = copies;
          by = 'prompt_fingerprint';
        }
      }
      if (best >= c.minCopies) {
        emit({
          kind: 'replayed_request',
          severity: 'medium',
          score: best,
          message: `API key ${e.api_key_id} sent the same request ${best} times, each within ${Math.round(c.windowMs / 1000)} s of the last (same ${by === 'request_id' ? 'request id' : 'prompt'}): a replay or a runaway retry loop`,
          evidence: {
            copies: best,
            matched_by: by,
            min_copies: c.minCopies,
            window_s: c.windowMs / 1000,
            request_id: e.request_id,
            status_code: e.status_code,
            model: e.model,
          },
          principal_id: e.principal_id,
          source_ip: e.source_ip,
          country: o.geo?.country_iso_code ?? null,
        });
      }
      return s;
    },
    expire(s, now) {
      // slots idle past the window hold nothing
      for (let i = s.length - W; i >= 0; i -= W) if (now - s[i + 3]! > c.windowMs) s = spliceNumbers(s, i, [], W);
      return s.length ? s : undefined;
    },
  };
}

const T0 = Date.UTC(2026, 0, 5, 9);
const traffic = (key: string) => series(T0, T0 + 1_800_000, 20_000, (t, i) => fixtureEvent({ occurred_at: t, api_key_id: key, request_id: `req_${key}_${i}`, prompt: i % 3 === 0 ? `Summarise ticket number ${i} for the weekly report, please.` : null }));

export const detector = defineDetector({
  name: 'duplicate_requests',
  description: 'The same request (request id or keyed prompt fingerprint) many times in a short window from one key: a replay or a runaway retry loop.',
  severity: 'medium',
  knownGaps: [
    'A replay that changes every request (new request ids and a varied prompt) is not a duplicate here; token_spike may see its volume.',
    'A job that legitimately sends one long identical prompt many times a minute (health checks, fixed classification prompts) alerts: raise minCopies or minPromptChars for it.',
    'Prompts are compared after tokenization: two prompts differing only in PII of the same type and value compare equal, as they should; differing PII values do not.',
    'Without LLM_AUDIT_DUPLICATE_FINGERPRINT_KEY or LLM_AUDIT_TOKENIZE_KEYS the fingerprint key is random per process, and a restart forgets prompt matches (request ids still match).',
    'Copies spread across more than one key (a replay through several stolen keys) are judged per key.',
  ],
  config,
  clearAfterMs: (c) => c.windowMs * 2,
  create,
  fixtures: {
    fires: {
      description: 'A key whose client resends one request id every second for a minute.',
      events: () => [...traffic('key_looping'), ...series(T0 + 600_000, T0 + 660_000, 1_000, (t) => fixtureEvent({ occurred_at: t, api_key_id: 'key_looping', request_id: 'req_stuck', status_code: 200 }))],
    },
    quiet: {
      description: 'A key that retries a failed call twice (the same request id and prompt), then succeeds.',
      events: () => {
        const prompt = 'Give me three subject lines for our spring newsletter about gardening.';
        return [
          ...traffic('key_retrying'),
          ...[0, 2_000, 6_000].map((d, i) => fixtureEvent({ occurred_at: T0 + 900_000 + d, api_key_id: 'key_retrying', request_id: 'req_retry', prompt, status_code: i < 2 ? 429 : 200 })),
        ];
      },
    },
  },
});
