import { compactUpper, defineEntity, idFinder } from './registry.js';

export default defineEntity({
  type: 'US_DRIVER_LICENSE',
  rank: 53,
  description: "US driver's licence number in the state formats (1-2 letters and 4-14 digits, 7-14 digits, Florida/Washington dashed forms).",
  validator: 'none published (state formats only); at least five digits',
  context: "a driver's licence word (driver's license, driving licence, DL, DLN) within 48 characters before",
  lookalike: 'build 20240312 passed; license MIT',
  find: idFinder({
    type: 'US_DRIVER_LICENSE',
    re: /(?<![\w-]|\d[ -])(?:[A-Z]{1,2}[- ]?\d{4,14}|\d{7,14}|[A-Z]\d{3}-\d{3}-\d{2}-\d{3}-\d|[A-Z]\d{3}-\d{4}-\d{4}(?:-\d{2})?)(?![\w-]|[ -]\d)/g,
    cue: /(?:driver'?s?'?[ -]?licen[cs]e|driving[ -]licen[cs]e|\bDLN?\b|licen[cs]e (?:no|number|#))[^\n]{0,30}$/i,
    ok: (c) => (c.match(/\d/g)?.length ?? 0) >= 5,
    // the context word is required: documents without it are not scanned
    gate: (text, ctx) => ctx.hasDigit && /licen[cs]e|\bDLN?\b/i.test(text),
  }),
  normalise: compactUpper,
});
