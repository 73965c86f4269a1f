import { fullConfigTable } from '../../common/config-registry.js';
import type { DocPage } from '../page.js';

export const page: DocPage = {
  path: 'docs/reference/configuration.md',
  source: 'the config schemas (`defineConfig` in services/)',
  async generate() {
    return [
      '# Configuration reference',
      '',
      'Every environment variable the services read, from their config schemas: type, default and description.',
      'Secrets can also be read from `<NAME>_FILE`, a mounted file. Unknown keys and bad values fail at start with a',
      'message that says what to fix. How configuration works: [configuration](../operators/configuration.md);',
      '`llm-audit config --json` prints the same fields as JSON.',
      '',
      await fullConfigTable(),
    ].join('\n');
  },
};
