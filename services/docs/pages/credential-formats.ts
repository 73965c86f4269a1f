import { credentialFormatsMarkdown } from '../../tokenize/credentials/reference.js';
import type { DocPage } from '../page.js';

export const page: DocPage = {
  path: 'docs/reference/credential-formats.md',
  source: 'the credential rules (services/tokenize/credentials/)',
  async generate() {
    return credentialFormatsMarkdown();
  },
};
