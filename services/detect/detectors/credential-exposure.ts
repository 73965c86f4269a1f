import { randomBytes } from 'node:crypto';
import { defineConfig } from '../../common/config.js';
import { MetricsRegistry } from '../../common/metrics.js';
import type { UsageEvent } from '../../common/types.js';
import { HIGH_FAMILIES, type Family } from '../../tokenize/credentials/index.js';
import { resolveIndices, tokenizeConfig } from '../../tokenize/config.js';
import { parseKeyring } from '../../tokenize/keyring.js';
import { secretFindings, TokenizeStage } from '../../tokenize/stage.js';
import { defineDetector, fixtureEvent, type DetectorInstance, type Severity } from '../detector.js';

/**
 * credential_exposure: the tokenize stage found a credential (SECRET) in a field of an event. In the completion
 * the model handed a credential out (critical); in the prompt or a metadata field someone pasted one: high for a
 * cloud or LLM-provider key, medium otherwise. One incident per key, credential type and field while it continues.
 * The alert names the token, never the value; the original is in the vault for those allowed to reveal it.
 */
export const config = defineConfig('detect.credential_exposure', {
  clearAfterMs: {
    type: 'int', env: 'LLM_AUDIT_CREDENTIAL_EXPOSURE_CLEAR_MS', default: 24 * 3600_000, min: 60_000,
    description: 'Event time without another exposure of the same type in the same field after which the incident is over (the next one opens a new incident).',
  },
  minSeverity: {
    type: 'string', env: 'LLM_AUDIT_CREDENTIAL_EXPOSURE_MIN_SEVERITY', default: 'medium', pattern: /^(low|medium|high|critical)$/,
    description: 'Exposures rated below this are not raised (low, medium, high, critical).',
  },
});
type Cfg = ReturnType<typeof config.parse>;

const TEXT_FIELDS = new Set(['prompt', 'completion']);
const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function severityOf(field: string, family: string): Severity {
  if (field === 'completion') return 'critical';
  return HIGH_FAMILIES.has(family as Family) ? 'high' : 'medium';
}

function create(c: Cfg): DetectorInstance<undefined> {
  const min = RANK[c.minSeverity as Severity];
  return {
    observe(o, _state, emit) {
      const found = secretFindings(o.event);
      if (!found || found.length === 0) return undefined;
      for (const f of found) {
        const severity = severityOf(f.field, f.family);
        if (RANK[severity] < min) continue;
        const kind = f.field === 'completion' ? 'in_completion' : 'in_prompt';
        const where = f.field === 'completion' ? 'the completion (the model returned it)' : f.field === 'prompt' ? 'the prompt' : `the ${f.field} field`;
        emit({
          kind,
          severity,
          incident: `${kind}|${f.field}|${f.subtype}`,
          message: `Credential ${f.subtype} (${f.provider}) in ${where} of API key ${o.event.api_key_id}: rotate it at ${f.provider === 'generic' ? 'its issuer' : f.provider}, then check the vault reveal audit`,
          // the document field that holds the tokenized text (llm_audit.prompt), or the metadata field's name
          evidence: { token: f.token, credential_type: f.subtype, provider: f.provider, family: f.family, field: TEXT_FIELDS.has(f.field) ? `llm_audit.${f.field}` : f.field, model: o.event.model },
          principal_id: o.event.principal_id,
          source_ip: o.event.source_ip,
          country: o.geo?.country_iso_code ?? null,
        });
      }
      return undefined;
    },
  };
}

// Fixtures go through the real tokenize stage (fresh key, fake credentials assembled at run time).
const T0 = Date.UTC(2026, 0, 5, 9);
function tokenized(events: UsageEvent[]): UsageEvent[] {
  const keyring = parseKeyring(`f1:${randomBytes(32).toString('base64')}`, 'fixture key');
  const stage = new TokenizeStage({ config: resolveIndices(tokenizeConfig.parse({ tokenizeKeys: 'x' })), keyring }, undefined, new MetricsRegistry());
  for (const event of events) stage.tokenizeRecord({ event, doc: {}, alerts: [], partition: 0, offset: '0' });
  return events;
}
const awsKeyId = () => ['AK', 'IA', 'QYLPMN5HHHFPZAM2'].join('');
const slackToken = () => ['xox', 'b-', '2048151092-', '4120398123775-', 'Zq8vB3kXwT6yLp0mNc4RsUaE'].join('');

export const detector = defineDetector({
  name: 'credential_exposure',
  description: 'A credential (API key, token, private key, password) found by the tokenize stage in a prompt, completion or metadata field.',
  severity: 'high',
  knownGaps: [
    'Only what the tokenize stage recognises: a credential in a format it has no rule for, with no credential word or header next to it, passes unseen.',
    'Severity follows the credential family, not whether the credential works: a revoked or test key raises the same alert as a live one.',
    'Credentials split across events, encoded (base64, URL-encoded) or cut at the field size cap are not seen as one.',
  ],
  config,
  clearAfterMs: (c) => c.clearAfterMs,
  create,
  fixtures: {
    fires: {
      description: 'An AWS access key id pasted in a prompt (high) and a Slack bot token returned in a completion (critical).',
      events: () =>
        tokenized([
          fixtureEvent({ occurred_at: T0, api_key_id: 'key_leaky', prompt: `why does boto fail? aws_access_key_id = ${awsKeyId()}` }),
          fixtureEvent({ occurred_at: T0 + 60_000, api_key_id: 'key_leaky', prompt: 'what token do I use for the bot?', completion: `Use ${slackToken()} in SLACK_BOT_TOKEN.` }),
        ]),
    },
    quiet: {
      description: 'A public SSH key, a publishable Stripe key and placeholders (sk-..., YOUR_API_KEY, <token>) in prompts and completions.',
      events: () =>
        tokenized([
          fixtureEvent({ occurred_at: T0, api_key_id: 'key_careful', prompt: `add this deploy key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHJdqfRKJkfRxasauiHOrn3c9VSMO1oJDvweL390r4IX me@laptop, and pk_live_${'4yEzsCIjaiYiRlCNMTtY9T6h'}` }),
          fixtureEvent({ occurred_at: T0 + 60_000, api_key_id: 'key_careful', prompt: 'set OPENAI_API_KEY=sk-... and api_key = "YOUR_API_KEY"', completion: 'Then send Authorization: Bearer <token>.' }),
        ]),
    },
  },
});
