import { ConfigError } from '../common/errors.js';
import type { SubjectTokens } from './subject.js';

/**
 * The tokenize module, bound late: subject requests compute tokens exactly as the pipeline does,
 * so they use its code rather than a copy that could drift from it.
 */
export async function loadSubjectTokens(env: NodeJS.ProcessEnv): Promise<SubjectTokens> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(new URL('../tokenize/subject.js', import.meta.url).href)) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError('subject requests need services/tokenize (tokenFor, eraseToken), which is not in this build', err);
  }
  const factory = mod.subjectTokens as ((env: NodeJS.ProcessEnv) => SubjectTokens) | undefined;
  if (typeof factory !== 'function') throw new ConfigError('services/tokenize/subject.js does not export subjectTokens(env)');
  return factory(env);
}

/** CLI flags for the common types, as the tokenizer names them. */
export const TYPE_FLAGS: Record<string, string> = {
  email: 'EMAIL', phone: 'PHONE', ip: 'IP_ADDRESS', ssn: 'US_SSN', card: 'CREDIT_CARD', iban: 'IBAN', person: 'PERSON', secret: 'SECRET',
};
