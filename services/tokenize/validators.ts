/** Checksums and range rules that separate real identifiers from look-alikes. Pure, allocation-light. */

export function luhnOk(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/**
 * Issuer prefixes (IIN) of the card networks, with the lengths each issues. Luhn alone passes one random
 * number in ten; a plausible issuer cuts the millisecond timestamps and ISBN-13s that also pass it.
 */
export function cardIssuerOk(d: string): boolean {
  return cardIssuerOkBy(d.length, d.charCodeAt(0) - 48, +d.slice(0, 2), +d.slice(0, 3), +d.slice(0, 4), +d.slice(0, 6));
}

/** cardIssuerOk from the digit count, the first digit and the first 2, 3, 4 and 6 digits as numbers (a finder that read them). */
export function cardIssuerOkBy(n: number, first: number, p2: number, p3: number, p4: number, p6: number): boolean {
  if (first === 4) return n === 13 || n === 16 || n === 19; // Visa (and Visa Electron)
  if (p2 >= 51 && p2 <= 55) return n === 16; // Mastercard
  if (p4 >= 2221 && p4 <= 2720) return n === 16; // Mastercard 2-series
  if (p4 >= 2200 && p4 <= 2204) return n >= 16 && n <= 19; // Mir
  if (p2 === 34 || p2 === 37) return n === 15; // Amex
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) return n >= 16 && n <= 19; // Discover
  if (p2 === 35) return n >= 16 && n <= 19; // JCB: 3528-3589 assigned, the whole 35 range reserved to it
  if (p4 === 1800 || p4 === 2131) return n === 15; // JCB 15-digit
  if ((p3 >= 300 && p3 <= 305) || p4 === 3095 || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14 && n <= 19; // Diners (14; 16 when co-branded)
  if (p2 === 62) return n >= 16 && n <= 19; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 12 && n <= 19; // Maestro
  return false;
}

/** Group lengths card numbers are printed with, per total length (4-4-4-4, Amex 4-6-5, Diners 4-6-4, UnionPay 6-13...). */
const CARD_GROUPINGS = new Set([
  '4-4-4', // 12 Maestro
  '4-4-5', '4-4-4-1', // 13
  '4-6-4', '4-4-4-2', // 14
  '4-6-5', '4-4-4-3', // 15
  '4-4-4-4', // 16
  '4-4-4-4-1', '4-4-4-5', '4-4-9', // 17
  '4-4-4-4-2', '4-4-4-6', '8-10', // 18
  '4-4-4-4-3', '4-4-4-7', '6-13', '4-4-11', '5-5-5-4', // 19
]);
export function cardGroupingOk(groups: number[]): boolean {
  return groups.length === 1 || CARD_GROUPINGS.has(groups.join('-'));
}

/** Total IBAN length per country (SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23,
  GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19,
  SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/**
 * Countries whose BBAN is digits only (SWIFT IBAN registry). Mod-97 alone passes one random string in 97: a hex id
 * that starts with a country code and two digits (`be24b30021cf6019`) is no Belgian IBAN, whose BBAN is 12 digits.
 */
const NUMERIC_BBAN = new Set(['AE', 'AT', 'BA', 'BE', 'CR', 'CZ', 'DE', 'DK', 'EE', 'EG', 'ES', 'FI', 'FO', 'GL', 'HR', 'HU', 'IL', 'IS', 'LT', 'LY', 'ME', 'MR', 'NO', 'PL', 'PT', 'RS', 'SE', 'SI', 'SK', 'ST', 'TL', 'TN', 'VA', 'XK']);

/** ISO 13616 mod-97 on an upper-case IBAN without spaces, and digits where the country's BBAN has only digits. */
export function ibanOk(iban: string): boolean {
  const len = IBAN_LENGTHS[iban.slice(0, 2)];
  if (len === undefined || iban.length !== len) return false;
  const c2 = iban.charCodeAt(2);
  const c3 = iban.charCodeAt(3);
  if (c2 < 48 || c2 > 57 || c3 < 48 || c3 > 57) return false;
  if (NUMERIC_BBAN.has(iban.slice(0, 2))) for (let k = 4; k < len; k++) if (iban.charCodeAt(k) < 48 || iban.charCodeAt(k) > 57) return false;
  let rem = 0;
  for (let k = 0; k < len; k++) {
    const c = iban.charCodeAt((k + 4) % len);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

/** SSA rules: area 001-899 except 666, group 01-99, serial 0001-9999; the advertising range 987-65-432x is excluded by the area rule. */
export function ssnOk(area: string, group: string, serial: string): boolean {
  const a = +area;
  return a > 0 && a < 900 && a !== 666 && +group > 0 && +serial > 0 && !(area === '078' && group === '05' && serial === '1120');
}

export function ipv4Ok(s: string): boolean {
  // digits and dots (what the finders pass) in one loop, without splitting; anything else takes the general path
  let parts = 0;
  let len = 0;
  let val = 0;
  let lead0 = false;
  for (let k = 0; k <= s.length; k++) {
    const c = k < s.length ? s.charCodeAt(k) : 46;
    if (c === 46) {
      if (len === 0 || len > 3 || (len > 1 && lead0) || val > 255) return false;
      parts++;
      len = 0;
      val = 0;
    } else if (c >= 48 && c <= 57) {
      if (len === 0) lead0 = c === 48;
      len++;
      val = val * 10 + (c - 48);
    } else return ipv4OkSplit(s);
  }
  return parts === 4;
}

function ipv4OkSplit(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return false;
    if (p.length > 1 && p[0] === '0') return false;
    if (+p > 255) return false;
  }
  return true;
}

/** Eight 16-bit groups, or fewer around one `::`; an embedded IPv4 tail counts as two. Returns the expanded groups or null. */
export function parseIpv6(s: string): number[] | null {
  if (s.length < 2 || s.length > 45) return null;
  let tail: number[] = [];
  let head = s;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) !== -1) {
    const v4 = s.slice(lastColon + 1);
    if (!ipv4Ok(v4)) return null;
    const o = v4.split('.').map(Number);
    tail = [(o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!];
    head = s.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const dbl = head.indexOf('::');
  if (dbl !== -1 && head.indexOf('::', dbl + 1) !== -1) return null;
  const parseGroups = (str: string): number[] | null => {
    if (str === '') return [];
    const out: number[] = [];
    for (const g of str.split(':')) {
      if (g.length === 0 || g.length > 4 || !/^[0-9a-fA-F]+$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  if (dbl === -1) {
    const g = parseGroups(head);
    if (!g) return null;
    const all = [...g, ...tail];
    return all.length === 8 ? all : null;
  }
  const left = parseGroups(head.slice(0, dbl));
  const right = parseGroups(head.slice(dbl + 2));
  if (!left || !right) return null;
  const have = left.length + right.length + tail.length;
  if (have > 7) return null;
  return [...left, ...new Array<number>(8 - have).fill(0), ...right, ...tail];
}

/** RFC 5952 text form, so every spelling of one address hashes alike. */
export function canonicalIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

const digitAt = (s: string, i: number) => s.charCodeAt(i) - 48;

/** UK NHS number: 10 digits, weights 10..2 on the first nine, check = 11 - sum mod 11 (11 -> 0, 10 -> never issued). */
export function nhsOk(d: string): boolean {
  if (!/^\d{10}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += digitAt(d, i) * (10 - i);
  const check = 11 - (sum % 11);
  return check !== 10 && (check === 11 ? 0 : check) === digitAt(d, 9);
}

/** UK National Insurance number: prefix letters HMRC never issues are out (D F I Q U V; O second; BG GB KN NK NT TN ZZ). */
export function ninoOk(s: string): boolean {
  const m = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])\d{6}[A-D]$/.exec(s);
  return !!m && !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(m[1]! + m[2]!);
}

const NIF_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
/** Spanish DNI/NIF (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): the letter is the number mod 23. */
export function esNifOk(s: string): boolean {
  const m = /^([XYZ]|\d)(\d{7})([A-Z])$/.exec(s);
  if (!m) return false;
  const lead = m[1] === 'X' ? '0' : m[1] === 'Y' ? '1' : m[1] === 'Z' ? '2' : m[1]!;
  return NIF_LETTERS[+(lead + m[2]) % 23] === m[3];
}

// Italian codice fiscale: values of the characters in odd (1st, 3rd...) positions; even positions count 0-9 / A=0..Z=25.
const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
export const IT_FISCAL_SHAPE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
/** Check character of the codice fiscale (omocodia letters allowed where digits go). */
export function itFiscalOk(s: string): boolean {
  if (!IT_FISCAL_SHAPE.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = s.charCodeAt(i);
    const v = c <= 57 ? c - 48 : c - 65;
    sum += i % 2 === 0 ? CF_ODD[v]! : v;
  }
  return String.fromCharCode(65 + (sum % 26)) === s[15];
}

const VD = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VP = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
/** Verhoeff check (Aadhaar's last digit): catches every single-digit error and adjacent swap. */
export function verhoeffOk(d: string): boolean {
  let c = 0;
  for (let i = 0; i < d.length; i++) c = VD[c]![VP[i % 8]![digitAt(d, d.length - 1 - i)]!]!;
  return c === 0;
}
/** Aadhaar: 12 digits, not starting 0 or 1, Verhoeff. */
export const aadhaarOk = (d: string) => /^[2-9]\d{11}$/.test(d) && verhoeffOk(d);

/** Indian PAN: 5 letters (4th = holder type), 4 digits, letter. */
export const inPanOk = (s: string) => /^[A-Z]{3}[ABCFGHJLPTK][A-Z]\d{4}[A-Z]$/.test(s);

const weighted = (d: string, w: number[]) => w.reduce((sum, k, i) => sum + k * digitAt(d, i), 0);
/** Australian tax file number: 8 or 9 digits, weighted sum mod 11 = 0. */
export function auTfnOk(d: string): boolean {
  if (/^\d{9}$/.test(d)) return weighted(d, [1, 4, 3, 7, 5, 8, 6, 9, 10]) % 11 === 0;
  if (/^\d{8}$/.test(d)) return weighted(d, [10, 7, 8, 4, 6, 3, 5, 1]) % 11 === 0;
  return false;
}
/** Australian business number: 11 digits, first minus one, weighted sum mod 89 = 0. */
export function auAbnOk(d: string): boolean {
  if (!/^[1-9]\d{10}$/.test(d)) return false;
  const w = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  let sum = (digitAt(d, 0) - 1) * w[0]!;
  for (let i = 1; i < 11; i++) sum += digitAt(d, i) * w[i]!;
  return sum % 89 === 0;
}
/** Australian Medicare card: 10 digits (11 with the person's number), first 2-6, check digit 9 = weighted sum mod 10. */
export function auMedicareOk(d: string): boolean {
  if (!/^[2-6]\d{9,10}$/.test(d)) return false;
  return weighted(d, [1, 3, 7, 9, 1, 3, 7, 9]) % 10 === digitAt(d, 8) && d[9] !== '0';
}

/** Singapore NRIC (S, T) and FIN (F, G): weights 2765432, offset 4 for T and G, check letter from the series' table. */
export function sgNricOk(s: string): boolean {
  const m = /^([STFG])(\d{7})([A-Z])$/.exec(s);
  if (!m) return false;
  let sum = weighted(m[2]!, [2, 7, 6, 5, 4, 3, 2]);
  if (m[1] === 'T' || m[1] === 'G') sum += 4;
  const table = m[1] === 'S' || m[1] === 'T' ? 'JZIHGFEDCBA' : 'XWUTRQPNMLK';
  return table[sum % 11] === m[3];
}

/** US ITIN: 9XX-YY-ZZZZ with the group in 50-65, 70-88, 90-92 or 94-99. */
export function usItinOk(d: string): boolean {
  if (!/^9\d{8}$/.test(d)) return false;
  const g = +d.slice(3, 5);
  return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || (g >= 94 && g <= 99);
}

/** Calendar date with a plausible birth year (1900 to this year). */
export function birthDateOk(y: number, m: number, d: number, now = new Date()): boolean {
  if (y < 1900 || y > now.getUTCFullYear() || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}
