import { fullConfigTable, loadAllConfigs } from '../../common/config-registry.js';
import { writeDocPages } from '../../docs/page.js';
import type { CliCommand } from '../command.js';

export const command: CliCommand = {
  name: 'config',
  summary: 'Print every environment variable the services read, from their config schemas (markdown table or JSON)',
  usage: 'llm-audit config [--json | --write-docs]',
  async run(argv, io) {
    if (argv.includes('--write-readme') || argv.includes('--write-docs')) {
      // the table moved from the README to docs/reference/configuration.md; the flag regenerates every reference page
      const changed = await writeDocPages();
      io.stdout.write(changed.length ? `rewritten: ${changed.join(', ')}\n` : 'generated docs are up to date\n');
      return 0;
    }
    if (argv.includes('--json')) {
      const reg = await loadAllConfigs();
      const out = [...reg.values()].map((s) => ({
        component: s.component,
        fields: Object.entries(s.spec).map(([key, f]) => ({ key, ...f, pattern: 'pattern' in f && f.pattern ? String(f.pattern) : undefined })),
      }));
      io.stdout.write(JSON.stringify(out, null, 2) + '\n');
    } else {
      io.stdout.write((await fullConfigTable()) + '\n');
    }
    return 0;
  },
};
