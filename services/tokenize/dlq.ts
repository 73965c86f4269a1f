import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { LlmAuditError } from '../common/errors.js';
import { ALL_TYPES, tokenizeText } from './index.js';
import { deriveKey, type Keyring } from './keyring.js';

const MAGIC = Buffer.from('LAD1', 'latin1');
const SALT = Buffer.from('llm-audit dead letter', 'utf8');
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface DeadLetterOptions {
  keyring: Keyring;
  /** With a reveal key the bytes are kept whole, encrypted; without, they are tokenized (lossy but safe). */
  revealRing?: Keyring;
  /** Cap per string field (UTF-8 bytes) on the tokenized path, as in the tokenize stage. */
  maxFieldBytes?: number;
}

export type DeadLetterPayload = { value: Buffer | null; encoding: string };

/**
 * What goes to the dead-letter topic for a message. A message that decoded (it failed validation, or a later stage
 * refused it) is written as JSON, every string tokenized field by field: scanning raw Avro bytes would not work,
 * since the length byte before each string defeats the detectors' boundaries. One that does not decode at all is
 * encrypted under the reveal key, or dropped (value null, encoding `dropped`) when there is none.
 */
export function deadLetterPayload(bytes: Buffer | null, decoded: unknown, opts: DeadLetterOptions): DeadLetterPayload {
  if (decoded !== undefined && decoded !== null && typeof decoded === 'object') {
    const out = tokenizeValue(decoded, opts, 0);
    return { value: Buffer.from(JSON.stringify(out), 'utf8'), encoding: 'tokenized-json;charset=utf-8' };
  }
  if (!bytes) return { value: null, encoding: 'none' };
  if (opts.revealRing) return sanitizeForDeadLetter(bytes, opts);
  return { value: null, encoding: 'dropped' };
}

/** A dead letter's error message, scanned like a field (decoders may quote the value they choke on). */
export function deadLetterText(message: string, opts: DeadLetterOptions): string {
  return tokenizeText(message, opts.keyring, { types: ALL_TYPES, maxBytes: 2000 }).text;
}

function tokenizeValue(v: unknown, opts: DeadLetterOptions, depth: number): unknown {
  if (typeof v === 'string') return tokenizeText(v, opts.keyring, { types: ALL_TYPES, maxBytes: opts.maxFieldBytes ?? 65536 }).text;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return v ?? null;
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return { bytes: v.length };
  if (depth > 8) return '[nested too deep]';
  if (Array.isArray(v)) return v.slice(0, 1000).map((x) => tokenizeValue(x, opts, depth + 1));
  const o: Record<string, unknown> = {};
  // field names are producer text too
  for (const [k, x] of Object.entries(v as Record<string, unknown>).slice(0, 1000)) o[tokenizeValue(k, opts, depth + 1) as string] = tokenizeValue(x, opts, depth + 1);
  return o;
}

/**
 * Dead letters must keep "the original bytes" and must never carry raw PII. Encrypted:
 * value = "LAD1" | iv(12) | tag(16) | AES-256-GCM(bytes), encoding `aes-256-gcm;key=<reveal version>`
 * (openDeadLetter recovers them). Tokenized: encoding `tokenized;charset=utf-8|latin1`.
 */
export function sanitizeForDeadLetter(bytes: Buffer, opts: DeadLetterOptions): { value: Buffer; encoding: string } {
  if (opts.revealRing) {
    const version = opts.revealRing.current;
    const key = deriveKey(opts.revealRing.keys.get(version)!, SALT, 'llm-audit dlq v1');
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([c.update(bytes), c.final()]);
    return { value: Buffer.concat([MAGIC, iv, c.getAuthTag(), ct]), encoding: `aes-256-gcm;key=${version}` };
  }
  let charset: 'utf-8' | 'latin1' = 'utf-8';
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    // Avro binary is rarely valid UTF-8; latin1 maps every byte to one char, so the strings inside stay scannable
    charset = 'latin1';
    text = bytes.toString('latin1');
  }
  const out = tokenizeText(text, opts.keyring, { types: ALL_TYPES });
  return { value: Buffer.from(out.text, charset === 'utf-8' ? 'utf8' : 'latin1'), encoding: `tokenized;charset=${charset}` };
}

export function openDeadLetter(value: Buffer, encoding: string, revealRing: Keyring): Buffer {
  const m = /^aes-256-gcm;key=([A-Za-z0-9_-]{1,16})$/.exec(encoding);
  if (!m) throw new LlmAuditError(`dead letter is not encrypted (encoding ${encoding})`);
  const k = revealRing.keys.get(m[1]!);
  if (!k) throw new LlmAuditError(`reveal key version ${m[1]} is not configured`);
  if (value.length < 32 || !value.subarray(0, 4).equals(MAGIC)) throw new LlmAuditError('not an encrypted dead letter');
  const d = createDecipheriv('aes-256-gcm', deriveKey(k, SALT, 'llm-audit dlq v1'), value.subarray(4, 16));
  d.setAuthTag(value.subarray(16, 32));
  try {
    return Buffer.concat([d.update(value.subarray(32)), d.final()]);
  } catch (err) {
    throw new LlmAuditError('dead letter does not decrypt with the configured reveal key', { cause: err });
  }
}
