import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../common/paths.js';
import { formats, type FormatInfo } from './scan.js';

export const REFERENCE_PATH = join('docs', 'reference', 'credential-formats.md');

const FAMILY_TITLES: Record<string, string> = {
  llm: 'LLM providers', cloud: 'Clouds', code: 'Code hosting and registries', messaging: 'Messaging and chat', payments: 'Payments',
  communications: 'Communications', devplatform: 'Developer platforms', data: 'Data and infrastructure', monitoring: 'Monitoring',
  identity: 'Identity', other: 'Other', private_key: 'Private keys', connection_string: 'Connection strings', assignment: 'Assignments', header: 'Headers',
};
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const how = (f: FormatInfo) =>
  f.detection === 'prefix' ? `prefix ${f.anchors.map((a) => `\`${a}\``).join(', ')}` : f.detection === 'context' ? `value next to ${f.anchors.map((a) => `\`${a}\``).join(', ')}` : 'parsed';

/** docs/reference/credential-formats.md, generated from the rules (`npm run docs:secrets`); a test keeps it current. */
export function credentialFormatsMarkdown(): string {
  const all = formats();
  const out = [
    '# Credential formats',
    '',
    '<!-- generated from services/tokenize/credentials by `npm run docs:secrets`; do not edit -->',
    '',
    `The tokenize stage replaces ${all.length} credential formats with \`SECRET\` tokens, each reported with its`,
    'credential type and provider (the `credential_exposure` alert carries both). *prefix*: found by its literal',
    'prefix; *value next to*: a generic value (hex, base64) that counts only near one of those words; *parsed*: key',
    'blocks, URLs, assignments, headers, prose and command lines read by the scanner. See [secrets](../pii/secrets.md).',
    '',
    `| family | formats |`,
    '|---|---|',
  ];
  const fams = [...new Set(all.map((f) => f.family))];
  for (const fam of fams) out.push(`| ${FAMILY_TITLES[fam] ?? fam} | ${all.filter((f) => f.family === fam).length} |`);
  for (const fam of fams) {
    out.push('', `## ${FAMILY_TITLES[fam] ?? fam}`, '', '| credential type | provider | format | checksum | found by |', '|---|---|---|---|---|');
    for (const f of all.filter((x) => x.family === fam)) out.push(`| \`${f.id}\` | ${f.provider} | ${cell(f.format)} | ${f.checksum ? cell(f.checksum) : ''} | ${cell(how(f))} |`);
  }
  return out.join('\n') + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(join(repoRoot(), REFERENCE_PATH), credentialFormatsMarkdown());
  console.log(`${REFERENCE_PATH} written`);
}
