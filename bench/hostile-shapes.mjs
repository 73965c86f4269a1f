// The 1 MiB hostile fields of the bad-input table (bench/tokenize.ts's 30 shapes, short names, and a wrapped IBAN),
// in one place for the tokenize A/B, per-part and per-finder scripts, so they time the same inputs.
export const MB = 1 << 20;
const rep = (s) => s.repeat(Math.ceil(MB / s.length)).slice(0, MB);
const b64 = Buffer.from('mail jane.doe@example.com, call +1 415 555 0100 ').toString('base64');
export const shapes = {
  prose: rep('The quick brown fox jumps over the lazy dog while the team reviews the deploy notes. '),
  digits: rep('7'), at: rep('@'), dashes: rep('-'), dots: rep('.'), zw: rep('\u200b'), dzw: rep('4\u200b'), b64run: rep('QUJD'), b64pii: rep(`${b64} `), nested: rep('%25252540'),
  html: rep('&#64;&commat;'), json: rep('\\u0040'), fullwidth: rep('４'), marks: rep('e\u0301'), nfkc: rep('\ufdfa'),
  spaced: rep('1 '), atdot: rep('a [at] b [dot] '), plus: rep('a=1+'), lines: rep('1\n'), sdash: rep('1 - '),
  cyr: rep('аеорсух@'), ftok: rep('<EMAIL:k1:3036971842abcdef> '), ssncue: rep('SSN on file '),
  formph: rep('phone=%2B1%2D303%2D697%2D1842&'), qwrap: rep('hf_QwErTyUiOpAsDfGhJkLzXcVb\n> '), pdig: rep('25252540%'),
  mixed: rep('x@y.com 4111 1111 1111 1111 ＠ &#64; %40 \u200b '),
  ibanwrap: rep('DE89 3704 0044\n0532 0130 00 '), speaker: rep('Alice: hi\n'), signoff: rep('Regards,\nAnna Smith\n'), csv: rep('name,email\nJohn Doe,x\n'),
};
