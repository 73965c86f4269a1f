/** Letters that NFD does not split into base + mark, folded by hand so "Łukasz" finds "lukasz". */
const EXTRA: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ð: 'd', ß: 'ss', ı: 'i', æ: 'ae', œ: 'oe', þ: 'th', ħ: 'h', ŀ: 'l', ŧ: 't' };
const EXTRA_RE = /[łøđðßıæœþħŀŧ]/g;
const MARKS = /\p{M}+/gu;

/** Lexicon key of a word: lower case, diacritics and apostrophe variants removed (ASCII words pass through cheaply). */
export function foldName(word: string): string {
  const w = word.toLowerCase();
  let ascii = true;
  for (let i = 0; i < w.length; i++) if (w.charCodeAt(i) > 127) { ascii = false; break; }
  if (ascii) return w;
  return w.replace(/’/g, "'").normalize('NFD').replace(MARKS, '').replace(EXTRA_RE, (c) => EXTRA[c]!).normalize('NFC');
}
