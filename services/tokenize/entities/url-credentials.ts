import { defineEntity, eachMatch, type Candidate } from './registry.js';

const URL_RE = /\b[A-Za-z][A-Za-z0-9+.-]{1,15}:\/\/[^\s"'<>`]{1,2048}/g;
const USERINFO_RE = /^[A-Za-z][A-Za-z0-9+.-]{1,15}:\/\/([^\s/?#@]{1,256})@/;
// query or fragment parameters whose value is a credential or personal data
const PARAM_RE = /[?&;#](?:e-?mail|email_?address|mail|user(?:name)?|login|token|access_?token|id_?token|refresh_?token|auth(?:_?token)?|api[_-]?key|apikey|key|secret|client_?secret|password|passwd|pwd|pass|session(?:_?id)?|sid|sig|signature|phone|tel|mobile|msisdn|ssn|dob|birth_?date)=([^&#\s"'<>`]{1,1024})/gi;
const PLACEHOLDER = /^(?:x+|\*+|\{.*\}|<.*>|\$\{?[A-Z_]+\}?|%7B.*%7D|null|none|redacted|changeme|your[_-].*)$/i;

function find(text: string, out: Candidate[]): void {
  eachMatch(URL_RE, text, (m) => {
    const url = m[0];
    const ui = USERINFO_RE.exec(url);
    if (ui) {
      const info = ui[1]!;
      const colon = info.indexOf(':');
      const start = m.index + url.indexOf('://') + 3;
      // user:password, or a bare user part that is a token (https://ghp_...@github.com); a plain user name stays
      if ((colon >= 0 && colon < info.length - 1 && !PLACEHOLDER.test(info.slice(colon + 1))) || (colon === -1 && info.length >= 16 && /\d/.test(info) && /[A-Za-z]/.test(info))) {
        out.push({ type: 'URL_CREDENTIALS', start, end: start + info.length });
      }
    }
    if (url.indexOf('=') === -1) return;
    eachMatch(PARAM_RE, url, (p) => {
      const v = p[1]!;
      if (PLACEHOLDER.test(v)) return;
      const end = m.index + p.index + p[0].length;
      out.push({ type: 'URL_CREDENTIALS', start: end - v.length, end });
    });
  });
}

export default defineEntity({
  type: 'URL_CREDENTIALS',
  rank: 15,
  description: 'The sensitive part of a URL: `user:password@` user info, and the value of query parameters that carry credentials or personal data (`?email=`, `?token=`, `?api_key=`, `?phone=`, `&sig=` ...). The rest of the URL stays readable.',
  validator: 'parameter name from a fixed list; placeholders (`{token}`, `xxx`, `$TOKEN`) stay',
  context: 'inside a `scheme://` URL',
  lookalike: 'https://example.com/search?q=shoes&page=2&sort=asc',
  find: (text, out) => {
    if (text.indexOf('://') !== -1) find(text, out);
  },
});
