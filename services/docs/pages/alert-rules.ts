import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../common/paths.js';
import { discoverDetectors } from '../../detect/registry.js';
import { FINDING_NAMES } from '../../attribute/findings/index.js';
import { cell, type DocPage } from '../page.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low'];

/** The doc comment just above `export class X implements Finding`, as one line. */
function classComment(src: string): string {
  const m = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export class \w+ implements Finding/.exec(src);
  return m ? m[1]!.split('\n').map((l) => l.replace(/^\s*\*\s?/, '').trim()).filter(Boolean).join(' ') : '';
}

/** The key-hygiene findings: one file per rule in services/attribute/findings/, named after it (read from source for the doc comment). */
function findings(): { name: string; file: string; severities: string[]; description: string }[] {
  return FINDING_NAMES.map((name) => {
    const file = `services/attribute/findings/${name.replace(/_/g, '-')}.ts`;
    const src = readFileSync(join(repoRoot(), file), 'utf8');
    const found = new Set([...src.matchAll(/severity:[^,\n]*/g)].flatMap((m) => SEVERITIES.filter((s) => m[0].includes(`'${s}'`))));
    return { name, file, severities: SEVERITIES.filter((s) => found.has(s)), description: classComment(src) };
  });
}

const runbook = (rule: string) => (existsSync(join(repoRoot(), 'docs', 'runbooks', `${rule}.md`)) ? `[${rule}](../runbooks/${rule}.md)` : '');

export const page: DocPage = {
  path: 'docs/reference/alert-rules.md',
  source: 'the detector registry (services/detect/detectors/) and the key-hygiene findings (services/attribute/findings/)',
  async generate() {
    const dets = await discoverDetectors();
    const fs = findings();
    const lines = [
      '# Alert rules',
      '',
      'Every rule that can raise an alert (`rule.name` on the alert). Detectors run in the [detect stage](../detect/stage.md);',
      'key-hygiene findings in the attribute stage ([key hygiene](../platform/key-hygiene.md)). Each rule has a runbook.',
      '',
      '## Detectors',
      '',
      '| rule | severity | what it finds | settings | runbook |',
      '|---|---|---|---|---|',
      ...dets.map(({ file, def }) =>
        `| \`${def.name}\` | ${def.severity} | ${cell(def.description)} (\`services/detect/detectors/${file.replace(/\.js$/, '.ts')}\`) | \`${def.config.component}\`: ${Object.values(def.config.spec).map((f) => `\`${f.env}\``).join(', ')} | ${runbook(def.name)} |`),
      '',
      '### Known gaps',
      '',
      ...dets.flatMap(({ def }) => [`**${def.name}**`, '', ...def.knownGaps.map((g) => `- ${g}`), '']),
      '## Key-hygiene findings',
      '',
      '| rule | severities | what it finds | runbook |',
      '|---|---|---|---|',
      ...fs.map((f) =>
        `| \`${f.name}\` | ${f.severities.join(', ')} | ${cell(f.description)} (\`${f.file}\`) | ${runbook(f.name)} |`),
    ];
    return lines.join('\n');
  },
};
