import { detect, ENTITY_TYPES, type EntityType, type Span } from './detect.js';
import type { Keyring } from './keyring.js';
import { isOwnToken, tokenFor } from './tokens.js';

export { detect, ENTITY_TYPES, type EntityType, type Span } from './detect.js';
export { parseKeyring, type Keyring } from './keyring.js';
export { tokenFor, tokensForAllVersions, normalise, parseToken, isOwnToken, TOKEN_FORMAT } from './tokens.js';

/** SECRET entities also carry provider, subtype and family (see Span). */
export interface Entity extends Pick<Span, 'provider' | 'subtype' | 'family'> {
  type: EntityType;
  token: string;
  /** Offsets in the input text (after truncation). */
  start: number;
  end: number;
}

export interface TokenizeOptions {
  /** Entity types to look for (default all). Metadata fields use all but PERSON. */
  types?: ReadonlySet<EntityType>;
  /** Cap on the field in UTF-8 bytes; the rest is cut off before scanning. 0 or unset: no cap. */
  maxBytes?: number;
  /** Sees every original value with its token (the vault uses this); never log what it receives. */
  onValue?: (token: string, type: EntityType, raw: string) => void;
}

export interface TokenizeResult {
  text: string;
  entities: Entity[];
  truncated: boolean;
}

export const TRUNCATION_MARK = ' [llm-audit: truncated]';

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes, backing up to whitespace (within 256 bytes) so that a value
 * straddling the cut is dropped whole rather than kept half-visible and undetectable.
 */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (!maxBytes || text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  let cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  const ws = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\n'), cut.lastIndexOf('\t'));
  if (ws >= 0 && cut.length - ws <= 256) cut = cut.slice(0, ws);
  else if (ws < 0 || cut.length - ws > 256) cut = cut.slice(0, Math.max(0, cut.length - 256));
  return { text: cut, truncated: true };
}

export function tokenizeText(text: string, keyring: Keyring, opts: TokenizeOptions = {}): TokenizeResult {
  const t = opts.maxBytes ? truncateUtf8(text, opts.maxBytes) : { text, truncated: false };
  const src = t.text;
  const spans = detect(src, { types: opts.types, isOwnToken: (tok) => isOwnToken(tok, keyring) });
  if (spans.length === 0) return { text: t.truncated ? src + TRUNCATION_MARK : src, entities: [], truncated: t.truncated };
  const parts: string[] = [];
  const entities: Entity[] = [];
  let pos = 0;
  for (const s of spans) {
    const raw = src.slice(s.start, s.end);
    const token = tokenFor(s.type, raw, keyring);
    opts.onValue?.(token, s.type, raw);
    parts.push(src.slice(pos, s.start), token);
    entities.push({ type: s.type, token, start: s.start, end: s.end, provider: s.provider, subtype: s.subtype, family: s.family });
    pos = s.end;
  }
  parts.push(src.slice(pos));
  if (t.truncated) parts.push(TRUNCATION_MARK);
  return { text: parts.join(''), entities, truncated: t.truncated };
}

export const ALL_TYPES: ReadonlySet<EntityType> = new Set(ENTITY_TYPES);
export const METADATA_TYPES: ReadonlySet<EntityType> = new Set(ENTITY_TYPES.filter((t) => t !== 'PERSON'));
