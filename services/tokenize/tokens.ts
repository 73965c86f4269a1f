import type { EntityType } from './detect.js';
import { hmacHex, type Keyring } from './keyring.js';
import { entityDef } from './entities/index.js';

/**
 * Token format: `<TYPE:VERSION:HEX16>`, e.g. `<EMAIL:k2:9f3a1c0b7d2e4a61>`. HEX16 is the first 64 bits of
 * HMAC-SHA256(key[VERSION], TYPE + NUL + normalised value). Same value, type and key version: same token,
 * in every event and every instance.
 */
export const TOKEN_FORMAT = /^<([A-Z_]+):([A-Za-z0-9_-]{1,16}):([0-9a-f]{16})>$/;

export function parseToken(token: string): { type: string; version: string; mac: string } | undefined {
  const m = TOKEN_FORMAT.exec(token);
  return m ? { type: m[1]!, version: m[2]!, mac: m[3]! } : undefined;
}

/** What counts as "the same value" (case for e-mail, separators for numbers, notation for IPs): each entity type's file says. */
export function normalise(type: EntityType, raw: string): string {
  const fn = entityDef(type)?.normalise;
  return fn ? fn(raw) : raw.trim();
}

const caches = new WeakMap<Keyring, Map<string, string>>();
const CACHE_MAX = 50_000;

/** The token for a raw value under the keyring's newest version (or `version`). Applies the same normalisation as the stage. */
export function tokenFor(type: EntityType, rawValue: string, keyring: Keyring, version = keyring.current): string {
  const norm = normalise(type, rawValue);
  const useCache = version === keyring.current;
  let cache = caches.get(keyring);
  const ck = `${type}\u0000${norm}`;
  if (useCache && cache) {
    const hit = cache.get(ck);
    if (hit !== undefined) return hit;
  }
  const key = keyring.keys.get(version);
  if (!key) throw new RangeError(`unknown key version ${version}`);
  const token = `<${type}:${version}:${hmacHex(key, type, norm)}>`;
  if (useCache) {
    if (!cache) caches.set(keyring, (cache = new Map()));
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(ck, token);
  }
  return token;
}

/** The value's token under every configured key version: a data-subject search must cover tokens made before a rotation. */
export function tokensForAllVersions(type: EntityType, rawValue: string, keyring: Keyring): string[] {
  return [...keyring.keys.keys()].map((v) => tokenFor(type, rawValue, keyring, v));
}
