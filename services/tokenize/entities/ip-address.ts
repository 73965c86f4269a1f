import { canonicalIpv6, ipv4Ok, parseIpv6 } from '../validators.js';
import { defineEntity, eachMatch, isAlnum, textFacts } from './registry.js';

// `version 10.2.3.4`, `build: 1.0.0.12`: a dotted quad right after a version word is a version, not an address.
const VERSION_CUE = /\b(?:version|ver|release|build|firmware|v)[ \t]{0,2}[:=#]?[ \t]{0,2}$/i;
const IPV4_RE = /(?<![\w.-])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;
const IPV6_RE = /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|:)(?::[0-9A-Fa-f]{0,4}){2,7}(?::?(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\w)/g;
// every IPv6 match has two colons with at most four hex digits between them (its first two `:h{0,4}` groups): a scan
// for that from each ':' spares the pattern's try at every hex letter (a megabyte of `<EMAIL:k1:3036971842abcdef>`)
const IPV6_HINT = /:[0-9A-Fa-f]{0,4}:/;

/** `010.001.2.3` -> `10.1.2.3` for octets of one to three digits (what String(+octet) gives), without a split; else null. */
function dottedNoZeros(raw: string): string | null {
  let out = '';
  let from = 0;
  for (let k = 0; k <= raw.length; k++) {
    const c = k < raw.length ? raw.charCodeAt(k) : 46;
    if (c === 46) {
      if (k - from > 3) return null;
      let z = from;
      while (z < k - 1 && raw.charCodeAt(z) === 48) z++;
      out += (from > 0 ? '.' : '') + (k === from ? '0' : raw.slice(z, k));
      from = k + 1;
    } else if (c < 48 || c > 57) return null;
  }
  return out;
}

export default defineEntity({
  type: 'IP_ADDRESS',
  rank: 90,
  description: 'IPv4 and IPv6 addresses (compressed, full and IPv4-mapped forms).',
  validator: 'IPv4 octets 0-255 without leading zeros; IPv6 parsed in full (one `::`, eight groups)',
  context: 'not after a version word or as `Product/1.2.3.4` in a user agent',
  lookalike: 'Chrome/120.0.0.0 and version 10.2.3.4',
  find: (text, out, ctx) => {
    if (ctx.hasDigit && ctx.hasDot && textFacts(text, ctx).digitDot) {
      eachMatch(IPV4_RE, text, (m) => {
        if (!ipv4Ok(m[0])) return;
        if (m.index >= 2 && text[m.index - 1] === '/' && isAlnum(text.charCodeAt(m.index - 2))) return;
        if (VERSION_CUE.test(text.slice(Math.max(0, m.index - 16), m.index))) return;
        out.push({ type: 'IP_ADDRESS', start: m.index, end: m.index + m[0].length });
      });
    }
    if (ctx.hasColon && IPV6_HINT.test(text)) {
      eachMatch(IPV6_RE, text, (m) => {
        const v = m[0];
        if (!parseIpv6(v)) return;
        const hex = v.replace(/[^0-9A-Fa-f]/g, '').length;
        const groups = v.split(':').filter(Boolean).length;
        if (hex < 4 || groups < 2 || (!v.includes('::') && groups < 8 && !v.includes('.'))) return;
        out.push({ type: 'IP_ADDRESS', start: m.index, end: m.index + v.length });
      });
    }
  },
  normalise: (raw) => {
    if (raw.includes(':')) {
      const g = parseIpv6(raw);
      return g ? canonicalIpv6(g) : raw.toLowerCase();
    }
    return dottedNoZeros(raw) ?? raw.split('.').map((o) => String(+o)).join('.');
  },
});
