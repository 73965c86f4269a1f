import { defineEntity, isAlnum, type Candidate } from './registry.js';

const NON_ASCII_WORD = /[\p{L}\p{N}]/u;
function isLocalChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || c === 39 || (c > 127 && NON_ASCII_WORD.test(text[i]!));
}
function isDomainChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return isAlnum(c) || c === 45 || c === 46 || (c > 127 && NON_ASCII_WORD.test(text[i]!));
}

/** An ASCII letter in text[a, b), or (`nonAscii`) any unit from U+0080 on. */
function hasLetter(text: string, a: number, b: number, nonAscii: boolean): boolean {
  for (let k = a; k < b; k++) {
    const c = text.charCodeAt(k);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (nonAscii && c >= 0x80)) return true;
  }
  return false;
}

/**
 * Scans outward from each '@' (linear in the text, whatever its content) instead of a regex with two unbounded
 * sides. The domain is read first: most '@' in hostile or technical text (`@@@`, `@types`, `a@b@c`) have no
 * domain with a dot, and the local part is not looked at for those.
 */
export function findEmails(text: string, out: Candidate[]): void {
  let at = text.indexOf('@');
  let floor = 0;
  while (at !== -1) {
    if (at === 0 || at + 1 >= text.length || !isLocalChar(text, at - 1) || !isDomainChar(text, at + 1)) {
      // in a run of '@' none is an address: each has an '@' after it (no domain) or before it (no local part)
      let q = at + 1;
      while (q < text.length && text.charCodeAt(q) === 64) q++;
      at = text.indexOf('@', q > at + 1 ? q : at + 1);
      continue;
    }
    let e = at + 1;
    let dot = false;
    for (; e < text.length && e - at <= 253 && isDomainChar(text, e); e++) if (text.charCodeAt(e) === 46) dot = true;
    while (e > at + 1 && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
    if (!dot && e !== text.length) {
      // a domain needs a dot unless the text was cut right there
      at = text.indexOf('@', at + 1);
      continue;
    }
    let s = at;
    while (s > floor && at - s < 64 && isLocalChar(text, s - 1)) s--;
    while (s < at && text.charCodeAt(s) === 46) s++;
    // the domain read in place (a megabyte of addresses makes no slices): its last dot, and whether two dots touch
    let lastDot = -1;
    let dots = false;
    for (let k = at + 1; k < e; k++) {
      if (text.charCodeAt(k) !== 46) continue;
      if (lastDot === k - 1) dots = true;
      lastDot = k;
    }
    // a TLD has a letter (rules out pkg@1.2.3); a domain without a dot only when the text was cut right there
    const ok = s < at && e > at + 1 && text.charCodeAt(at + 1) !== 46 && !dots &&
      ((lastDot > at + 1 && hasLetter(text, lastDot + 1, e, true)) || (lastDot === -1 && e === text.length && hasLetter(text, at + 1, e, false)));
    if (ok) {
      out.push({ type: 'EMAIL', start: s, end: e });
      floor = e;
      at = text.indexOf('@', e);
    } else at = text.indexOf('@', at + 1);
  }
}

export default defineEntity({
  type: 'EMAIL',
  rank: 20,
  description: 'E-mail address, including plus tags, sub-domains and internationalised local parts and domains.',
  validator: 'domain with a dot and a TLD that has a letter (a domain cut off at the end of the text is accepted)',
  context: 'none',
  lookalike: 'install left-pad@1.3.0 and @types/node',
  find: (text, out, ctx) => {
    if (ctx.hasAt) findEmails(text, out);
  },
  normalise: (raw) => raw.trim().toLowerCase(),
});
