import { loadCommands } from '../../cli/main.js';
import { cell, type DocPage } from '../page.js';

export const page: DocPage = {
  path: 'docs/reference/cli.md',
  source: 'the commands in services/cli/commands/',
  async generate() {
    const rows = [...(await loadCommands()).values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => `| \`llm-audit ${c.name}\` | ${cell(c.summary)} | \`${cell(c.usage)}\` |`);
    return [
      '# CLI reference',
      '',
      'Every `llm-audit` command (`bin/llm-audit.js`; `node dist/services/cli/main.js` in a clone).',
      '`llm-audit <command> --help` prints a command\'s usage.',
      '',
      '| command | what it does | usage |',
      '|---|---|---|',
      ...rows,
    ].join('\n');
  },
};
