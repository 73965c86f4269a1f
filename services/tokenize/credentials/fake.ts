/**
 * Fake credential material for tests and benchmarks: a fixed pseudo-random run (a linear congruential generator),
 * so the same seed builds the same text in every run, and no tracked file holds a string a secret scanner flags.
 */
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function seededRun(n: number, alphabet = ALNUM, seed = 7): string {
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += alphabet[(x >>> 16) % alphabet.length];
  }
  return s;
}
