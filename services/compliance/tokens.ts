import type { Client } from '@elastic/elasticsearch';
import { InvalidInputError } from '../common/errors.js';
import { loadTokenizeSettings } from '../tokenize/config.js';
import { ENTITY_TYPES, tokensForAllVersions, type EntityType } from '../tokenize/index.js';
import { eraseToken } from '../tokenize/vault.js';
import type { SubjectTokens } from './subject.js';

/** CLI flags for the common types, as the tokenizer names them. */
export const TYPE_FLAGS: Record<string, EntityType> = {
  email: 'EMAIL', phone: 'PHONE', ip: 'IP_ADDRESS', ssn: 'US_SSN', card: 'CREDIT_CARD', iban: 'IBAN', person: 'PERSON', secret: 'SECRET',
};

export function entityType(type: string): EntityType {
  const t = type.toUpperCase();
  if (!(ENTITY_TYPES as readonly string[]).includes(t)) throw new InvalidInputError('bad_type', `unknown type ${JSON.stringify(type)}; one of ${ENTITY_TYPES.join(', ')}`);
  return t as EntityType;
}

/**
 * Subject requests use the tokenize stage's own code and keys (LLM_AUDIT_TOKENIZE_KEYS, every version),
 * so a value is normalised and tokenized exactly as the pipeline did, before and after a key rotation.
 */
export function subjectTokens(env: NodeJS.ProcessEnv): SubjectTokens & { vaultIndex: string; auditIndex: string } {
  const { keyring, config } = loadTokenizeSettings(env);
  return {
    vaultIndex: config.vaultIndex,
    auditIndex: config.revealAuditIndex,
    tokensFor: (type, value) => tokensForAllVersions(entityType(type), value, keyring),
    eraseToken: (client: Client, token: string) => eraseToken(client, token, config.vaultIndex),
  };
}
