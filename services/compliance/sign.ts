import { createHmac, createPrivateKey, createPublicKey, sign as edSign, verify as edVerify, timingSafeEqual, type KeyObject } from 'node:crypto';
import { ConfigError } from '../common/errors.js';
import { canonicalJson } from './canonical.js';

export type SignatureAlg = 'hmac-sha256' | 'ed25519';
export interface Signature {
  alg: SignatureAlg;
  key_id: string;
  /** base64 */
  value: string;
}

export interface Signer {
  alg: SignatureAlg;
  keyId: string;
  sign(payload: unknown): Signature;
}
export interface Verifier {
  verify(payload: unknown, sig: Signature): boolean;
}

const isPem = (k: string) => k.trimStart().startsWith('-----BEGIN');

/** An Ed25519 PEM private key signs with Ed25519; any other string is an HMAC-SHA256 secret. */
export function signerFrom(key: string | undefined, keyId = 'default'): Signer {
  if (!key) throw new ConfigError('no signing key: set LLM_AUDIT_SIGNING_KEY (HMAC secret or Ed25519 PEM) or LLM_AUDIT_SIGNING_KEY_FILE');
  if (isPem(key)) {
    let k: KeyObject;
    try {
      k = createPrivateKey(key);
    } catch (err) {
      throw new ConfigError(`LLM_AUDIT_SIGNING_KEY is PEM but not a private key: ${(err as Error).message}`, err);
    }
    if (k.asymmetricKeyType !== 'ed25519') throw new ConfigError(`LLM_AUDIT_SIGNING_KEY is a ${k.asymmetricKeyType} key; only Ed25519 is supported`);
    return { alg: 'ed25519', keyId, sign: (p) => ({ alg: 'ed25519', key_id: keyId, value: edSign(null, Buffer.from(canonicalJson(p)), k).toString('base64') }) };
  }
  if (key.length < 32) throw new ConfigError('LLM_AUDIT_SIGNING_KEY as an HMAC secret must be at least 32 characters (e.g. openssl rand -hex 32)');
  return {
    alg: 'hmac-sha256',
    keyId,
    sign: (p) => ({ alg: 'hmac-sha256', key_id: keyId, value: createHmac('sha256', key).update(canonicalJson(p)).digest('base64') }),
  };
}

/** The verify key, or the signing key (an Ed25519 private key yields its public half). */
export function verifierFrom(verifyKey: string | undefined, signingKey?: string): Verifier {
  const key = verifyKey ?? signingKey;
  if (!key) throw new ConfigError('no verification key: set LLM_AUDIT_VERIFY_KEY (Ed25519 public key PEM or the HMAC secret) or LLM_AUDIT_SIGNING_KEY');
  if (isPem(key)) {
    let pub: KeyObject;
    try {
      pub = createPublicKey(key);
    } catch (err) {
      throw new ConfigError(`verification key is PEM but not an Ed25519 key: ${(err as Error).message}`, err);
    }
    return { verify: (p, s) => s.alg === 'ed25519' && edVerify(null, Buffer.from(canonicalJson(p)), pub, Buffer.from(s.value, 'base64')) };
  }
  return {
    verify: (p, s) => {
      if (s.alg !== 'hmac-sha256') return false;
      const want = createHmac('sha256', key).update(canonicalJson(p)).digest();
      const got = Buffer.from(s.value, 'base64');
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
}
