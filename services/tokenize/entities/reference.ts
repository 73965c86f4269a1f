import { ENTITY_DEFS } from './index.js';

/** The body of docs/reference/entity-types.md (services/docs/pages/entity-types.ts; `npm run docs` writes it). */

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function entityReference(): string {
  const lines = [
    '# Entity types',
    '',
    'Every type the tokenizer replaces, in overlap order: where two findings overlap, the one higher in this table',
    'wins. A value becomes `<TOKEN:version:mac>`, e.g. `<UK_NHS:k1:9f3a1c0b7d2e4a61>`. The look-alike column is a',
    'string that comes through unchanged (a test holds each type to it). How the types are found and their known',
    'gaps: [structured types](../pii/structured-types.md).',
    '',
    '| token | what | validator | context needed | look-alike that stays |',
    '|---|---|---|---|---|',
  ];
  for (const d of ENTITY_DEFS) lines.push(`| \`${d.type}\` | ${cell(d.description)} | ${cell(d.validator)} | ${cell(d.context)} | \`${cell(d.lookalike)}\` |`);
  return lines.join('\n') + '\n';
}

