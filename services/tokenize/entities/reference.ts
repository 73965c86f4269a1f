import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../common/paths.js';
import { ENTITY_DEFS } from './index.js';

/** docs/reference/entity-types.md, generated from the registry (`npm run docs:entities`); a test keeps it fresh. */
export const REFERENCE_PATH = 'docs/reference/entity-types.md';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function entityReference(): string {
  const lines = [
    '# Entity types',
    '',
    '<!-- Generated from services/tokenize/entities/*.ts by `npm run docs:entities`; do not edit by hand. -->',
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

export function writeEntityReference(root = repoRoot()): string {
  const path = join(root, REFERENCE_PATH);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, entityReference());
  return path;
}

export function readEntityReference(root = repoRoot()): string {
  return readFileSync(join(root, REFERENCE_PATH), 'utf8');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  console.log(`wrote ${writeEntityReference()}`);
}
