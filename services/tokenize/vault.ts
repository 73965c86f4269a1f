import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { errors as esErrors, type Client } from '@elastic/elasticsearch';
import { LlmAuditError, TransientError, errorMessage } from '../common/errors.js';
import type { EntityType } from './detect.js';
import { deriveKey, type Keyring } from './keyring.js';
import { parseToken } from './tokens.js';
import { createIndexIfMissing } from '../common/es.js';

/**
 * The reveal vault: one document per token (doc id = token) holding the original value under AES-256-GCM.
 * The AES key is HKDF(reveal key version R, salt = tokenize key version K): removing either version from the
 * configuration leaves every entry made under it unreadable (erasure by key version); `eraseToken` deletes one value.
 */
export interface VaultDoc {
  type: string;
  key_version: string;
  reveal_key_version: string;
  alg: 'AES-256-GCM';
  ciphertext: string;
  iv: string;
  tag: string;
  created: string;
}

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

export function sealEntry(e: VaultEntry, keyring: Keyring, revealRing: Keyring, now = new Date()): VaultDoc {
  const parsed = parseToken(e.token);
  if (!parsed) throw new LlmAuditError(`not a token: ${e.token.slice(0, 40)}`);
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

export function openEntry(token: string, doc: VaultDoc, keyring: Keyring, revealRing: Keyring): string {
  const key = vaultKey(keyring, revealRing, doc.key_version, doc.reveal_key_version);
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
    created: { type: 'date' as const },
  },
};

export async function ensureVaultIndex(es: Client, index: string): Promise<void> {
  try {
    await createIndexIfMissing(es, index, VAULT_MAPPINGS);
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

export interface RevealRequest {
  es: Client;
  token: string;
  reason: string;
  actor?: string;
  vaultIndex: string;
  auditIndex: string;
  keyring: Keyring;
  revealRing: Keyring;
}

export type RevealOutcome = 'revealed' | 'not_found' | 'unreadable';

/**
 * Decrypts a token's original, but hands it out only after the audit record (who, what, why, when, outcome)
 * is stored: no audit, no value. Failed attempts are audited too.
 */
export async function reveal(req: RevealRequest): Promise<{ outcome: RevealOutcome; value?: string; type?: string; message?: string }> {
  if (!parseToken(req.token)) throw new LlmAuditError(`not a token: expected <TYPE:VERSION:HEX16>`);
  if (!req.reason.trim()) throw new LlmAuditError('a reason is required for every reveal');
  const doc = await readVault(req.es, req.vaultIndex, req.token);
  let outcome: RevealOutcome = 'not_found';
  let value: string | undefined;
  let message: string | undefined;
  if (doc) {
    try {
      value = openEntry(req.token, doc, req.keyring, req.revealRing);
      outcome = 'revealed';
    } catch (err) {
      outcome = 'unreadable';
      message = errorMessage(err);
    }
  }
  const actor = req.actor || safeUser();
  try {
    await ensureAuditIndex(req.es, req.auditIndex);
    await req.es.index({
      index: req.auditIndex,
      refresh: 'wait_for',
      document: {
        '@timestamp': new Date().toISOString(), event: { action: 'reveal', outcome }, user: { name: actor }, host: { name: hostname() },
        token: req.token, token_type: doc?.type ?? parseToken(req.token)!.type, key_version: doc?.key_version ?? parseToken(req.token)!.version,
        reason: req.reason,
      },
    });
  } catch (err) {
    throw classifyEsError('reveal audit record (value withheld)', err);
  }
  return { outcome, value, type: doc?.type, message };
}

const AUDIT_MAPPINGS = {
  properties: {
    '@timestamp': { type: 'date' as const },
    event: { properties: { action: { type: 'keyword' as const }, outcome: { type: 'keyword' as const } } },
    user: { properties: { name: { type: 'keyword' as const } } },
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
