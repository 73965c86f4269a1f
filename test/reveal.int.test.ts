import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { loadTokenizeSettings } from '../services/tokenize/config.js';
import { tokenFor } from '../services/tokenize/tokens.js';
import { ensureVaultIndex, openEntry, reveal, sealEntry, writeVault } from '../services/tokenize/vault.js';
import { testEs, uniqueName } from './helpers.js';

// Security off (the shared stack): envelope encryption, the self-asserted actor, the audit.
// With security on, the authenticated identity and the allow-list: test/reveal-secure.int.test.ts.
const es = testEs();
const prefix = uniqueName('t-reveal');
const vaultIndex = `${prefix}-vault`;
const auditIndex = `${prefix}-reveal-audit`;
const pair = generateKeyPairSync('x25519');
const PUB = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PRIV = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const TK = `k1:${randomBytes(32).toString('base64')}`;
const SYM = `r1:${randomBytes(32).toString('base64')}`;

after(async () => {
  await es.indices.delete({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true, expand_wildcards: 'all' }).catch(() => undefined);
  await es.close();
});

describe('reveal: envelope encryption, the self-asserted actor, audit', () => {
  // the pipeline's configuration: the public key only (no symmetric reveal key)
  const pipeline = loadTokenizeSettings({ LLM_AUDIT_TOKENIZE_KEYS: TK, LLM_AUDIT_REVEAL_PUBLIC_KEY: PUB, LLM_AUDIT_VAULT_ENABLED: 'true', LLM_AUDIT_VAULT_INDEX: vaultIndex });
  // an older deployment's symmetric vault entries stay readable on the reveal side
  const legacy = loadTokenizeSettings({ LLM_AUDIT_TOKENIZE_KEYS: TK, LLM_AUDIT_REVEAL_KEY: SYM });
  const revealSide = loadTokenizeSettings({ LLM_AUDIT_TOKENIZE_KEYS: TK, LLM_AUDIT_REVEAL_PRIVATE_KEY: PRIV, LLM_AUDIT_REVEAL_KEY: SYM, LLM_AUDIT_REVEAL_ALLOW: 'alice=EMAIL,carol=*' });
  const email = tokenFor('EMAIL', 'jane.doe@example.com', pipeline.keyring);
  const phone = tokenFor('PHONE', '+14155550100', pipeline.keyring);
  const old = tokenFor('EMAIL', 'old.value@example.com', pipeline.keyring);

  it('the pipeline seals to the public key and cannot read back what it wrote', async () => {
    await ensureVaultIndex(es, vaultIndex);
    const docs = [
      { token: email, doc: sealEntry({ token: email, type: 'EMAIL', raw: 'jane.doe@example.com' }, pipeline.keyring, pipeline.revealRing!) },
      { token: phone, doc: sealEntry({ token: phone, type: 'PHONE', raw: '+14155550100' }, pipeline.keyring, pipeline.revealRing!) },
      { token: old, doc: sealEntry({ token: old, type: 'EMAIL', raw: 'old.value@example.com' }, legacy.keyring, legacy.revealRing!) },
    ];
    await writeVault(es, vaultIndex, docs);
    const stored = (await es.get<{ alg: string; epk?: string; ciphertext: string }>({ index: vaultIndex, id: email }))._source!;
    assert.equal(stored.alg, 'X25519-HKDF-SHA256-AES-256-GCM');
    assert.ok(stored.epk && !JSON.stringify(stored).includes('jane'));
    assert.throws(() => openEntry(email, docs[0]!.doc, pipeline.keyring, pipeline.revealRing!), /only the matching private key/);
    assert.throws(() => loadTokenizeSettings({ LLM_AUDIT_TOKENIZE_KEYS: TK, LLM_AUDIT_REVEAL_PUBLIC_KEY: PUB, LLM_AUDIT_REVEAL_PRIVATE_KEY: generateKeyPairSync('x25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }), /does not match/);
  });

  it('with security off: the name is self-asserted and recorded so; an allow-list then grants nothing', async () => {
    const base = { es, reason: 'case 43', vaultIndex, auditIndex, keyring: revealSide.keyring, revealRing: revealSide.revealRing! };
    const open = await reveal({ ...base, token: email, actor: 'alice' });
    assert.deepEqual([open.outcome, open.actor.source], ['revealed', 'self-asserted']);
    const listed = await reveal({ ...base, token: email, actor: 'alice', allow: revealSide.allow });
    assert.deepEqual([listed.outcome, listed.value], ['refused', undefined]);
    const strict = await reveal({ ...base, token: email, actor: 'alice', requireIdentity: true });
    assert.equal(strict.outcome, 'refused');
  });

  it('no audit, no value: when the audit record cannot be written, the value is withheld', async () => {
    await es.indices.putSettings({ index: auditIndex, settings: { 'index.blocks.write': true } });
    try {
      await assert.rejects(reveal({ es, token: email, reason: 'case 44', actor: 'alice', vaultIndex, auditIndex, keyring: revealSide.keyring, revealRing: revealSide.revealRing! }), /value withheld/);
    } finally {
      await es.indices.putSettings({ index: auditIndex, settings: { 'index.blocks.write': false } });
    }
  });
});
