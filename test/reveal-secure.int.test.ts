import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import { createEs } from '../services/common/es.js';
import { repoRoot } from '../services/common/paths.js';
import { coreConfig } from '../services/common/settings.js';
import { loadTokenizeSettings } from '../services/tokenize/config.js';
import { tokenFor } from '../services/tokenize/tokens.js';
import { ensureVaultIndex, openEntry, readVault, reveal, sealEntry, writeVault } from '../services/tokenize/vault.js';
import { spawnCli, uniqueName, waitFor } from './helpers.js';

/**
 * Reveal on the secure local stack (deploy/local/stack.sh up --secure: TLS and x-pack security).
 * Three file-realm users are made at run time with `stack.sh es-user --secure` (additive: they and
 * the llm-audit-vault-writer / llm-audit-revealer roles are appended to the running node's files,
 * which it reloads): the pipeline, which may write the vault and not read it, and two revealers,
 * one of them on the allow-list. The actor is what `_security/_authenticate` answers for the
 * credentials; nothing is proxied. Skipped per test, with the reason, only when the secure stack
 * cannot start here.
 */
const script = join(repoRoot(), 'deploy/local/stack.sh');
const USERS = { pipeline: 'llm-audit-t-pipeline', revealer: 'llm-audit-t-revealer', other: 'llm-audit-t-other' } as const;
const ROLES: Record<keyof typeof USERS, string> = { pipeline: 'llm-audit-vault-writer', revealer: 'llm-audit-revealer', other: 'llm-audit-revealer' };
const passwords = Object.fromEntries(Object.keys(USERS).map((k) => [k, randomBytes(12).toString('hex')])) as Record<keyof typeof USERS, string>;
let sec: Record<string, string> = {};
let unavailable: string | undefined;
const clients: Client[] = [];
let admin: Client;

const prefix = uniqueName('t-secreveal');
const vaultIndex = `${prefix}-vault`;
const auditIndex = `${prefix}-reveal-audit`;
const pair = generateKeyPairSync('x25519');
const PUB = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PRIV = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const TK = `k1:${randomBytes(32).toString('base64')}`;
const ALLOW = `${USERS.revealer}=EMAIL`;

const secureEnv = (over: Record<string, string> = {}) => ({ ...sec, LOG_LEVEL: 'silent', ...over });
const as = (who: keyof typeof USERS) => {
  const es = createEs(coreConfig.fromEnv(secureEnv({ ELASTICSEARCH_USERNAME: USERS[who], ELASTICSEARCH_PASSWORD: passwords[who], ELASTICSEARCH_API_KEY: '' })));
  clients.push(es);
  return es;
};

before(async () => {
  try {
    execFileSync(script, ['up', '--secure'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 420_000 });
    const text = execFileSync(script, ['env', '--secure'], { encoding: 'utf8' });
    sec = Object.fromEntries(text.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  } catch (err) {
    unavailable = `the secure stack (stack.sh up --secure) cannot start here: ${String((err as { stderr?: Buffer }).stderr ?? err).trim().split('\n').pop()}`;
    return;
  }
  for (const k of Object.keys(USERS) as (keyof typeof USERS)[]) {
    execFileSync(script, ['es-user', '--secure', USERS[k], ROLES[k]], { env: { ...process.env, ES_USER_PASSWORD: passwords[k] }, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  }
  admin = createEs(coreConfig.fromEnv(secureEnv({ ELASTICSEARCH_API_KEY: '' })));
  // the node reloads its users file within seconds
  for (const k of Object.keys(USERS) as (keyof typeof USERS)[]) {
    const es = as(k);
    await waitFor(async () => (await es.security.authenticate().catch(() => undefined))?.username === USERS[k] || undefined, { timeoutMs: 30_000, what: `${USERS[k]} authenticates` });
  }
});
after(async () => {
  if (admin) {
    await admin.indices.delete({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true, expand_wildcards: 'all' }).catch(() => undefined);
    await admin.close();
  }
  for (const c of clients) await c.close();
});
const ready = (t: TestContext) => {
  if (unavailable) t.skip(unavailable);
  return !unavailable;
};

describe('reveal on Elasticsearch with security on', () => {
  const pipeline = loadTokenizeSettings({ LLM_AUDIT_TOKENIZE_KEYS: TK, LLM_AUDIT_REVEAL_PUBLIC_KEY: PUB, LLM_AUDIT_VAULT_ENABLED: 'true', LLM_AUDIT_VAULT_INDEX: vaultIndex });
  const revealSide = loadTokenizeSettings({ LLM_AUDIT_TOKENIZE_KEYS: TK, LLM_AUDIT_REVEAL_PRIVATE_KEY: PRIV, LLM_AUDIT_REVEAL_ALLOW: ALLOW });
  const email = tokenFor('EMAIL', 'jane.roe@example.org', pipeline.keyring);
  const phone = tokenFor('PHONE', '+14155550123', pipeline.keyring);

  it('the pipeline\'s credentials write the vault and cannot read it back', async (t) => {
    if (!ready(t)) return;
    const es = as('pipeline');
    await ensureVaultIndex(es, vaultIndex);
    const docs = [
      { token: email, doc: sealEntry({ token: email, type: 'EMAIL', raw: 'jane.roe@example.org' }, pipeline.keyring, pipeline.revealRing!) },
      { token: phone, doc: sealEntry({ token: phone, type: 'PHONE', raw: '+14155550123' }, pipeline.keyring, pipeline.revealRing!) },
    ];
    await writeVault(es, vaultIndex, docs);
    await admin.indices.refresh({ index: vaultIndex });
    assert.equal((await admin.count({ index: vaultIndex })).count, 2, 'the pipeline wrote both entries');
    // Elasticsearch refuses the read: the role has no read privilege on the vault
    await assert.rejects(readVault(es, vaultIndex, email), /403|security_exception|unauthorized/i);
    await assert.rejects(es.search({ index: vaultIndex }), (e: { meta?: { statusCode?: number } }) => e.meta?.statusCode === 403);
    // and had it read the document, its keys (the public key only) cannot open it
    const stored = (await admin.get<Parameters<typeof openEntry>[1]>({ index: vaultIndex, id: email }))._source!;
    assert.ok(!JSON.stringify(stored).includes('jane.roe'));
    assert.throws(() => openEntry(email, stored, pipeline.keyring, pipeline.revealRing!), /only the matching private key/);
  });

  it('the actor is the authenticated user, whatever --actor says; the allow-list refuses another user and another type; every attempt is audited', async (t) => {
    if (!ready(t)) return;
    const base = { reason: 'case 77', vaultIndex, auditIndex, keyring: revealSide.keyring, revealRing: revealSide.revealRing!, allow: revealSide.allow };
    const granted = await reveal({ ...base, es: as('revealer'), token: email, actor: 'somebody-else' });
    assert.deepEqual([granted.outcome, granted.value, granted.actor], ['revealed', 'jane.roe@example.org', { username: USERS.revealer, source: 'elasticsearch', realm: 'default_file' }]);
    const wrongType = await reveal({ ...base, es: as('revealer'), token: phone });
    assert.deepEqual([wrongType.outcome, wrongType.value], ['refused', undefined]);
    // the other user's role reads the vault: the allow-list alone refuses it
    const notListed = await reveal({ ...base, es: as('other'), token: email, actor: USERS.revealer });
    assert.deepEqual([notListed.outcome, notListed.value, notListed.actor.username], ['refused', undefined, USERS.other]);
    await assert.rejects(reveal({ ...base, es: createEs(coreConfig.fromEnv(secureEnv({ ELASTICSEARCH_USERNAME: USERS.revealer, ELASTICSEARCH_PASSWORD: 'not-the-password', ELASTICSEARCH_API_KEY: '' }))), token: email }), /refused the reveal credentials \(HTTP 401\)/);

    await admin.indices.refresh({ index: auditIndex });
    const audit = (await admin.search<{ user: { name: string; identity_source: string; realm?: string }; event: { outcome: string }; token: string }>({ index: auditIndex, size: 50, sort: [{ '@timestamp': 'asc' }] })).hits.hits.map((h) => h._source!);
    assert.deepEqual(audit.map((a) => `${a.user.name}/${a.user.identity_source}/${a.user.realm}/${a.event.outcome}/${a.token === email ? 'email' : 'phone'}`), [
      `${USERS.revealer}/elasticsearch/default_file/revealed/email`,
      `${USERS.revealer}/elasticsearch/default_file/refused/phone`,
      `${USERS.other}/elasticsearch/default_file/refused/email`,
    ]);
    assert.ok(!JSON.stringify(audit).includes('jane.roe'), 'the audit never holds the value');
  });

  it('llm-audit reveal, as an operator runs it: the granted value on stdout, a refusal recorded and no value', async (t) => {
    if (!ready(t)) return;
    const env = (who: 'revealer' | 'other') => ({
      ...process.env, ...secureEnv({ ELASTICSEARCH_USERNAME: USERS[who], ELASTICSEARCH_PASSWORD: passwords[who], ELASTICSEARCH_API_KEY: '' }),
      LLM_AUDIT_TOKENIZE_KEYS: TK, LLM_AUDIT_REVEAL_PRIVATE_KEY: PRIV, LLM_AUDIT_REVEAL_ALLOW: ALLOW, LLM_AUDIT_REVEAL_REQUIRE_IDENTITY: 'true',
      LLM_AUDIT_VAULT_INDEX: vaultIndex, LLM_AUDIT_REVEAL_AUDIT_INDEX: auditIndex,
    });
    const ok = spawnCli(['reveal', email, '--reason', 'case 78', '--actor', USERS.other], env('revealer'));
    assert.equal(await ok.exited, 0, ok.output());
    assert.equal(ok.output().trim().split('\n').pop(), 'jane.roe@example.org');
    const no = spawnCli(['reveal', email, '--reason', 'case 79', '--actor', USERS.revealer], env('other'));
    assert.equal(await no.exited, 1, no.output());
    assert.match(no.output(), /refused \(recorded\): llm-audit-t-other may not reveal EMAIL values/);
    assert.ok(!no.output().includes('jane.roe'));
    await admin.indices.refresh({ index: auditIndex });
    const r = await admin.search<{ user: { name: string }; event: { outcome: string }; reason: string }>({ index: auditIndex, size: 10, query: { terms: { reason: ['78', '79'] } }, sort: [{ '@timestamp': 'asc' }] });
    assert.deepEqual(r.hits.hits.map((h) => `${h._source!.user.name}/${h._source!.event.outcome}`), [`${USERS.revealer}/revealed`, `${USERS.other}/refused`]);
  });

  it('no audit, no value: when the audit record cannot be written, the value is withheld', async (t) => {
    if (!ready(t)) return;
    await admin.indices.putSettings({ index: auditIndex, settings: { 'index.blocks.write': true } });
    try {
      await assert.rejects(
        reveal({ es: as('revealer'), token: email, reason: 'case 80', vaultIndex, auditIndex, keyring: revealSide.keyring, revealRing: revealSide.revealRing!, allow: revealSide.allow }),
        /value withheld/,
      );
    } finally {
      await admin.indices.putSettings({ index: auditIndex, settings: { 'index.blocks.write': false } });
    }
  });
});
