import { formats, type FormatInfo } from './scan.js';

const FAMILY_TITLES: Record<string, string> = {
  llm: 'LLM providers', cloud: 'Clouds', code: 'Code hosting and registries', messaging: 'Messaging and chat', payments: 'Payments',
  communications: 'Communications', devplatform: 'Developer platforms', data: 'Data and infrastructure', monitoring: 'Monitoring',
  identity: 'Identity', other: 'Other', private_key: 'Private keys', connection_string: 'Connection strings', assignment: 'Assignments', header: 'Headers',
};
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const how = (f: FormatInfo) =>
  f.detection === 'prefix' ? `prefix ${f.anchors.map((a) => `\`${a}\``).join(', ')}` : f.detection === 'context' ? `value next to ${f.anchors.map((a) => `\`${a}\``).join(', ')}` : 'parsed';

/** The body of docs/reference/credential-formats.md (services/docs/pages/credential-formats.ts; `npm run docs` writes it). */
export function credentialFormatsMarkdown(): string {
  const all = formats();
  const out = [
    '# Credential formats',
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

