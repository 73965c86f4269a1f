import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parseKeyring, tokenizeText } from '../index.js';
import { findSecrets } from './index.js';
import { ALNUM, seededRun } from './fake.js';
import { base62, crc32 } from './rule.js';

/**
 * Every provider the issue names, pasted the ways developers paste: an env file, JSON, YAML, a curl command, a sentence,
 * a stack trace, a markdown code block and a URL query. Each must be found with its provider, and a public look-alike
 * of the same provider in the same place must stay. The templates are written here, unlike the dev corpus's.
 * Every credential is fake and assembled at run time.
 */
const j = (...p: string[]) => p.join('');
const AN = ALNUM;
const rnd = (n: number, alphabet = AN, seed = 11) => seededRun(n, alphabet, seed);
const hex = (n: number, seed = 5) => rnd(n, '0123456789abcdef', seed);
const gh = (p: string, seed: number) => {
  const body = rnd(30, AN, seed);
  return j(p, body, base62(crc32(body), 6));
};

interface Case {
  provider: string;
  /** the environment variable it usually lives in */
  env: string;
  /** how a person names it in a sentence */
  label: string;
  secret: string;
  /** the part of `secret` that must be gone, when not all of it (the password of a URL) */
  value?: string;
  /** a public or placeholder value of the same provider that must stay */
  lookalike: string;
  /** templates that do not fit the format (a multi-line key block in a URL query) */
  skip?: string[];
}

const PEM = (label: string, seed: number) => j('-----', 'BEGIN ', label, '-----\n', rnd(64, AN, seed), '\n', rnd(64, AN, seed + 1), '\n', rnd(20, AN, seed + 2), '\n-----', 'END ', label, '-----');
const PUB = j('-----', 'BEGIN PUBLIC KEY-----\n', rnd(64, AN, 91), '\n-----', 'END PUBLIC KEY-----');
const MULTILINE = ['curl', 'url', 'prose', 'stack'];

const cases: Case[] = [
  { provider: 'openai', env: 'OPENAI_API_KEY', label: 'OpenAI', secret: j('sk-', 'proj-', rnd(58, AN, 1), 'T3BlbkFJ', rnd(58, AN, 2)), lookalike: 'sk-proj-...' },
  { provider: 'openai', env: 'OPENAI_ADMIN_KEY', label: 'OpenAI admin', secret: j('sk-', 'admin-', rnd(64, AN, 3)), lookalike: 'sk-admin-xxxxxxxxxxxxxxxxxxxxxxxx' },
  { provider: 'openai', env: 'OPENAI_SVC_KEY', label: 'OpenAI service account', secret: j('sk-', 'svcacct-', rnd(64, AN, 4)), lookalike: 'sk-svcacct-XXXXXXXXXXXXXXXX' },
  { provider: 'openai', env: 'OPENAI_KEY', label: 'OpenAI', secret: j('sk-', rnd(20, AN, 5), 'T3BlbkFJ', rnd(20, AN, 6)), lookalike: 'sk-...' },
  { provider: 'anthropic', env: 'ANTHROPIC_API_KEY', label: 'Anthropic', secret: j('sk-', 'ant-api03-', rnd(93, AN, 7), 'AA'), lookalike: 'sk-ant-api03-...' },
  { provider: 'anthropic', env: 'ANTHROPIC_ADMIN_KEY', label: 'Anthropic admin', secret: j('sk-', 'ant-admin01-', rnd(93, AN, 8), 'AA'), lookalike: 'sk-ant-admin01-xxxxxxxx' },
  { provider: 'azure_openai', env: 'AZURE_OPENAI_API_KEY', label: 'Azure OpenAI', secret: hex(32, 9), lookalike: '00000000000000000000000000000000' },
  { provider: 'google', env: 'GEMINI_API_KEY', label: 'Gemini', secret: j('AI', 'za', rnd(35, AN + '_-', 10)), lookalike: 'AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' },
  { provider: 'groq', env: 'GROQ_API_KEY', label: 'Groq', secret: j('gsk', '_', rnd(52, AN, 11)), lookalike: 'gsk_...' },
  { provider: 'mistral', env: 'MISTRAL_API_KEY', label: 'Mistral', secret: rnd(32, AN, 12), lookalike: '<your-mistral-key>' },
  { provider: 'cohere', env: 'COHERE_API_KEY', label: 'Cohere', secret: rnd(40, AN, 13), lookalike: 'YOUR_COHERE_API_KEY' },
  { provider: 'huggingface', env: 'HF_TOKEN', label: 'Hugging Face', secret: j('hf', '_', rnd(34, AN, 14)), lookalike: 'hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
  { provider: 'replicate', env: 'REPLICATE_API_TOKEN', label: 'Replicate', secret: j('r8', '_', rnd(37, AN, 15)), lookalike: 'r8_...' },
  { provider: 'perplexity', env: 'PERPLEXITY_API_KEY', label: 'Perplexity', secret: j('pplx', '-', rnd(48, AN, 16)), lookalike: 'pplx-xxxxxxxxxxxxxxxx' },
  { provider: 'xai', env: 'XAI_API_KEY', label: 'xAI', secret: j('xai', '-', rnd(80, AN, 17)), lookalike: 'xai-...' },
  { provider: 'deepseek', env: 'DEEPSEEK_API_KEY', label: 'DeepSeek', secret: j('sk-', hex(32, 18)), lookalike: 'sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
  { provider: 'openrouter', env: 'OPENROUTER_API_KEY', label: 'OpenRouter', secret: j('sk-', 'or-v1-', hex(64, 19)), lookalike: 'sk-or-v1-...' },
  { provider: 'aws', env: 'AWS_ACCESS_KEY_ID', label: 'AWS', secret: j('AK', 'IA', rnd(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 20)), lookalike: j('AKIA', 'IOSFODNN7', 'EXAMPLE') },
  { provider: 'aws', env: 'AWS_SECRET_ACCESS_KEY', label: 'AWS secret access', secret: j(rnd(18, AN, 21), '/', rnd(10, AN, 22), '+', rnd(10, AN, 23)), lookalike: j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCY', 'EXAMPLEKEY') },
  { provider: 'azure', env: 'AZURE_STORAGE_CONNECTION_STRING', label: 'Azure storage', secret: j('DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=', rnd(86, AN + '+/', 24), '==;EndpointSuffix=core.windows.net'), value: j(rnd(86, AN + '+/', 24), '=='), lookalike: 'UseDevelopmentStorage=true' },
  { provider: 'azure', env: 'AZURE_CLIENT_SECRET', label: 'Azure AD client', secret: j(rnd(3, AN, 25), '8Q~', rnd(34, AN + '_~.-', 26)), lookalike: '<client-secret>' },
  { provider: 'github', env: 'GITHUB_TOKEN', label: 'GitHub', secret: gh('ghp_', 27), lookalike: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
  { provider: 'github', env: 'GH_OAUTH_TOKEN', label: 'GitHub OAuth', secret: gh('gho_', 28), lookalike: 'gho_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
  { provider: 'github', env: 'GITHUB_APP_TOKEN', label: 'GitHub app', secret: gh('ghs_', 29), lookalike: 'ghs_...' },
  { provider: 'github', env: 'GITHUB_PAT', label: 'GitHub fine-grained', secret: j('github', '_pat_', rnd(22, AN, 30), '_', rnd(59, AN, 31)), lookalike: 'github_pat_...' },
  { provider: 'gitlab', env: 'GITLAB_TOKEN', label: 'GitLab', secret: j('glpat', '-', rnd(20, AN, 32)), lookalike: 'glpat-xxxxxxxxxxxxxxxxxxxx' },
  { provider: 'bitbucket', env: 'BITBUCKET_APP_PASSWORD', label: 'Bitbucket', secret: j('ATBB', rnd(32, AN, 33), hex(8, 34).toUpperCase()), lookalike: 'ATBB...' },
  { provider: 'npm', env: 'NPM_TOKEN', label: 'npm', secret: gh('npm_', 35), lookalike: 'npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' },
  { provider: 'pypi', env: 'TWINE_PASSWORD', label: 'PyPI', secret: j('pypi-', 'AgEIcHlwaS5vcmc', rnd(90, AN + '_-', 36)), lookalike: 'pypi-...' },
  { provider: 'docker', env: 'DOCKERHUB_TOKEN', label: 'Docker Hub', secret: j('dckr', '_pat_', rnd(27, AN, 37)), lookalike: 'dckr_pat_xxxxxxxxxxxxxxxxxxxxxxxxxxx' },
  { provider: 'slack', env: 'SLACK_BOT_TOKEN', label: 'Slack', secret: j('xox', 'b-', '2048151092', '-', '4120398123775', '-', rnd(24, AN, 38)), lookalike: 'xoxb-your-bot-token' },
  { provider: 'slack', env: 'SLACK_WEBHOOK_URL', label: 'Slack webhook', secret: j('https://hooks.', 'slack.com/services/', 'T0', rnd(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 39), '/B0', rnd(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 40), '/', rnd(24, AN, 41)), lookalike: 'https://hooks.slack.com/services/XXX/YYY/ZZZ' },
  { provider: 'discord', env: 'DISCORD_BOT_TOKEN', label: 'Discord', secret: j('MT', rnd(24, AN, 42), '.', rnd(6, AN, 43), '.', rnd(38, AN + '_-', 44)), lookalike: '<discord-bot-token>' },
  { provider: 'telegram', env: 'TELEGRAM_BOT_TOKEN', label: 'Telegram', secret: j('7092384756', ':AA', rnd(33, AN + '_-', 45)), lookalike: '123456789:ABC-DEF' },
  { provider: 'stripe', env: 'STRIPE_SECRET_KEY', label: 'Stripe', secret: j('sk', '_live_', rnd(99, AN, 46)), lookalike: j('pk', '_live_', rnd(99, AN, 47)) },
  { provider: 'square', env: 'SQUARE_ACCESS_TOKEN', label: 'Square', secret: j('EA', 'AA', rnd(60, AN, 48)), lookalike: 'EAAA...' },
  { provider: 'paypal', env: 'BRAINTREE_ACCESS_TOKEN', label: 'Braintree', secret: j('access_token$', 'production$', rnd(16, 'abcdefghijklmnopqrstuvwxyz0123456789', 49), '$', hex(32, 50)), lookalike: 'access_token$sandbox$...' },
  { provider: 'twilio', env: 'TWILIO_AUTH_TOKEN', label: 'Twilio', secret: hex(32, 51), lookalike: 'your_auth_token' },
  { provider: 'twilio', env: 'TWILIO_API_KEY', label: 'Twilio API', secret: j('S', 'K', hex(32, 52)), lookalike: 'SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
  { provider: 'sendgrid', env: 'SENDGRID_API_KEY', label: 'SendGrid', secret: j('S', 'G.', rnd(22, AN, 53), '.', rnd(43, AN, 54)), lookalike: 'SG.xxxxx.yyyyy' },
  { provider: 'mailgun', env: 'MAILGUN_API_KEY', label: 'Mailgun', secret: j('key', '-', hex(32, 55)), lookalike: 'key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
  { provider: 'shopify', env: 'SHOPIFY_ACCESS_TOKEN', label: 'Shopify', secret: j('shp', 'at_', hex(32, 56)), lookalike: 'shpat_...' },
  { provider: 'atlassian', env: 'JIRA_API_TOKEN', label: 'Atlassian', secret: j('ATA', 'TT3', rnd(180, AN + '_-', 57), hex(8, 58).toUpperCase()), lookalike: 'ATATT3...' },
  { provider: 'linear', env: 'LINEAR_API_KEY', label: 'Linear', secret: j('lin', '_api_', rnd(40, AN, 59)), lookalike: 'lin_api_...' },
  { provider: 'notion', env: 'NOTION_TOKEN', label: 'Notion', secret: j('ntn', '_', '48213097562', rnd(35, AN, 60)), lookalike: 'ntn_...' },
  { provider: 'supabase', env: 'SUPABASE_ACCESS_TOKEN', label: 'Supabase', secret: j('sbp', '_', hex(40, 61)), lookalike: 'sbp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
  { provider: 'vercel', env: 'VERCEL_TOKEN', label: 'Vercel', secret: j('vcp', '_', rnd(56, AN, 62)), lookalike: 'vcp_...' },
  { provider: 'netlify', env: 'NETLIFY_AUTH_TOKEN', label: 'Netlify', secret: j('nfp', '_', rnd(36, AN, 63)), lookalike: 'nfp_...' },
  { provider: 'heroku', env: 'HEROKU_API_KEY', label: 'Heroku', secret: j('HRKU', '-AA', rnd(58, AN + '_-', 64)), lookalike: 'HRKU-...' },
  { provider: 'digitalocean', env: 'DIGITALOCEAN_TOKEN', label: 'DigitalOcean', secret: j('dop', '_v1_', hex(64, 65)), lookalike: 'dop_v1_...' },
  { provider: 'databricks', env: 'DATABRICKS_TOKEN', label: 'Databricks', secret: j('da', 'pi', hex(32, 66)), lookalike: 'dapi...' },
  { provider: 'snowflake', env: 'SNOWFLAKE_URL', label: 'Snowflake', secret: j('snowflake://etl:', 'Fr0st-y9qz', '@xy12345.eu-west-1/analytics'), value: 'Fr0st-y9qz', lookalike: 'snowflake://etl:${SNOWFLAKE_PASSWORD}@xy12345.eu-west-1/analytics' },
  { provider: 'hashicorp', env: 'VAULT_TOKEN', label: 'Vault', secret: j('hv', 's.', rnd(95, AN + '_-', 67)), lookalike: 'hvs.xxxxxxxxxxxxxxxx' },
  { provider: 'hashicorp', env: 'TFE_TOKEN', label: 'Terraform Cloud', secret: j(rnd(14, AN, 68), '.atlas', 'v1.', rnd(67, AN, 69)), lookalike: 'xxxxxxxxxxxxxx.atlasv1.xxxxxxxx' },
  { provider: 'doppler', env: 'DOPPLER_TOKEN', label: 'Doppler', secret: j('dp.', 'st.', 'prd.', rnd(43, AN, 70)), lookalike: 'dp.st.xxxx' },
  { provider: 'datadog', env: 'DD_API_KEY', label: 'Datadog', secret: hex(32, 71), lookalike: '<DATADOG_API_KEY>' },
  { provider: 'newrelic', env: 'NEW_RELIC_API_KEY', label: 'New Relic', secret: j('NR', 'AK-', rnd(27, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 72)), lookalike: 'NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX' },
  { provider: 'sentry', env: 'SENTRY_DSN', label: 'Sentry', secret: j('https://', hex(32, 73), '@o450123.ingest.sentry.io/5512345'), value: hex(32, 73), lookalike: 'https://<key>@o0.ingest.sentry.io/0' },
  { provider: 'google', env: 'GOOGLE_CLIENT_SECRET', label: 'Google OAuth client', secret: j('GOCS', 'PX-', rnd(28, AN + '_-', 74)), lookalike: 'GOCSPX-...' },
  { provider: 'age', env: 'SOPS_AGE_KEY', label: 'age', secret: j('AGE-', 'SECRET-KEY-1', rnd(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'.toUpperCase(), 75)), lookalike: j('age1', rnd(58, 'qpzry9x8gf2tvdw0s3jn54khce6mua7l', 76)) },
  { provider: 'jwt', env: 'SESSION_JWT', label: 'JWT', secret: j('eyJ', rnd(30, AN, 77), '.eyJ', rnd(60, AN, 78), '.', rnd(43, AN + '_-', 79)), lookalike: 'eyJhbGciOi...' },
  { provider: 'pem', env: 'TLS_PRIVATE_KEY', label: 'RSA', secret: PEM('RSA PRIVATE KEY', 80), lookalike: PUB, skip: MULTILINE },
  { provider: 'openssh', env: 'SSH_PRIVATE_KEY', label: 'SSH', secret: PEM('OPENSSH PRIVATE KEY', 81), lookalike: j('ssh-', 'ed25519 AAAAC3NzaC1lZDI1NTE5AAAA', rnd(43, AN, 82), ' deploy@ci'), skip: MULTILINE },
  { provider: 'pgp', env: 'GPG_PRIVATE_KEY', label: 'PGP', secret: PEM('PGP PRIVATE KEY BLOCK', 83), lookalike: j('-----', 'BEGIN PGP PUBLIC KEY BLOCK-----\n', rnd(64, AN, 84), '\n-----', 'END PGP PUBLIC KEY BLOCK-----'), skip: MULTILINE },
];

// connection strings and assignments: the value is the password inside a larger string
cases.push(
  { provider: 'postgres', env: 'DATABASE_URL', label: 'Postgres', secret: j('postgresql://billing:', 'Pg7-wq_2Lm', '@db.internal:5432/billing'), value: 'Pg7-wq_2Lm', lookalike: 'postgresql://billing:${PGPASSWORD}@db.internal:5432/billing' },
  { provider: 'mysql', env: 'MYSQL_URL', label: 'MySQL', secret: j('mysql://root:', 'My5ql!pw9', '@mysql.svc:3306/app'), value: 'My5ql!pw9', lookalike: 'mysql://root:<password>@mysql.svc:3306/app' },
  { provider: 'mongodb', env: 'MONGODB_URI', label: 'MongoDB', secret: j('mongodb+srv://app:', 'Mg0Pw4x2zQ', '@cluster0.ab12c.mongodb.net/prod'), value: 'Mg0Pw4x2zQ', lookalike: 'mongodb+srv://app:****@cluster0.ab12c.mongodb.net/prod' },
  { provider: 'redis', env: 'REDIS_URL', label: 'Redis', secret: j('rediss://default:', 'R3d1s-Cache7', '@cache.internal:6380/0'), value: 'R3d1s-Cache7', lookalike: 'redis://localhost:6379/0' },
  { provider: 'rabbitmq', env: 'AMQP_URL', label: 'RabbitMQ', secret: j('amqps://svc:', 'Rabb1t-Mq8', '@mq.internal:5671/prod'), value: 'Rabb1t-Mq8', lookalike: 'amqp://guest:${RABBIT_PASSWORD}@localhost:5672/' },
  { provider: 'kafka', env: 'KAFKA_SASL_JAAS_CONFIG', label: 'Kafka', secret: j('org.apache.kafka.common.security.plain.PlainLoginModule required username="svc-billing" password="', 'kafKa-99xQ', '";'), value: 'kafKa-99xQ', lookalike: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="svc" password="${KAFKA_PASSWORD}";' },
  { provider: 'generic', env: 'DB_PASSWORD', label: 'database', secret: j('Tr0ub4dor', '&3x'), lookalike: '${DB_PASSWORD}', skip: ['prose'] },
  { provider: 'generic', env: 'AUTHORIZATION', label: 'API', secret: j('Bearer ', rnd(36, AN, 85), '-', rnd(8, AN, 86)), value: j(rnd(36, AN, 85), '-', rnd(8, AN, 86)), lookalike: 'Bearer <token>' },
  { provider: 'generic', env: 'AUTHORIZATION', label: 'proxy', secret: j('Basic ', Buffer.from('svc:' + rnd(12, AN, 87)).toString('base64')), value: Buffer.from('svc:' + rnd(12, AN, 87)).toString('base64'), lookalike: 'Basic <base64 user:password>' },
);

type Template = (c: Case, v: string) => string;
const lower = (c: Case) => c.env.toLowerCase();
const templates: Record<string, Template> = {
  env: (c, v) => `# ${c.label}\n${c.env}=${v}\nLOG_LEVEL=debug\n`,
  json: (c, v) => JSON.stringify({ service: 'billing', [lower(c)]: v, retries: 3 }, null, 2),
  yaml: (c, v) => `${c.label.toLowerCase().replace(/\W+/g, '_')}:\n  region: eu-west-1\n  ${lower(c)}: ${v.includes('\n') ? `|\n    ${v.split('\n').join('\n    ')}` : v}\n  timeout: 30\n`,
  curl: (c, v) => `curl -sS "https://api.example.com/v1/items?limit=10" \\\n  -H "${c.env.replace(/_/g, '-')}: ${v}" \\\n  -H "Accept: application/json"`,
  prose: (c, v) => `I rotated it last week, but the ${c.label} key ${v} still works in staging. Why?`,
  stack: (c, v) => `Traceback (most recent call last):\n  File "/srv/app/clients.py", line 88, in connect\n    client = connect(${lower(c)}="${v}")\n  File "/srv/app/retry.py", line 12, in call\n${c.label.replace(/\W+/g, '')}AuthError: 401 Unauthorized`,
  markdown: (c, v) => `My ${c.label} setup fails:\n\n\`\`\`bash\nexport ${c.env}="${v}"\n./run.sh --verbose\n\`\`\`\n\nAny idea?`,
  url: (c, v) => `GET https://gateway.example.com/v1/proxy?target=${c.label.toLowerCase().replace(/\W+/g, '')}&${lower(c)}=${encodeURIComponent(v)}&page=2 HTTP/1.1`,
};

/** Each line of `value` (a key block is indented line by line in YAML) lies inside a finding of `provider`. */
function covered(text: string, value: string, provider: string): boolean {
  const spans = findSecrets(text);
  return value.split('\n').every((line) => {
    const at = text.indexOf(line);
    assert.ok(at >= 0, `the template holds ${line.slice(0, 20)}`);
    return spans.some((s) => s.start <= at && s.end >= at + line.length && s.provider === provider);
  });
}
// a URL query percent-encodes what it carries: the tokenizer decodes before it detects, so that case goes through it whole
const keyring = parseKeyring(`t1:${randomBytes(32).toString('base64')}`, 'test key');
function gone(text: string, value: string, provider: string): boolean {
  const r = tokenizeText(text, keyring);
  return !r.text.includes(value) && r.entities.some((e) => e.type === 'SECRET' && e.provider === provider);
}
const kept = (text: string, value: string) => tokenizeText(text, keyring).text.includes(value);

/** How a template writes a value: JSON escapes it, a URL query percent-encodes it. */
const written = (name: string, v: string) => (name === 'json' ? JSON.stringify(v).slice(1, -1) : name === 'url' ? encodeURIComponent(v) : v);
function touched(text: string, value: string): string[] {
  value = value.split('\n')[0]!;
  const at = text.indexOf(value);
  assert.ok(at >= 0, 'the template holds the look-alike');
  return findSecrets(text).filter((s) => s.start < at + value.length && s.end > at).map((s) => `${s.subtype}: ${text.slice(s.start, s.end)}`);
}

for (const c of cases) {
  for (const [name, tpl] of Object.entries(templates)) {
    if (c.skip?.includes(name)) continue;
    test(`${c.provider} ${c.env} in ${name}: found, with its provider; its look-alike stays`, () => {
      const text = tpl(c, c.secret);
      // JSON escapes a key block's newlines: the escaped form is what must be gone
      const v = written(name, c.value ?? c.secret);
      assert.ok(name === 'url' ? gone(text, v, c.provider) : covered(text, v, c.provider), `${JSON.stringify(findSecrets(text).map((s) => [s.provider, s.subtype, text.slice(s.start, s.end).slice(0, 40)]))}\n${text}`);
      const keep = tpl(c, c.lookalike);
      const kv = written(name, c.lookalike);
      if (name === 'url') assert.ok(kept(keep, kv), tokenizeText(keep, keyring).text);
      else assert.deepEqual(touched(keep, kv), [], keep);
    });
  }
}
