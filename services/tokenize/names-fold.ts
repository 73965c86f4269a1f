/** Letters that NFD does not split into base + mark, folded by hand so "Łukasz" finds "lukasz". */
const EXTRA: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ð: 'd', ß: 'ss', ı: 'i', æ: 'ae', œ: 'oe', þ: 'th', ħ: 'h', ŀ: 'l', ŧ: 't' };
const EXTRA_RE = /[łøđðßıæœþħŀŧ]/g;
const MARKS = /\p{M}+/gu;
// Words repeat within a text: the folded forms of the last few thousand non-ASCII words are kept (bounded, cleared when full)
const MEMO = new Map<string, string>();
const MEMO_MAX = 4096;

/** Lexicon key of a word: lower case, diacritics and apostrophe variants removed (ASCII words pass through cheaply). */
export function foldName(word: string): string {
  const w = word.toLowerCase();
  let ascii = true;
  // Han ideographs and Hangul syllables come back unchanged from NFD + NFC, and they have no marks to drop
  let unchanged = true;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c > 127) {
      ascii = false;
      if (!((c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0x3400 && c <= 0x4dbf))) {
        unchanged = false;
        break;
      }
    }
  }
  if (ascii || unchanged) return w;
  const m = MEMO.get(w);
  if (m !== undefined) return m;
  const f = w.replace(/’/g, "'").normalize('NFD').replace(MARKS, '').replace(EXTRA_RE, (c) => EXTRA[c]!).normalize('NFC');
  if (MEMO.size >= MEMO_MAX) MEMO.clear();
  MEMO.set(w, f);
  return f;
}
