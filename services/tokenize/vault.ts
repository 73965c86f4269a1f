import { createCipheriv, createDecipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { errors as esErrors, type Client } from '@elastic/elasticsearch';
import { ConfigError, LlmAuditError, TransientError, errorMessage } from '../common/errors.js';
import type { EntityType } from './detect.js';
import { deriveKey, type Keyring } from './keyring.js';
import { parseToken } from './tokens.js';
import { createIndexIfMissing } from '../common/es.js';

/**
 * The reveal vault: one document per token (doc id = token) holding the original value.
 * - Envelope mode (LLM_AUDIT_REVEAL_PUBLIC_KEY): each value is sealed to an X25519 public key: a fresh
 *   ephemeral key pair per entry, ECDH with the reveal public key, HKDF-SHA256 (salt = tokenize key
 *   version K) to an AES-256-GCM key. The pipeline, which writes the vault, holds only the public key
 *   and cannot read an entry back; only the reveal side holds the private key.
 * - Symmetric mode (LLM_AUDIT_REVEAL_KEY, older vaults): the AES key is HKDF(reveal key version R, salt = K).
 * Either way removing version K (or R / the private key) leaves the entries made under it unreadable
 * (erasure by key version); `eraseToken` deletes one value.
 */
export interface VaultDoc {
  type: string;
  key_version: string;
  /** Symmetric: the reveal key version. Envelope: the id of the public key it was sealed to. */
  reveal_key_version: string;
  alg: 'AES-256-GCM' | typeof ENVELOPE_ALG;
  ciphertext: string;
  iv: string;
  tag: string;
  /** Envelope: the ephemeral X25519 public key (SPKI DER, base64). */
  epk?: string;
  created: string;
}

export const ENVELOPE_ALG = 'X25519-HKDF-SHA256-AES-256-GCM';

export interface SealingKey {
  id: string;
  publicKey: KeyObject;
}
export interface OpeningKey {
  id: string;
  privateKey: KeyObject;
}
/** The reveal keys one side holds: symmetric versions (old vaults), the public key to seal to, the private keys to open with. */
export type RevealRing = Keyring & { sealTo?: SealingKey; openWith?: OpeningKey[] };

export interface VaultEntry {
  token: string;
  type: EntityType;
  raw: string;
}

const INFO = 'llm-audit vault v1';
export const GCM_TAG_BYTES = 16;

function vaultKey(keyring: Keyring, revealRing: Keyring, keyVersion: string, revealVersion: string): Buffer {
  const tk = keyring.keys.get(keyVersion);
  const rk = revealRing.keys.get(revealVersion);
  if (!tk) throw new LlmAuditError(`tokenize key version ${keyVersion} is not configured (erased or missing): the value cannot be recovered with this configuration`);
  if (!rk) throw new LlmAuditError(`reveal key version ${revealVersion} is not configured (erased or missing): the value cannot be recovered with this configuration`);
  return deriveKey(rk, tk, INFO);
}

const ENVELOPE_INFO = 'llm-audit vault v2 envelope';

function envelopeKey(shared: Buffer, keyring: Keyring, keyVersion: string): Buffer {
  const tk = keyring.keys.get(keyVersion);
  if (!tk) throw new LlmAuditError(`tokenize key version ${keyVersion} is not configured (erased or missing): the value cannot be recovered with this configuration`);
  return Buffer.from(hkdfSync('sha256', shared, tk, ENVELOPE_INFO, 32));
}

function gcmSeal(key: Buffer, token: string, raw: string) {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
  c.setAAD(Buffer.from(token, 'utf8'));
  const ct = Buffer.concat([c.update(raw, 'utf8'), c.final()]);
  return { ciphertext: ct.toString('base64'), iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64') };
}

export function sealEntry(e: VaultEntry, keyring: Keyring, revealRing: RevealRing, now = new Date()): VaultDoc {
  const parsed = parseToken(e.token);
  if (!parsed) throw new LlmAuditError(`not a token: ${e.token.slice(0, 40)}`);
  if (revealRing.sealTo) {
    const eph = generateKeyPairSync('x25519');
    const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: revealRing.sealTo.publicKey });
    return {
      type: e.type, key_version: parsed.version, reveal_key_version: revealRing.sealTo.id, alg: ENVELOPE_ALG,
      ...gcmSeal(envelopeKey(shared, keyring, parsed.version), e.token, e.raw),
      epk: eph.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), created: now.toISOString(),
    };
  }
  const key = vaultKey(keyring, revealRing, parsed.version, revealRing.current);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  // bound to its token: a document copied under another id does not decrypt
  c.setAAD(Buffer.from(e.token, 'utf8'));
  const ct = Buffer.concat([c.update(e.raw, 'utf8'), c.final()]);
  return {
    type: e.type, key_version: parsed.version, reveal_key_version: revealRing.current, alg: 'AES-256-GCM',
    ciphertext: ct.toString('base64'), iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), created: now.toISOString(),
  };
}

export function openEntry(token: string, doc: VaultDoc, keyring: Keyring, revealRing: RevealRing): string {
  let key: Buffer;
  if (doc.alg === ENVELOPE_ALG) {
    const k = revealRing.openWith?.find((o) => o.id === doc.reveal_key_version);
    if (!k) throw new LlmAuditError(`vault entry is sealed to public key ${doc.reveal_key_version}: only the matching private key opens it (LLM_AUDIT_REVEAL_PRIVATE_KEY on the reveal side)`);
    let epk: KeyObject;
    try {
      epk = createPublicKey({ key: Buffer.from(doc.epk ?? '', 'base64'), format: 'der', type: 'spki' });
    } catch (err) {
      throw new LlmAuditError('vault entry has no valid ephemeral key (tampered entry)', { cause: err });
    }
    key = envelopeKey(diffieHellman({ privateKey: k.privateKey, publicKey: epk }), keyring, doc.key_version);
  } else key = vaultKey(keyring, revealRing, doc.key_version, doc.reveal_key_version);
  const tag = Buffer.from(doc.tag, 'base64');
  // GCM verifies as many tag bytes as it is given: a 4-byte tag would take ~2^32 forgery tries, not 2^128
  if (tag.length !== GCM_TAG_BYTES) throw new LlmAuditError(`vault entry has a ${tag.length}-byte authentication tag; only ${GCM_TAG_BYTES} bytes are accepted (tampered entry)`);
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(doc.iv, 'base64'), { authTagLength: GCM_TAG_BYTES });
  d.setAAD(Buffer.from(token, 'utf8'));
  d.setAuthTag(tag);
  try {
    return Buffer.concat([d.update(Buffer.from(doc.ciphertext, 'base64')), d.final()]).toString('utf8');
  } catch (err) {
    throw new LlmAuditError('vault entry does not decrypt with the configured keys (wrong key, or tampered entry)', { cause: err });
  }
}

/** Connection failures, 429 and 5xx may pass; anything else will not. */
export function classifyEsError(what: string, err: unknown): LlmAuditError {
  if (err instanceof LlmAuditError) return err;
  if (err instanceof esErrors.ConnectionError || err instanceof esErrors.TimeoutError || err instanceof esErrors.NoLivingConnectionsError)
    return new TransientError(`${what}: Elasticsearch unavailable: ${errorMessage(err)}`, err);
  if (err instanceof esErrors.ResponseError) {
    const s = err.statusCode ?? 0;
    if (s === 429 || s >= 500) return new TransientError(`${what}: Elasticsearch answered ${s}`, err);
    return new LlmAuditError(`${what}: Elasticsearch answered ${s}: ${err.message.slice(0, 200)}`, { cause: err });
  }
  return new TransientError(`${what}: ${errorMessage(err)}`, err);
}

const VAULT_MAPPINGS = {
  dynamic: 'strict' as const,
  properties: {
    type: { type: 'keyword' as const },
    key_version: { type: 'keyword' as const },
    reveal_key_version: { type: 'keyword' as const },
    alg: { type: 'keyword' as const },
    ciphertext: { type: 'keyword' as const, index: false, doc_values: false },
    iv: { type: 'keyword' as const, index: false, doc_values: false },
    tag: { type: 'keyword' as const, index: false, doc_values: false },
    epk: { type: 'keyword' as const, index: false, doc_values: false },
    created: { type: 'date' as const },
  },
};

export async function ensureVaultIndex(es: Client, index: string): Promise<void> {
  try {
    await createIndexIfMissing(es, index, VAULT_MAPPINGS);
    // vaults created before envelope mode: add the one new field (strict mapping would refuse it)
    await es.indices.putMapping({ index, properties: { epk: VAULT_MAPPINGS.properties.epk } });
  } catch (err) {
    throw classifyEsError(`vault index ${index}`, err);
  }
}

/** One bulk `create` per batch; an existing doc (409) means the token is stored already, so replays are no-ops. */
export async function writeVault(es: Client, index: string, docs: { token: string; doc: VaultDoc }[]): Promise<void> {
  if (docs.length === 0) return;
  const operations: object[] = [];
  for (const d of docs) operations.push({ create: { _index: index, _id: d.token } }, d.doc);
  let res;
  try {
    res = await es.bulk({ operations, refresh: false });
  } catch (err) {
    throw classifyEsError('vault bulk write', err);
  }
  if (!res.errors) return;
  let transient = 0;
  let fatal: string | undefined;
  for (const item of res.items) {
    const r = item.create;
    if (!r?.error || r.status === 409) continue;
    if (r.status === 429 || r.status >= 500) transient++;
    else fatal ??= `${r.status} ${r.error.type}: ${r.error.reason ?? ''}`.slice(0, 200);
  }
  if (fatal) throw new LlmAuditError(`vault bulk write rejected: ${fatal}`);
  if (transient) throw new TransientError(`vault bulk write: ${transient} item(s) refused for now (429/5xx)`);
}

export async function readVault(es: Client, index: string, token: string): Promise<VaultDoc | undefined> {
  try {
    const r = await es.get<VaultDoc>({ index, id: token }, { ignore: [404] });
    return r.found ? r._source : undefined;
  } catch (err) {
    throw classifyEsError('vault read', err);
  }
}

/** Erasure of one value: deletes its vault entry. Returns whether there was one. */
export async function eraseToken(es: Client, token: string, index = 'llm-audit-vault'): Promise<boolean> {
  try {
    const r = await es.delete({ index, id: token, refresh: 'wait_for' }, { ignore: [404] });
    return r.result === 'deleted';
  } catch (err) {
    throw classifyEsError('vault erase', err);
  }
}

/** Who may reveal which entity types: `alice=EMAIL|PHONE,bob=*`. Names are Elasticsearch usernames. */
export type AllowList = Map<string, Set<string> | '*'>;

export function parseAllowList(spec: string): AllowList {
  const out: AllowList = new Map();
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)=(\*|[A-Z_]+(?:\|[A-Z_]+)*)$/.exec(part);
    if (!m) throw new ConfigError(`LLM_AUDIT_REVEAL_ALLOW: ${JSON.stringify(part)} is not USER=TYPE|TYPE or USER=*`);
    out.set(m[1]!, m[2] === '*' ? '*' : new Set(m[2]!.split('|')));
  }
  return out;
}

export interface Identity {
  username: string;
  /** 'elasticsearch': _security/_authenticate answered; 'self-asserted': security is off, the name is the caller's word. */
  source: 'elasticsearch' | 'self-asserted';
  realm?: string;
}

/**
 * The caller's identity from Elasticsearch (`GET _security/_authenticate`). Security off (the API is
 * not there): undefined. Credentials refused: an error, never a fallback to a typed name.
 */
export async function authenticatedUser(es: Client): Promise<Identity | undefined> {
  try {
    const r = await es.security.authenticate();
    return { username: r.username, source: 'elasticsearch', realm: r.authentication_realm?.name };
  } catch (err) {
    const status = (err as { meta?: { statusCode?: number } }).meta?.statusCode;
    if (status === 401 || status === 403) throw new LlmAuditError(`Elasticsearch refused the reveal credentials (HTTP ${status})`, { cause: err });
    const body = JSON.stringify((err as { meta?: { body?: unknown } }).meta?.body ?? '');
    if (err instanceof esErrors.ResponseError && /security/i.test(body)) return undefined; // "Security must be explicitly enabled"
    throw classifyEsError('_security/_authenticate', err);
  }
}

export interface RevealRequest {
  es: Client;
  token: string;
  reason: string;
  /** Used only when Elasticsearch security is off (recorded as self-asserted). */
  actor?: string;
  vaultIndex: string;
  auditIndex: string;
  keyring: Keyring;
  revealRing: RevealRing;
  allow?: AllowList;
  /** Refuse unless Elasticsearch authenticated the caller. */
  requireIdentity?: boolean;
  /** Defaults to authenticatedUser(es). */
  identify?: () => Promise<Identity | undefined>;
}

export type RevealOutcome = 'revealed' | 'refused' | 'not_found' | 'unreadable';

/**
 * Decrypts a token's original, but hands it out only after the audit record (who, how they were
 * identified, what, why, when, outcome) is stored: no audit, no value. Refused and failed attempts are
 * audited too. With an allow-list, only an identity Elasticsearch authenticated can be granted.
 */
export async function reveal(req: RevealRequest): Promise<{ outcome: RevealOutcome; value?: string; type?: string; message?: string; actor: Identity }> {
  const parsed = parseToken(req.token);
  if (!parsed) throw new LlmAuditError(`not a token: expected <TYPE:VERSION:HEX16>`);
  if (!req.reason.trim()) throw new LlmAuditError('a reason is required for every reveal');
  const authenticated = await (req.identify ?? (() => authenticatedUser(req.es)))();
  const actor: Identity = authenticated ?? { username: req.actor || safeUser(), source: 'self-asserted' };
  let outcome: RevealOutcome = 'not_found';
  let value: string | undefined;
  let message: string | undefined;
  let doc: VaultDoc | undefined;
  const allowed = req.allow?.get(actor.username);
  if (req.requireIdentity && actor.source !== 'elasticsearch') [outcome, message] = ['refused', 'no authenticated Elasticsearch identity (security is off): reveal requires one'];
  else if (req.allow && actor.source !== 'elasticsearch') [outcome, message] = ['refused', 'an allow-list is configured: only an identity Elasticsearch authenticated can be granted'];
  else if (req.allow && !(allowed === '*' || allowed?.has(parsed.type))) [outcome, message] = ['refused', `${actor.username} may not reveal ${parsed.type} values`];
  else {
    doc = await readVault(req.es, req.vaultIndex, req.token);
    if (doc) {
      try {
        value = openEntry(req.token, doc, req.keyring, req.revealRing);
        outcome = 'revealed';
      } catch (err) {
        outcome = 'unreadable';
        message = errorMessage(err);
      }
    }
  }
  try {
    await ensureAuditIndex(req.es, req.auditIndex);
    await req.es.index({
      index: req.auditIndex,
      refresh: 'wait_for',
      document: {
        '@timestamp': new Date().toISOString(), event: { action: 'reveal', outcome, ...(outcome === 'refused' ? { reason: message } : {}) },
        user: { name: actor.username, identity_source: actor.source, ...(actor.realm ? { realm: actor.realm } : {}) }, host: { name: hostname() },
        token: req.token, token_type: doc?.type ?? parsed.type, key_version: doc?.key_version ?? parsed.version, reason: req.reason,
      },
    });
  } catch (err) {
    throw classifyEsError('reveal audit record (value withheld)', err);
  }
  return { outcome, value, type: doc?.type ?? parsed.type, message, actor };
}

const AUDIT_MAPPINGS = {
  properties: {
    '@timestamp': { type: 'date' as const },
    event: { properties: { action: { type: 'keyword' as const }, outcome: { type: 'keyword' as const } } },
    user: { properties: { name: { type: 'keyword' as const }, identity_source: { type: 'keyword' as const }, realm: { type: 'keyword' as const } } },
    host: { properties: { name: { type: 'keyword' as const } } },
    token: { type: 'keyword' as const },
    token_type: { type: 'keyword' as const },
    key_version: { type: 'keyword' as const },
    reason: { type: 'text' as const },
  },
};

async function ensureAuditIndex(es: Client, index: string): Promise<void> {
  await createIndexIfMissing(es, index, AUDIT_MAPPINGS);
}

function safeUser(): string {
  try {
    return process.env.USER || userInfo().username;
  } catch {
    return 'unknown';
  }
}
