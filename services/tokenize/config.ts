import { defineConfig, type ConfigOf } from '../common/config.js';
import { ConfigError } from '../common/errors.js';
import { coreConfig } from '../common/settings.js';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { KEY_HOWTO, parseKeyring, type Keyring } from './keyring.js';
import { parseAllowList, type AllowList, type RevealRing } from './vault.js';

export const tokenizeConfig = defineConfig('tokenize', {
  tokenizeKeys: {
    type: 'string', env: 'LLM_AUDIT_TOKENIZE_KEYS', secret: true, example: 'k1:BASE64,k2:BASE64',
    description: 'HMAC keys for tokens, VERSION:BASE64 (>= 32 bytes each), comma- or newline-separated; the last is used for new tokens. Or LLM_AUDIT_TOKENIZE_KEYS_FILE. Required.',
  },
  revealKey: {
    type: 'string', env: 'LLM_AUDIT_REVEAL_KEY', secret: true, example: 'r1:BASE64',
    description: 'AES-256-GCM key(s) for the reveal vault and encrypted dead letters, VERSION:BASE64 or one bare BASE64 (version r1). Or LLM_AUDIT_REVEAL_KEY_FILE.',
  },
  revealPublicKey: {
    type: 'string', env: 'LLM_AUDIT_REVEAL_PUBLIC_KEY',
    description: 'Envelope mode: the X25519 public key (PEM) vault values are sealed to. The pipeline needs only this; it cannot read the vault back. Generate the pair with `openssl genpkey -algorithm X25519`.',
  },
  revealPublicKeyId: { type: 'string', env: 'LLM_AUDIT_REVEAL_PUBLIC_KEY_ID', default: 'p1', pattern: /^[A-Za-z0-9_-]{1,16}$/, description: 'Id of the reveal key pair, stored with each sealed entry (rotate by giving a new pair a new id).' },
  revealPrivateKey: {
    type: 'string', env: 'LLM_AUDIT_REVEAL_PRIVATE_KEY', secret: true,
    description: 'Reveal side only: the X25519 private key (PEM) matching LLM_AUDIT_REVEAL_PUBLIC_KEY, or LLM_AUDIT_REVEAL_PRIVATE_KEY_FILE. Never give it to the pipeline.',
  },
  revealAllow: { type: 'string', env: 'LLM_AUDIT_REVEAL_ALLOW', description: 'Who may reveal which entity types, as Elasticsearch usernames: `alice=EMAIL|PHONE,bob=*`. Set: only authenticated identities are granted. Unset: anyone who can run reveal.' },
  revealRequireIdentity: { type: 'bool', env: 'LLM_AUDIT_REVEAL_REQUIRE_IDENTITY', default: false, description: 'Refuse a reveal unless Elasticsearch authenticated the caller (_security/_authenticate); off: with security off the actor is self-asserted and recorded as such.' },
  vault: { type: 'bool', env: 'LLM_AUDIT_VAULT_ENABLED', default: false, description: 'Store each original value encrypted in the vault index so `llm-audit reveal` can recover it. Needs the reveal key.' },
  vaultIndex: { type: 'string', env: 'LLM_AUDIT_VAULT_INDEX', pattern: /^[a-z0-9][a-z0-9._-]*$/, description: 'Restricted index of encrypted originals, doc id = token. Default: <prefix>-vault (the one `llm-audit setup` creates).' },
  revealAuditIndex: { type: 'string', env: 'LLM_AUDIT_REVEAL_AUDIT_INDEX', pattern: /^[a-z0-9][a-z0-9._-]*$/, description: 'Index that records every reveal: who, which token, why, when. Default: <prefix>-reveal-audit.' },
  maxFieldBytes: { type: 'int', env: 'LLM_AUDIT_TOKENIZE_MAX_FIELD_BYTES', default: 65536, min: 1024, max: 16 * 1024 * 1024, description: 'Per-field size cap in UTF-8 bytes; longer text is cut (counted, flagged llm_audit.pii.truncated).' },
  metadataFields: {
    type: 'list', env: 'LLM_AUDIT_TOKENIZE_METADATA_FIELDS', default: ['principal_id', 'user_agent', 'request_id', 'model', 'model_version', 'error_code', 'gateway_id'],
    description: 'Usage-event fields a producer fills that are scanned too (all types but PERSON); fields outside the contract are always scanned; ids without a finding stay unchanged.',
  },
});
type RawTokenizeConfig = ConfigOf<typeof tokenizeConfig.spec>;
/** With the index names resolved against the index prefix (LLM_AUDIT_INDEX_PREFIX). */
export type TokenizeConfig = RawTokenizeConfig & { vaultIndex: string; revealAuditIndex: string };

export function resolveIndices(raw: RawTokenizeConfig, prefix = 'llm-audit'): TokenizeConfig {
  return { ...raw, vaultIndex: raw.vaultIndex ?? `${prefix}-vault`, revealAuditIndex: raw.revealAuditIndex ?? `${prefix}-reveal-audit` };
}

export interface TokenizeSettings {
  config: TokenizeConfig;
  keyring: Keyring;
  revealRing?: RevealRing;
  allow?: AllowList;
}

function x25519(pem: string, what: string, kind: 'public' | 'private'): KeyObject {
  let k: KeyObject;
  try {
    k = kind === 'public' ? createPublicKey(pem) : createPrivateKey(pem);
  } catch (err) {
    throw new ConfigError(`${what} is not a PEM ${kind} key: ${(err as Error).message}; generate one with \`openssl genpkey -algorithm X25519\``, err);
  }
  if (k.asymmetricKeyType !== 'x25519') throw new ConfigError(`${what} is a ${k.asymmetricKeyType} key; only X25519 is supported`);
  return k;
}

export function loadTokenizeSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof TokenizeConfig, unknown>> = {}): TokenizeSettings {
  const config = resolveIndices(tokenizeConfig.fromEnv(env, overrides), coreConfig.fromEnv(env).indexPrefix);
  if (!config.tokenizeKeys)
    throw new ConfigError(`tokenize: no tokenization key. Set LLM_AUDIT_TOKENIZE_KEYS=k1:$(openssl rand -base64 32) or mount a file and set LLM_AUDIT_TOKENIZE_KEYS_FILE; ${KEY_HOWTO}`);
  const keyring = parseKeyring(config.tokenizeKeys, 'LLM_AUDIT_TOKENIZE_KEYS');
  const sym = config.revealKey ? parseKeyring(config.revealKey, 'LLM_AUDIT_REVEAL_KEY', 'r1') : undefined;
  const id = config.revealPublicKeyId;
  const sealTo = config.revealPublicKey ? { id, publicKey: x25519(config.revealPublicKey, 'LLM_AUDIT_REVEAL_PUBLIC_KEY', 'public') } : undefined;
  const openWith = config.revealPrivateKey ? [{ id, privateKey: x25519(config.revealPrivateKey, 'LLM_AUDIT_REVEAL_PRIVATE_KEY', 'private') }] : undefined;
  if (sealTo && openWith && !createPublicKey(openWith[0]!.privateKey).export({ type: 'spki', format: 'der' }).equals(sealTo.publicKey.export({ type: 'spki', format: 'der' })))
    throw new ConfigError('LLM_AUDIT_REVEAL_PRIVATE_KEY does not match LLM_AUDIT_REVEAL_PUBLIC_KEY');
  const revealRing: RevealRing | undefined = sym || sealTo || openWith ? { current: sym?.current ?? id, keys: sym?.keys ?? new Map(), sealTo, openWith } : undefined;
  if (config.vault && !sym && !sealTo)
    throw new ConfigError(`tokenize: LLM_AUDIT_VAULT_ENABLED is on but no reveal key to seal to. Set LLM_AUDIT_REVEAL_PUBLIC_KEY (envelope mode, recommended) or LLM_AUDIT_REVEAL_KEY=r1:$(openssl rand -base64 32)`);
  return { config, keyring, revealRing, allow: config.revealAllow ? parseAllowList(config.revealAllow) : undefined };
}
