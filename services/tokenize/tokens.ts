import type { EntityType } from './detect.js';
import * as crypto from 'node:crypto';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { hmacHex, type Keyring } from './keyring.js';
import { entityDef } from './entities/index.js';

/**
 * Token format: `<TYPE:VERSION:HEX16>`, e.g. `<EMAIL:k2:9f3a1c0b7d2e4a61>`. HEX16 is the first 48 bits of
 * HMAC-SHA256(key[VERSION], TYPE + NUL + normalised value), then a 16-bit tag, HMAC(key[VERSION], "tag" NUL TYPE
 * NUL VERSION NUL those 12 hex). Same value, type and key version: same token, in every event and every instance.
 * The tag lets the tokenizer tell its own tokens from text shaped like one (`<EMAIL:k1:4111111111111111>`):
 * only a configured version with a matching tag is left alone on a replay.
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

/** Tokens under the keyring's current version, by type then normalised value (no `type NUL value` key string to build and hash per lookup). */
const caches = new WeakMap<Keyring, Map<EntityType, Map<string, string>>>();
/** Entries per keyring, over all types: the cache is dropped whole when full. */
const CACHE_MAX = 50_000;
const cacheSizes = new WeakMap<Keyring, { n: number }>();

/** The token for a raw value under the keyring's newest version (or `version`). Applies the same normalisation as the stage. */
export function tokenFor(type: EntityType, rawValue: string, keyring: Keyring, version = keyring.current): string {
  const norm = normalise(type, rawValue);
  const useCache = version === keyring.current;
  const byType = useCache ? caches.get(keyring)?.get(type) : undefined;
  if (byType) {
    const hit = byType.get(norm);
    if (hit !== undefined) return hit;
  }
  const key = keyring.keys.get(version);
  if (!key) throw new RangeError(`unknown key version ${version}`);
  const mac = hmacHex(key, type, norm).slice(0, 12);
  const token = `<${type}:${version}:${mac}${tokenTag(key, type, version, mac)}>`;
  if (useCache) remember(keyring, type, norm, token);
  return token;
}

function remember(keyring: Keyring, type: EntityType, norm: string, token: string): void {
  let all = caches.get(keyring);
  let size = cacheSizes.get(keyring);
  if (!all || !size) {
    caches.set(keyring, (all = new Map()));
    cacheSizes.set(keyring, (size = { n: 0 }));
  }
  if (size.n >= CACHE_MAX) {
    all.clear();
    size.n = 0;
  }
  let byType = all.get(type);
  if (!byType) all.set(type, (byType = new Map()));
  byType.set(norm, token);
  size.n++;
}

/** The value's token under every configured key version: a data-subject search must cover tokens made before a rotation. */
export function tokensForAllVersions(type: EntityType, rawValue: string, keyring: Keyring): string[] {
  return [...keyring.keys.keys()].map((v) => tokenFor(type, rawValue, keyring, v));
}

const tagKeys = new WeakMap<Buffer, string>();
// crypto.hash (Node >= 20.12) is a one-shot digest, several times cheaper than an HMAC object per token
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;

/** 16 bits of SHA-256(tag key, TYPE, VERSION, MAC): the tag key is derived from the version's key, never the key itself. */
function tokenTag(key: Buffer, type: string, version: string, mac12: string): string {
  let tk = tagKeys.get(key);
  if (tk === undefined) tagKeys.set(key, (tk = createHmac('sha256', key).update('llm-audit token tag key').digest('hex')));
  const data = `${tk}\u0000${type}\u0000${version}\u0000${mac12}`;
  return (oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex')).slice(0, 4);
}

/** True only for a token this keyring wrote: its version is configured and its tag checks out. */
export function isOwnToken(token: string, keyring: Keyring): boolean {
  const p = parseToken(token);
  if (!p) return false;
  const key = keyring.keys.get(p.version);
  if (!key) return false;
  const want = Buffer.from(tokenTag(key, p.type, p.version, p.mac.slice(0, 12)));
  return timingSafeEqual(want, Buffer.from(p.mac.slice(12)));
}
