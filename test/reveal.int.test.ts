import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { loadTokenizeSettings } from '../services/tokenize/config.js';
import { tokenFor } from '../services/tokenize/tokens.js';
import { ensureVaultIndex, openEntry, reveal, sealEntry, writeVault } from '../services/tokenize/vault.js';
import { testCore, testEs, uniqueName } from './helpers.js';

/**
 * Elasticsearch security, test mode: the shared stack runs with security off, so a small proxy in
 * front of the real Elasticsearch answers `GET /_security/_authenticate` for two basic-auth users (401
 * otherwise) and forwards every other request unchanged. The reveal code sees what a secured cluster
 * answers; storage, audit and the vault are the real Elasticsearch. (docs/compliance/reveal-and-erasure.md)
 */
function authProxy(target: string, users: Record<string, string>): Promise<Server> {
  const up = new URL(target);
  const server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/_security/_authenticate')) {
      const [user, pass] = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
      const ok = user !== undefined && users[user] === pass;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(ok ? { username: user, roles: ['reveal'], authentication_realm: { name: 'native1', type: 'native' }, enabled: true } : { error: { type: 'security_exception', reason: 'unable to authenticate user' }, status: 401 }));
      return;
    }
    const p = request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: { ...req.headers, host: up.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    p.on('error', () => res.destroy());
    req.pipe(p);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const core = testCore();
const es = testEs();
const prefix = uniqueName('t-reveal');
const vaultIndex = `${prefix}-vault`;
const auditIndex = `${prefix}-reveal-audit`;
const pair = generateKeyPairSync('x25519');
const PUB = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PRIV = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const TK = `k1:${randomBytes(32).toString('base64')}`;
const SYM = `r1:${randomBytes(32).toString('base64')}`;
const pw = (s: string) => [s, 'pw', String(process.pid)].join('-');
let proxy: Server;

before(async () => {
  proxy = await authProxy(core.elasticsearchUrl, { alice: pw('a'), bob: pw('b') });
});
after(async () => {
  await es.indices.delete({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true, expand_wildcards: 'all' }).catch(() => undefined);
  await es.close();
  proxy.close();
});

const securedAs = (user: string, password: string) => new Client({ node: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, auth: { username: user, password } });

describe('reveal: envelope encryption, identity, allow-list, audit', () => {
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

  it('with security on: the actor is the authenticated user, the allow-list decides, and every attempt is audited', async () => {
    const base = { reason: 'case 42', vaultIndex, auditIndex, keyring: revealSide.keyring, revealRing: revealSide.revealRing!, allow: revealSide.allow };
    const alice = securedAs('alice', pw('a'));
    const bob = securedAs('bob', pw('b'));
    try {
      const granted = await reveal({ ...base, es: alice, token: email, actor: 'somebody-else' });
      assert.deepEqual([granted.outcome, granted.value, granted.actor.username, granted.actor.source], ['revealed', 'jane.doe@example.com', 'alice', 'elasticsearch'], '--actor cannot override the authenticated name');
      const legacyRead = await reveal({ ...base, es: alice, token: old });
      assert.deepEqual([legacyRead.outcome, legacyRead.value], ['revealed', 'old.value@example.com'], 'symmetric entries stay readable');
      const wrongType = await reveal({ ...base, es: alice, token: phone });
      assert.deepEqual([wrongType.outcome, wrongType.value], ['refused', undefined]);
      const notListed = await reveal({ ...base, es: bob, token: email });
      assert.deepEqual([notListed.outcome, notListed.value], ['refused', undefined]);
      await assert.rejects(reveal({ ...base, es: securedAs('alice', 'wrong'), token: email }), /refused the reveal credentials/);
    } finally {
      await alice.close();
      await bob.close();
    }
    await es.indices.refresh({ index: auditIndex });
    const audit = (await es.search<{ user: { name: string; identity_source: string }; event: { outcome: string }; token: string }>({ index: auditIndex, size: 50, sort: [{ '@timestamp': 'asc' }] })).hits.hits.map((h) => h._source!);
    assert.deepEqual(audit.map((a) => `${a.user.name}/${a.user.identity_source}/${a.event.outcome}`), ['alice/elasticsearch/revealed', 'alice/elasticsearch/revealed', 'alice/elasticsearch/refused', 'bob/elasticsearch/refused']);
    assert.ok(!JSON.stringify(audit).includes('jane.doe'), 'the audit never holds the value');
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
