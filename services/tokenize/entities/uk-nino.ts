import { ninoOk } from '../validators.js';
import { compactUpper, defineEntity, idFinder } from './registry.js';

export default defineEntity({
  type: 'UK_NINO',
  rank: 56,
  description: 'UK National Insurance number, `AB 12 34 56 C` or compact.',
  validator: 'prefix letters HMRC issues (no D F I Q U V, no O second, not BG GB KN NK NT TN ZZ), suffix A-D',
  context: 'none',
  lookalike: 'GB123456A and QQ 12 34 56 C',
  find: idFinder({
    type: 'UK_NINO',
    re: /(?<![A-Za-z0-9])[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])/g,
    ok: ninoOk,
  }),
  normalise: compactUpper,
});
