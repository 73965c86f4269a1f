import { entityReference } from '../../tokenize/entities/reference.js';
import type { DocPage } from '../page.js';

export const page: DocPage = {
  path: 'docs/reference/entity-types.md',
  source: 'the entity registry (services/tokenize/entities/)',
  async generate() {
    return entityReference();
  },
};
