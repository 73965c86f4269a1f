import { setPath, type Doc, type Json } from '../common/types.js';

/**
 * Invisible code points that can carry instructions a reader never sees ("ASCII smuggling"), counted on the
 * raw text, before any normalisation removes them:
 * - Unicode tag characters U+E0000-E007F: each mirrors an ASCII character, so a run of them is hidden text
 *   (decoded here for a preview). A subdivision flag (U+1F3F4, a few tag letters, U+E007F cancel tag) is not.
 * - Bidi embeddings, overrides and isolates U+202A-202E, U+2066-2069 (Trojan Source); overrides
 *   (U+202D, U+202E) counted apart.
 * - Zero-width characters (U+200B-200D, U+2060, U+FEFF) in runs: one joiner between letters or emoji is
 *   ordinary text (Persian ZWNJ, emoji ZWJ sequences); runs of them encode bits.
 */
export interface InvisibleScan {
  tag_chars: number;
  bidi_controls: number;
  bidi_overrides: number;
  /** zero-width characters that stand in runs of two or more */
  zero_width: number;
  zero_width_run: number;
  /** the text the tag characters spell (raw: tokenize it before it goes anywhere) */
  hidden: string;
}

/** Fast rejection: most prompts contain none of these. */
const ANY = /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]|\uDB40[\uDC00-\uDC7F]/;
const MAX_HIDDEN = 512;
/** A subdivision flag has 2 to 6 tag characters after U+1F3F4 before its cancel tag. */
const MAX_FLAG_TAGS = 7;

const isZeroWidth = (c: number) => (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff;

export function scanInvisible(text: string): InvisibleScan | null {
  if (!ANY.test(text)) return null;
  const out: InvisibleScan = { tag_chars: 0, bidi_controls: 0, bidi_overrides: 0, zero_width: 0, zero_width_run: 0, hidden: '' };
  let run = 0;
  const endRun = () => {
    if (run >= 2) out.zero_width += run;
    if (run > out.zero_width_run) out.zero_width_run = run;
    run = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isZeroWidth(c)) {
      run++;
      continue;
    }
    endRun();
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
      out.bidi_controls++;
      if (c === 0x202d || c === 0x202e) out.bidi_overrides++;
    } else if (c === 0xdb40 && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo < 0xdc00 || lo > 0xdc7f) continue;
      // a run of tag characters, from here to its end
      let j = i;
      let chars = '';
      while (j + 1 < text.length && text.charCodeAt(j) === 0xdb40 && text.charCodeAt(j + 1) >= 0xdc00 && text.charCodeAt(j + 1) <= 0xdc7f) {
        const ascii = text.charCodeAt(j + 1) - 0xdc00;
        if (ascii >= 0x20 && ascii < 0x7f) chars += String.fromCharCode(ascii);
        j += 2;
      }
      const n = (j - i) / 2;
      const afterFlag = i >= 2 && text.charCodeAt(i - 2) === 0xd83c && text.charCodeAt(i - 1) === 0xdff4;
      const cancelled = text.charCodeAt(j - 2) === 0xdb40 && text.charCodeAt(j - 1) === 0xdc7f;
      if (!(afterFlag && cancelled && n <= MAX_FLAG_TAGS)) {
        out.tag_chars += n;
        if (out.hidden.length < MAX_HIDDEN) out.hidden += chars.slice(0, MAX_HIDDEN - out.hidden.length);
      }
      i = j - 1;
    }
  }
  endRun();
  return out.tag_chars || out.bidi_controls || out.zero_width ? out : null;
}

/** What the tokenize stage records on the audit document, `llm_audit.invisible_unicode`, for the detectors. */
export const INVISIBLE_PATH = 'llm_audit.invisible_unicode';
const PREVIEW_CHARS = 160;

/**
 * Counts invisible code points of the raw text fields and records them (with the hidden text, tokenized by
 * `tokenize` and cut to a preview) on the document. Returns whether anything was found.
 */
export function recordInvisible(doc: Doc, fields: Record<string, unknown>, names: readonly string[], tokenize: (s: string) => string): boolean {
  let total: { [k: string]: Json } | null = null;
  const found: string[] = [];
  let hidden = '';
  for (const f of names) {
    const v = fields[f];
    if (typeof v !== 'string' || !v) continue;
    const s = scanInvisible(v);
    if (!s) continue;
    found.push(f);
    total ??= { tag_chars: 0, bidi_controls: 0, bidi_overrides: 0, zero_width: 0, zero_width_run: 0 };
    total.tag_chars = (total.tag_chars as number) + s.tag_chars;
    total.bidi_controls = (total.bidi_controls as number) + s.bidi_controls;
    total.bidi_overrides = (total.bidi_overrides as number) + s.bidi_overrides;
    total.zero_width = (total.zero_width as number) + s.zero_width;
    total.zero_width_run = Math.max(total.zero_width_run as number, s.zero_width_run);
    if (s.hidden) hidden += (hidden ? ' | ' : '') + s.hidden;
  }
  if (!total) return false;
  total.fields = found;
  if (hidden) {
    const t = tokenize(hidden);
    total.hidden_preview = t.length > PREVIEW_CHARS ? `${t.slice(0, PREVIEW_CHARS)}…` : t;
    total.hidden_chars = hidden.length;
  }
  setPath(doc, INVISIBLE_PATH, total);
  return true;
}
