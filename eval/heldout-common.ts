/**
 * Pieces the held-out corpora share: the seeded generator their builders plant values with (one sequence, so a
 * corpus is the same text on every machine), and the scorer's rule for when a planted value counts as caught.
 */

/** mulberry32: small, fast and deterministic; the corpora need repeatable text, not cryptographic randomness. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u;
/** A piece survives when it is still in the output as a whole word or digit run (CJK: as a substring). */
export const survives = (out: string, w: string) =>
  CJK.test(w) ? out.includes(w) : new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${escape(w)}(?![\\p{L}\\p{M}\\p{N}])`, 'u').test(out);

/**
 * The pieces of a planted value that must be gone for it to count as caught: name and street words, a phone's digit
 * groups of two or more digits, a date whole. Pieces that also occur in `rest` (the text without this value; a
 * scorer decides what else it leaves out) cannot be told apart and are left out; with none left, the whole value
 * must be gone.
 */
export function pieces(p: { type: string; value: string }, rest: string): string[] {
  const raw = p.type === 'PHONE' ? p.value.match(/\d{2,}/g) ?? [] : p.type === 'DATE_OF_BIRTH' ? [p.value] : p.value.split(/[\s,]+/).filter((w) => w.length > 1 || CJK.test(w));
  const own = raw.filter((w) => !survives(rest, w));
  return own.length ? own : [p.value];
}
