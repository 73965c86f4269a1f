import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findSecrets, formats, RULES } from './index.js';
import { ALNUM, seededRun } from './fake.js';
import { base62, crc32 } from './rule.js';

// Every credential below is fake and assembled at run time, so no tracked file holds a string a scanner flags.
const j = (...p: string[]) => p.join('');
const rnd = (n: number, alphabet = ALNUM, seed = 7) => seededRun(n, alphabet, seed);
const hex = (n: number, seed = 3) => rnd(n, '0123456789abcdef', seed);
const gh = (p: string) => {
  const body = rnd(30, undefined, p.length + 11);
  return j(p, body, base62(crc32(body), 6));
};
const PEM = (label: string) => j('-----', 'BEGIN ', label, '-----\n', rnd(64), '\n', rnd(40), '\n-----', 'END ', label, '-----');

// [provider, subtype, text, secret]
const cases: [string, string, string, string][] = [
  ['openai', 'openai_project_key', '', j('sk-', 'proj-', rnd(60), 'T3BlbkFJ', rnd(60))],
  ['openai', 'openai_service_account_key', '', j('sk-', 'svcacct-', rnd(70))],
  ['openai', 'openai_admin_key', '', j('sk-', 'admin-', rnd(70))],
  ['openai', 'openai_legacy_key', '', j('sk-', rnd(20), 'T3BlbkFJ', rnd(20))],
  ['anthropic', 'anthropic_api_key', '', j('sk-', 'ant-api03-', rnd(93, undefined, 5), 'AA')],
  ['anthropic', 'anthropic_admin_key', '', j('sk-', 'ant-admin01-', rnd(93, undefined, 9), 'AA')],
  ['openrouter', 'openrouter_key', '', j('sk-', 'or-v1-', hex(64))],
  ['deepseek', 'deepseek_key', '', j('sk-', hex(32))],
  ['groq', 'groq_key', '', j('gsk', '_', rnd(52))],
  ['xai', 'xai_key', '', j('xai', '-', rnd(80))],
  ['perplexity', 'perplexity_key', '', j('pplx', '-', rnd(48))],
  ['replicate', 'replicate_token', '', j('r8', '_', rnd(37))],
  ['huggingface', 'huggingface_token', '', j('hf', '_', rnd(34))],
  ['google', 'google_api_key', '', j('AI', 'za', rnd(35))],
  ['azure_openai', 'azure_openai_key', 'curl https://acme.openai.azure.com/openai/deployments/x -H "api-key: %s"', hex(32)],
  ['mistral', 'mistral_key', 'the Mistral key is %s', rnd(32)],
  ['cohere', 'cohere_key', 'cohere client = Client("%s")', rnd(40)],
  ['aws', 'aws_access_key_id', '', j('AK', 'IA', rnd(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'))],
  ['aws', 'aws_secret_access_key', 'aws_secret_access_key = %s', j(rnd(20), '/', rnd(19))],
  ['azure', 'azure_storage_account_key', 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=%s;EndpointSuffix=core.windows.net', j(rnd(86, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'), '==')],
  ['azure', 'azure_ad_client_secret', 'client secret: %s', j(rnd(3), '8Q~', rnd(34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-'))],
  ['github', 'github_pat', '', gh('ghp_')],
  ['github', 'github_oauth_token', '', gh('gho_')],
  ['github', 'github_user_to_server_token', '', gh('ghu_')],
  ['github', 'github_server_to_server_token', '', gh('ghs_')],
  ['github', 'github_refresh_token', '', gh('ghr_')],
  ['github', 'github_fine_grained_pat', '', j('github', '_pat_', rnd(22), '_', rnd(59))],
  ['gitlab', 'gitlab_pat', '', j('glpat', '-', rnd(20))],
  ['npm', 'npm_token', '', j('npm', '_', rnd(30), base62(crc32(rnd(30)), 6))],
  ['pypi', 'pypi_token', '', j('pypi-', 'AgEIcHlwaS5vcmc', rnd(80))],
  ['docker', 'dockerhub_pat', '', j('dckr', '_pat_', rnd(27))],
  ['slack', 'slack_bot_token', '', j('xox', 'b-', '1234567890-', '1234567890123-', rnd(24))],
  ['slack', 'slack_webhook', '', j('https://hooks.', 'slack.com/services/', 'T', rnd(10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), '/B', rnd(10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), '/', rnd(24))],
  ['discord', 'discord_bot_token', '', j('MT', rnd(24), '.', rnd(6), '.', rnd(38))],
  ['telegram', 'telegram_bot_token', '', j('123456789', ':AA', rnd(33))],
  ['stripe', 'stripe_secret_key', '', j('sk', '_live_', rnd(99))],
  ['stripe', 'stripe_restricted_key', '', j('rk', '_live_', rnd(99))],
  ['square', 'square_access_token', '', j('EA', 'AA', rnd(60))],
  ['paypal', 'braintree_access_token', '', j('access_token$', 'production$', rnd(16, 'abcdefghijklmnopqrstuvwxyz0123456789'), '$', hex(32))],
  ['twilio', 'twilio_account_sid', '', j('A', 'C', hex(32))],
  ['twilio', 'twilio_auth_token', 'TWILIO_AUTH_TOKEN is %s', hex(32, 9)],
  ['sendgrid', 'sendgrid_api_key', '', j('S', 'G.', rnd(22), '.', rnd(43))],
  ['mailgun', 'mailgun_api_key', '', j('key', '-', hex(32))],
  ['shopify', 'shopify_access_token', '', j('shp', 'at_', hex(32))],
  ['atlassian', 'atlassian_api_token', '', j('ATA', 'TT3', rnd(180))],
  ['linear', 'linear_api_key', '', j('lin', '_api_', rnd(40))],
  ['notion', 'notion_token', '', j('ntn', '_', '12345678901', rnd(35))],
  ['supabase', 'supabase_pat', '', j('sbp', '_', hex(40))],
  ['vercel', 'vercel_token', '', j('vcp', '_', rnd(56))],
  ['netlify', 'netlify_token', '', j('nfp', '_', rnd(36))],
  ['heroku', 'heroku_api_key', '', j('HRKU', '-', rnd(60))],
  ['digitalocean', 'digitalocean_pat', '', j('dop', '_v1_', hex(64))],
  ['databricks', 'databricks_token', '', j('da', 'pi', hex(32))],
  ['hashicorp', 'terraform_cloud_token', '', j(rnd(14), '.atlas', 'v1.', rnd(67))],
  ['hashicorp', 'vault_service_token', '', j('hv', 's.', rnd(95))],
  ['doppler', 'doppler_token', '', j('dp.', 'pt.', rnd(43))],
  ['datadog', 'datadog_api_key', 'DD_API_KEY=%s', hex(32, 5)],
  ['newrelic', 'newrelic_user_key', '', j('NR', 'AK-', rnd(27, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'))],
  ['sentry', 'sentry_dsn', 'dsn: https://%s@o123.ingest.sentry.io/456', hex(32, 4)],
  ['google', 'google_oauth_client_secret', '', j('GOCS', 'PX-', rnd(28))],
  ['age', 'age_secret_key', '', j('AGE-', 'SECRET-KEY-1', rnd(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'.toUpperCase()))],
  ['jwt', 'jwt', '', j('eyJ', rnd(30), '.eyJ', rnd(60), '.', rnd(43))],
  ['tavily', 'tavily_api_key', 'tavily_client = TavilyClient(api_key="%s")', j('tvly', '-dev-', rnd(32, undefined, 21))],
  ['firecrawl', 'firecrawl_api_key', 'app = FirecrawlApp(api_key="%s")', j('fc', '-', hex(32, 22))],
  ['grafana', 'grafana_api_key', 'curl -H "Authorization: Bearer %s" https://grafana.internal/api/dashboards', j('eyJr', 'Ijoi', rnd(60, undefined, 23), '==')],
  ['fastly', 'fastly_api_token', 'curl -H "Fastly-Key: %s" https://api.fastly.com/service', rnd(32, undefined, 24)],
  ['twitch', 'twitch_token', 'TWITCH_CLIENT_SECRET=%s', rnd(30, 'abcdefghijklmnopqrstuvwxyz0123456789', 25)],
  ['codecov', 'codecov_token', 'CODECOV_TOKEN: %s', '7c1f3e2a-4b5d-4e6f-8a9b-0c1d2e3f4a5b'],
  ['contribsys', 'sidekiq_credentials', 'BUNDLE_ENTERPRISE__CONTRIBSYS__COM=%s bundle install', j(hex(8, 26), ':', hex(8, 27))],
  ['pem', 'rsa_private_key', '', PEM('RSA PRIVATE KEY')],
  ['openssh', 'openssh_private_key', '', PEM('OPENSSH PRIVATE KEY')],
  ['pgp', 'pgp_private_key', '', PEM('PGP PRIVATE KEY BLOCK')],
  ['postgres', 'postgres_password', 'postgresql://svc:%s@db.internal:5432/app', 'Xy7-pq_2Lm'],
  ['mysql', 'mysql_password', 'mysql+pymysql://root:%s@mysql/app', 'k3y%21pw'],
  ['mongodb', 'mongodb_password', 'mongodb+srv://app:%s@cluster0.x.mongodb.net/db', 'Qm9v0Y7tZ1'],
  ['redis', 'redis_password', 'redis://:%s@cache:6379/0', 'r3d1sPass'],
  ['rabbitmq', 'amqp_password', 'amqps://user:%s@mq.example.net/vhost', 'amqpS3cret'],
  ['kafka', 'kafka_sasl_jaas_password', 'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="svc" password="%s";', 'kafKa-99x'],
  ['generic', 'password_assignment', 'DB_PASSWORD="%s"', 'hunter2!x'],
  ['generic', 'password_assignment', "ENV['REDIS_PASSWORD'] ||= '%s'", 'Maple%97z'],
  ['generic', 'password_prose', 'the new root password is %s starting Monday', 'Welcome2019?6'],
  ['generic', 'cli_password', 'curl -u admin:%s https://x', 'Troub4dor&3'],
  ['generic', 'bearer_token', 'Authorization: Bearer %s', j(rnd(30), '-', rnd(12))],
  ['generic', 'basic_auth', 'Authorization: Basic %s', 'YWxhZGRpbjpvcGVuc2VzYW1l'],
];

for (const [provider, subtype, tpl, secret] of cases) {
  test(`${subtype} (${provider}) is found with its provider`, () => {
    const text = tpl ? tpl.replace('%s', secret) : `config: ${secret} end`;
    const at = text.indexOf(secret);
    const spans = findSecrets(text);
    const hit = spans.find((s) => s.start <= at && s.end >= at + secret.length && s.subtype === subtype);
    assert.ok(hit, `${JSON.stringify(spans.map((s) => [s.subtype, text.slice(s.start, s.end)]))}`);
    assert.equal(hit.provider, provider);
  });
}

// public values and placeholders that must stay
const keeps: [string, string][] = [
  ['ssh public key', j('ssh-', 'ed25519 AAAAC3NzaC1lZDI1NTE5AAAA', rnd(43), ' me@host')],
  ['PEM public key', j('-----', 'BEGIN PUBLIC KEY-----\n', rnd(64), '\n-----', 'END PUBLIC KEY-----')],
  ['certificate', j('-----', 'BEGIN CERTIFICATE-----\n', rnd(64), '\n-----', 'END CERTIFICATE-----')],
  ['stripe publishable key', j('publishable: pk', '_live_', rnd(24))],
  ['placeholder sk-...', 'OPENAI_API_KEY=sk-...'],
  ['YOUR_API_KEY', 'api_key = "YOUR_API_KEY"'],
  ['<token>', 'Authorization: Bearer <token>'],
  ['xxxx', 'AUTH_TOKEN="xxxx"'],
  ['${VAR}', 'password: ${DB_PASSWORD}'],
  ['env reference', 'api_key = os.environ["OPENAI_API_KEY"]'],
  ['uuid', 'request id: 3f2b8c1e-9a4d-4c7e-b1f0-2d6e8a9c0b31'],
  ['git sha', `commit ${hex(40)} merged`],
  ['git sha near a datadog word', `datadog agent build ref = ${hex(40, 8)}`],
  ['sha256 digest', `nginx@sha256:${hex(64)}`],
  ['npm integrity', j('integrity: sha512-', rnd(86, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'), '==')],
  ['ARN and account id', 'arn:aws:iam::123456789012:role/lambda-exec account-id: 123456789012'],
  ['AWS documentation example', j('AKIA', 'IOSFODNN7', 'EXAMPLE')],
  ['mapbox public token', j('MAPBOX_PUBLIC_TOKEN=pk.', 'eyJ1IjoiYWNtZSIsImEiOiJ4eXoifQ.', rnd(22))],
  ['JWT public key variable', j('JWT_PUBLIC_KEY="-----', 'BEGIN PUBLIC KEY-----\\n', rnd(40), '\\n-----END PUBLIC KEY-----"')],
  ['token counts', 'max_tokens: 4096, tokenizer: cl100k_base'],
  ['password policy', 'password_min_length = 12'],
  ['low-entropy github look-alike', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
  ['tavily placeholder', 'TavilyClient(api_key="tvly-YOUR_API_KEY")'],
  ['codecov badge id is not a token', 'codecov commit 9f1c2d3e4b5a69788776655443322110ffeeddcc passed'],
];
for (const [what, text] of keeps) {
  test(`stays: ${what}`, () => {
    assert.deepEqual(findSecrets(text).map((s) => [s.subtype, text.slice(s.start, s.end)]), []);
  });
}

test('the catalogue: at least 150 formats, unique ids, each with provider, family and format', () => {
  const all = formats();
  assert.ok(all.length >= 150, `${all.length} formats`);
  assert.equal(new Set(all.map((f) => f.id)).size, all.length, 'ids are unique');
  for (const f of all) assert.ok(f.provider && f.family && f.format.length > 5, f.id);
  assert.ok(all.some((f) => f.checksum), 'checksummed formats say so');
});

test('every prefix rule starts behind a look-behind and uses bounded quantifiers', () => {
  for (const r of RULES) {
    const src = r.kind === 'prefix' ? r.re.source : r.value.source;
    assert.ok(!/[^\\][*+](?!\?)/.test(src.replace(/\[[^\]]*\]/g, 'C')), `${r.id}: unbounded quantifier in ${src}`);
    if (r.kind === 'prefix' && !r.id.endsWith('webhook')) assert.ok(r.re.source.startsWith('(?<!') && r.lbTable, `${r.id} has a look-behind`);
  }
});

test('text built to be all findings is withheld past one finding per 64 characters, and nothing in it survives', () => {
  const values: string[] = [];
  let text = 'intro line\n';
  for (let k = 0; text.length < 64 * 1024; k++) {
    const v = j('Pw', k.toString(36), '!x');
    values.push(v);
    text += `pw='${v}' `;
  }
  const spans = findSecrets(text);
  const dense = spans.filter((s) => s.subtype === 'dense_credentials');
  assert.equal(dense.length, 1);
  assert.equal(dense[0]!.end, text.length);
  assert.ok(spans.length <= 256 + text.length / 64 + 2, `${spans.length} spans`);
  const covered = new Uint8Array(text.length);
  for (const s of spans) covered.fill(1, s.start, s.end);
  for (const v of values) {
    const at = text.indexOf(`'${v}'`) + 1;
    assert.ok(covered.subarray(at, at + v.length).every((x) => x === 1), `${v} left uncovered`);
  }
});

test('a long .env file is read value by value (far below the density guard)', () => {
  const lines: string[] = [];
  for (let k = 0; k < 400; k++) lines.push(`SERVICE_${k}_PASSWORD=${j('Zq', k.toString(36), '-', rnd(10, undefined, k + 1))}`, `SERVICE_${k}_HOST=db${k}.internal`);
  const spans = findSecrets(lines.join('\n'));
  assert.equal(spans.filter((s) => s.subtype === 'dense_credentials').length, 0);
  assert.equal(spans.filter((s) => s.subtype === 'password_assignment').length, 400);
});

// a user / password pair after a login word, with no password word: the class of the one dev miss, in other words
const pairs: [string, string | null][] = [
  ['creds for the NAS: admin / %s', j('Xk9#mQ2v', '!pL')],
  ['Login (staging) -> svc-deploy | %s', j('T7r', 'u$tNo1')],
  ['sign in to the router with root / %s, then reboot', j('aB3', '-xQ9', '-Lm2')],
  ['login page -> read / write access for %s', null],
  ['credentials: svc / %s', null],
  ['log in with your username / password, e.g. %s', null],
];
for (const [tpl, secret] of pairs) {
  test(`login pair: ${tpl.replace('%s', secret ? 'SECRET' : '…')}`, () => {
    const text = tpl.replace('%s', secret ?? (tpl.includes('credentials') ? '${SVC_PASSWORD}' : 'Grafana'));
    const spans = findSecrets(text);
    if (secret) {
      const at = text.indexOf(secret);
      assert.ok(spans.some((s) => s.start === at && s.end === at + secret.length && s.subtype === 'password_prose'), JSON.stringify(spans));
    } else assert.deepEqual(spans.map((s) => text.slice(s.start, s.end)), []);
  });
}

test('a dotted token that ends a sentence is found; one that runs on past a dot is not cut short', () => {
  const key = j('S', 'G.', rnd(22, undefined, 9), '.', rnd(43, undefined, 10));
  const text = `Our mail key is ${key}. Rotate it.`;
  assert.deepEqual(findSecrets(text).map((f) => [text.slice(f.start, f.end), f.subtype]), [[key, 'sendgrid_api_key']]);
  const longer = `${key}.${rnd(8, undefined, 11)}`;
  assert.ok(!findSecrets(longer).some((f) => f.subtype === 'sendgrid_api_key' && f.end === key.length), 'a longer dotted run is not this key');
});

// A value shape's regex runs only over stretches with a digit (a context value needs one): what comes after a long
// stretch with none, or a digit far back in the window, is still read.
test('context values after digit-free stretches and after repeated values are still found', () => {
  const key = hex(32, 5);
  const long = j('dd-api-key="'.repeat(2000), '\nDD-API-KEY: ', key, '\n');
  assert.ok(findSecrets(long).some((f) => f.subtype === 'datadog_api_key' && long.slice(f.start, f.end) === key));
  const far = j('build 7 ', 'x'.repeat(150), ' datadog ', key);
  assert.ok(findSecrets(far).some((f) => f.subtype === 'datadog_api_key' && far.slice(f.start, f.end) === key));
  // the same value repeated, then a placeholder-shaped one: each is judged on its own
  const rep = j(`datadog ${key} `.repeat(50), 'datadog 0123456789abcdef0123456789abcdef ');
  const found = findSecrets(rep).filter((f) => f.subtype === 'datadog_api_key');
  assert.equal(found.length, 50);
  // a value after a repeated label word: `request id` marks an identifier, `api-key` does not
  assert.equal(findSecrets(j('datadog request id: ', key)).filter((f) => f.subtype === 'datadog_api_key').length, 0);
  assert.equal(findSecrets(j('datadog api-key: ', key)).filter((f) => f.subtype === 'datadog_api_key').length, 1);
});

