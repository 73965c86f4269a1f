import { defineEntity } from './registry.js';

// Found by the SECRET block of detect.ts (its own rule set); registered here for its token name and rank.
export default defineEntity({
  type: 'SECRET',
  rank: 10,
  description: 'API keys, access tokens, JWTs, private keys, and the value after a credential-named key.',
  validator: 'provider prefix and length; assignments need a credential-named key and a non-placeholder value',
  context: 'credential-named key for assignments (`password = ...`)',
  lookalike: 'password = "<your password>" api_key=YOUR_API_KEY',
  normalise: (raw) => raw.replace(/\r\n/g, '\n').trim(),
});
