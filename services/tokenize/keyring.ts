import { createHmac, hkdfSync } from 'node:crypto';
import { ConfigError } from '../common/errors.js';

/**
 * Versioned secret keys. Tokens are made with the newest version; every configured version stays usable
 * to recompute or decrypt what was made under it. Removing a version from the configuration is how its
 * tokens become unlinkable and its vault entries unreadable (crypto-shredding).
 */
export interface Keyring {
  /** Version used for new tokens. */
  readonly current: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

const VERSION_RE = /^[A-Za-z0-9_-]{1,16}$/;
export const KEY_HOWTO = 'generate one with `openssl rand -base64 32`';

/**
 * Parses `k1:BASE64,k2:BASE64` (also newline-separated, as in a mounted file). The last entry is the newest.
 * A single bare base64 value is accepted as version `bareVersion`.
 */
export function parseKeyring(spec: string, what: string, bareVersion = 'k1'): Keyring {
  const entries = spec
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
  if (entries.length === 0) throw new ConfigError(`${what} is empty; ${KEY_HOWTO}`);
  const keys = new Map<string, Buffer>();
  let current = '';
  for (const e of entries) {
    const colon = e.indexOf(':');
    const [version, b64] = colon === -1 && entries.length === 1 ? [bareVersion, e] : [e.slice(0, colon), e.slice(colon + 1)];
    if (colon === -1 && entries.length > 1) throw new ConfigError(`${what}: entry without a version; expected VERSION:BASE64[,VERSION:BASE64...]`);
    if (!VERSION_RE.test(version)) throw new ConfigError(`${what}: key version ${JSON.stringify(version)} must be 1-16 of [A-Za-z0-9_-]`);
    if (!/^[A-Za-z0-9+/=_-]+$/.test(b64)) throw new ConfigError(`${what}: key ${version} is not base64; ${KEY_HOWTO}`);
    const key = Buffer.from(b64, 'base64');
    if (key.length < 32) throw new ConfigError(`${what}: key ${version} has ${key.length} bytes, at least 32 are required; ${KEY_HOWTO}`);
    if (keys.has(version)) throw new ConfigError(`${what}: key version ${version} is configured twice`);
    keys.set(version, key);
    current = version;
  }
  return { current, keys };
}

export function keyFor(ring: Keyring, version: string): Buffer | undefined {
  return ring.keys.get(version);
}

/** 64 bits of HMAC-SHA256: collisions stay unlikely up to billions of distinct values per type. */
export function hmacHex(key: Buffer, type: string, normalised: string): string {
  return createHmac('sha256', key).update(type).update('\u0000').update(normalised).digest('hex').slice(0, 16);
}

/** A purpose-bound AES key, so the same secret never serves two purposes. */
export function deriveKey(ikm: Buffer, salt: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));
}
