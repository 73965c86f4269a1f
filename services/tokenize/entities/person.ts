import { defineEntity } from './registry.js';

// Found by names.ts from the PERSON block of detect.ts; registered here for its token name and rank.
export default defineEntity({
  type: 'PERSON',
  rank: 200,
  description: 'Person names (best effort, see names.ts).',
  validator: 'none (lexicon and context features)',
  context: 'a known given name, a cue ("my name is", "Dear", "patient"...) or an address after it',
  lookalike: 'Chrome and Safari ship in March',
  normalise: (raw) => raw.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase(),
});
