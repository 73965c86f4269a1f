import { test } from 'node:test';
import { assertFinds, assertNone, found } from './testing.js';

const pw = 'hun' + 'ter' + '22x';
test('URL_CREDENTIALS: user info in a URL is replaced, the host stays', () => {
  // the secret rules read URL user info first (postgres_password, url_password...): the password becomes a SECRET,
  // which credential_exposure alerts on; either way the value is gone and the host is kept
  const tok = 'ghp' + '_' + 'a1B2c3D4e5F6g7H8i9J0';
  for (const [t, value, host] of [
    [`db at postgres://app:${pw}@db.internal:5432/main`, pw, 'db.internal'],
    [`cache redis://:${pw}@cache.internal:6379/0`, pw, 'cache.internal'],
    [`mirror at https://app:${pw}@files.internal/pub`, pw, 'files.internal'],
    [`clone https://${tok}@github.com/o/r.git`, tok, 'github.com'],
  ] as const) {
    const f = found(t);
    if (!f.some((x) => x.value.includes(value) && (x.type === 'SECRET' || x.type === 'URL_CREDENTIALS'))) throw new Error(`${value} kept in ${t}: ${JSON.stringify(f)}`);
    if (f.some((x) => x.value.includes(host))) throw new Error(`${host} must stay in ${t}`);
  }
});
test('URL_CREDENTIALS: sensitive query values are replaced, others stay', () => {
  const t = 'open https://app.example.com/reset?email=jane%40example.com&sig=Zx81kQ&page=2&phone=%2B4420794600';
  assertFinds('URL_CREDENTIALS', t, 'jane%40example.com');
  assertFinds('URL_CREDENTIALS', t, 'Zx81kQ');
  assertFinds('URL_CREDENTIALS', t, '%2B4420794600');
  if (found(t).some((f) => f.value.includes('page'))) throw new Error('page=2 must stay');
});
test('URL_CREDENTIALS look-alikes: ordinary queries, plain user names, placeholders', () => {
  assertNone('URL_CREDENTIALS', 'https://example.com/search?q=shoes&page=2&sort=asc');
  assertNone('URL_CREDENTIALS', 'ssh://git@example.org/repo and https://api.example.com/v1?api_key={API_KEY}&token=xxxx');
  assertNone('URL_CREDENTIALS', 'not a url: ?email=x');
});
