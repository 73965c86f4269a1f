import { defineEntity, eachMatch } from './registry.js';

const MAC_RE = /(?<![\w:.-])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:-]|\.\w)|(?<![\w.:])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![\w.])/g;

/**
 * A separator, a hex pair, the same separator and a hex digit (dotted: a group of four between dots): a cheap test
 * before the full pattern. It starts with the separator so the engine skips digits and hex quickly, and a megabyte
 * of dashes or colons is no hint.
 */
const MAC_HINT = /([:-])[0-9A-Fa-f]{2}\1[0-9A-Fa-f]|\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]/;
const macHint = (text: string) => MAC_HINT.test(text);

export default defineEntity({
  type: 'MAC_ADDRESS',
  rank: 95,
  description: 'MAC (EUI-48) addresses: six hex pairs with `:` or `-`, or Cisco dotted `0011.2233.4455`.',
  validator: 'one separator throughout; the all-zero and broadcast addresses are not a device',
  context: 'none',
  lookalike: 'at 12:30:45 and 00:00:00:00:00:00',
  find: (text, out, ctx) => {
    // every hint has a ':', '-' or '.'
    if (!(ctx.hasColon || ctx.hasDot || text.indexOf('-') !== -1) || !macHint(text)) return;
    eachMatch(MAC_RE, text, (m) => {
      const hex = m[0].replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
      if (/^0{12}$|^f{12}$/.test(hex)) return;
      // a dotted triple of four digits each is more often a number than a Cisco MAC
      if (m[0][4] === '.' && !/[a-f]/i.test(hex)) return;
      out.push({ type: 'MAC_ADDRESS', start: m.index, end: m.index + m[0].length });
    });
  },
  normalise: (raw) => raw.replace(/[^0-9A-Fa-f]/g, '').toLowerCase(),
});
