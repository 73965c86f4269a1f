import { test } from 'node:test';
import { assertFinds, assertNone, found } from './testing.js';

const pw = 'hun' + 'ter' + '22x';
test('URL_CREDENTIALS: user:password and token user info are replaced, the host stays', () => {
  const t = `db at postgres://app:${pw}@db.internal:5432/main`;
  assertFinds('URL_CREDENTIALS', t, `app:${pw}`);
  assertFinds('URL_CREDENTIALS', `cache redis://:${pw}@cache.internal:6379/0`, `:${pw}`);
  const tok = 'ghp' + '_' + 'a1B2c3D4e5F6g7H8i9J0';
  assertFinds('URL_CREDENTIALS', `clone https://${tok}@github.com/o/r.git`, tok);
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
