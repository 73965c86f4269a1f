import { HIGH_FAMILIES, hasLetterAndDigit, looksPlaceholder, mixed, sequential, type ContextRule, type Family, type ParsedFormat, type PrefixRule, type SecretRule } from './rule.js';
import { cloudRules } from './rules/cloud.js';
import { codeRules } from './rules/code.js';
import { llmRules } from './rules/llm.js';
import { communicationRules, dataRules, devPlatformRules, messagingRules, monitoringRules, otherRules, paymentRules } from './rules/saas.js';

export interface SecretSpan {
  start: number;
  end: number;
  /** Credential type, e.g. `github_pat`, `postgres_password`, `password_assignment`. */
  subtype: string;
  provider: string;
  family: Family;
}

/**
 * The scan stops reading one by one past this many findings: no pasted text holds more than one credential per
 * 64 characters for long, and hostile text built to be all findings (`pw='pw='...`) would otherwise pay the full cost
 * of each. The rest of the text becomes one secret (withheld, never passed through raw).
 */
const DENSE_CHARS = 64;
const DENSE_BASE = 256;

export const RULES: readonly SecretRule[] = [
  ...llmRules, ...cloudRules, ...codeRules, ...messagingRules, ...paymentRules, ...communicationRules, ...devPlatformRules, ...dataRules, ...monitoringRules, ...otherRules,
];

/** Formats the scanner parses rather than matches (key blocks, URLs, assignments, headers, prose, command lines). */
export const PARSED_FORMATS: readonly ParsedFormat[] = [
  { kind: 'parsed', id: 'rsa_private_key', provider: 'pem', family: 'private_key', format: 'PEM block labelled RSA PRIVATE KEY, BEGIN to END line (also cut off before its END line, or JSON-escaped)' },
  { kind: 'parsed', id: 'ec_private_key', provider: 'pem', family: 'private_key', format: 'PEM block labelled EC PRIVATE KEY' },
  { kind: 'parsed', id: 'dsa_private_key', provider: 'pem', family: 'private_key', format: 'PEM block labelled DSA PRIVATE KEY' },
  { kind: 'parsed', id: 'pkcs8_private_key', provider: 'pem', family: 'private_key', format: 'PEM block labelled PRIVATE KEY or ENCRYPTED PRIVATE KEY (also the private_key of a GCP service-account JSON)' },
  { kind: 'parsed', id: 'openssh_private_key', provider: 'openssh', family: 'private_key', format: 'PEM block labelled OPENSSH PRIVATE KEY' },
  { kind: 'parsed', id: 'pgp_private_key', provider: 'pgp', family: 'private_key', format: 'PGP armour labelled PGP PRIVATE KEY BLOCK' },
  { kind: 'parsed', id: 'putty_private_key', provider: 'putty', family: 'private_key', format: 'PuTTY-User-Key-File-2/3 … Private-MAC: hex' },
  { kind: 'parsed', id: 'postgres_password', provider: 'postgres', family: 'connection_string', format: 'postgres(ql)[+driver]://user:PASSWORD@host' },
  { kind: 'parsed', id: 'mysql_password', provider: 'mysql', family: 'connection_string', format: 'mysql[+driver]:// / mariadb://user:PASSWORD@host' },
  { kind: 'parsed', id: 'mongodb_password', provider: 'mongodb', family: 'connection_string', format: 'mongodb(+srv)://user:PASSWORD@host' },
  { kind: 'parsed', id: 'redis_password', provider: 'redis', family: 'connection_string', format: 'redis(s)://[user]:PASSWORD@host' },
  { kind: 'parsed', id: 'amqp_password', provider: 'rabbitmq', family: 'connection_string', format: 'amqp(s)://user:PASSWORD@host' },
  { kind: 'parsed', id: 'mssql_password', provider: 'mssql', family: 'connection_string', format: 'mssql:// / sqlserver://user:PASSWORD@host, Password= in ADO.NET strings' },
  { kind: 'parsed', id: 'snowflake_password', provider: 'snowflake', family: 'connection_string', format: 'snowflake://user:PASSWORD@account' },
  { kind: 'parsed', id: 'url_password', provider: 'url', family: 'connection_string', format: 'any scheme://user:PASSWORD@host (ftp, smtp, ldap, http basic auth, kafka, nats, clickhouse...)' },
  { kind: 'parsed', id: 'sentry_dsn', provider: 'sentry', family: 'monitoring', format: 'https://<32 hex key>@oNNN.ingest.sentry.io/NNN' },
  { kind: 'parsed', id: 'kafka_sasl_jaas_password', provider: 'kafka', family: 'connection_string', format: 'sasl.jaas.config=…LoginModule required username="…" password="PASSWORD";' },
  { kind: 'parsed', id: 'password_assignment', provider: 'generic', family: 'assignment', format: 'a password/passwd/pwd/pass/secret key in code, config or env (=, :, :=, =>, ||=, setenv("K", "V"), --flag value)' },
  { kind: 'parsed', id: 'token_assignment', provider: 'generic', family: 'assignment', format: 'a token/auth/credential/session key with a random-looking value of 12+ characters' },
  { kind: 'parsed', id: 'api_key_assignment', provider: 'generic', family: 'assignment', format: 'an api_key/…_key key with a random-looking value of 10+ characters' },
  { kind: 'parsed', id: 'password_prose', provider: 'generic', family: 'assignment', format: '"the password is …", "password changed to …", "contraseña … es …", "Passwort: …" in prose; "login for X -> user / password" pairs after a login word' },
  { kind: 'parsed', id: 'cli_password', provider: 'generic', family: 'assignment', format: 'curl -u user:PASSWORD, redis-cli -a PASSWORD, mysql -pPASSWORD, sshpass -p, az/docker login -p' },
  { kind: 'parsed', id: 'bearer_token', provider: 'generic', family: 'header', format: 'Authorization: Bearer <16+ chars> (also a bare "Bearer …")' },
  { kind: 'parsed', id: 'basic_auth', provider: 'generic', family: 'header', format: 'Authorization: Basic <base64 user:password>' },
  { kind: 'parsed', id: 'dense_credentials', provider: 'generic', family: 'other', format: `more findings than one per ${DENSE_CHARS} characters (past the first ${DENSE_BASE}): the rest of the text is withheld as one secret` },
  { kind: 'parsed', id: 'auth_header_token', provider: 'generic', family: 'header', format: 'Authorization: token|SSWS|Splunk|GenieKey|Api-Key <value>, X-API-Key / api-key / Private-Token headers' },
];

// ---------------------------------------------------------------- the anchor table

type Handler =
  | { t: 'prefix'; rule: PrefixRule; order: number; first?: Uint8Array }
  | { t: 'context'; rule: ContextRule; idx: number }
  | { t: 'assign' }
  | { t: 'url' }
  | { t: 'pem' }
  | { t: 'putty' }
  | { t: 'bearer' }
  | { t: 'prose' }
  | { t: 'cli'; tool: string }
  | { t: 'jaas' }
  | { t: 'pair' };

interface Anchor {
  text: string;
  ci: boolean;
  handlers: Handler[];
  /** Characters after which every handler of this anchor fails its look-behind: checked before the anchor itself. */
  lbAll?: Uint8Array;
}

const CRED_WORDS = ['pass', 'pwd', 'pw', 'secret', 'token', 'key', 'auth', 'cred', 'dsn', 'sas'];
// 'pass' covers password, passwort, passwd, passphrase, passcode (the parser reads on over the letters)
const PROSE_WORDS = ['pass', 'contraseña', 'contrasena', 'mot de passe', 'senha', 'wachtwoord', 'hasło', 'haslo', 'parola', 'pwd'];
// "login for the printer -> ops / 0NQ…", "creds: admin | Xk9#…": a user and a password after one of these, on its line
const LOGIN_WORDS = ['login', 'log in', 'logon', 'sign in', 'signin', 'credentials', 'creds', 'username and password', 'user and pass'];
const CLI_TOOLS = ['redis-cli', 'mysql', 'mariadb', 'sshpass', 'docker login', 'az login', 'curl', 'wget', 'http ', 'psql', 'mongosh', 'mongo ', 'heroku login', 'npm login', 'twine', 'gh auth', 'ftp '];

// Two levels: a bitmap of the anchors' first two characters (checked at every position), then the anchors of length
// two by pair and the longer ones by their first three characters (checked only where the bitmap says so).
const pairMask = new Uint8Array(1 << 14);
const shortAnchors = new Map<number, Anchor[]>();
const triAnchors = new Map<number, Anchor[]>();
const anchorsByText = new Map<string, Anchor>();

function addAnchor(text: string, ci: boolean, h: Handler): void {
  const key = `${ci ? 'i' : 's'}:${ci ? text.toLowerCase() : text}`;
  let a = anchorsByText.get(key);
  if (!a) {
    a = { text: ci ? text.toLowerCase() : text, ci, handlers: [] };
    anchorsByText.set(key, a);
    const codes = [0, 1, 2].map((k) => text.charCodeAt(k));
    if (!(codes[0]! < 128 && codes[1]! < 128 && (text.length === 2 || codes[2]! < 128))) throw new Error(`anchor ${text} must start with ASCII characters`);
    const v = (k: number) => (ci ? cases(codes[k]!) : [codes[k]!]);
    for (const x of v(0)) {
      for (const y of v(1)) {
        const pair = (x << 7) | y;
        pairMask[pair] = 1;
        if (text.length === 2) push2(shortAnchors, pair, a);
        else for (const z of v(2)) push2(triAnchors, (pair << 7) | z, a);
      }
    }
  }
  a.handlers.push(h);
}
function push2(m: Map<number, Anchor[]>, k: number, a: Anchor): void {
  let list = m.get(k);
  if (!list) m.set(k, (list = []));
  if (!list.includes(a)) list.push(a);
}
function cases(c: number): number[] {
  const ch = String.fromCharCode(c);
  return [...new Set([ch.toLowerCase().charCodeAt(0), ch.toUpperCase().charCodeAt(0)])].filter((x) => x < 128);
}

const contextRules: ContextRule[] = [];
RULES.forEach((rule, order) => {
  if (rule.kind === 'prefix') {
    const norm = (x: string) => (rule.ci ? x.toLowerCase() : x);
    for (const a of rule.anchors) {
      // the body's first character is known only where no other anchor of the rule overlaps this one at the hit
      const alone = !rule.anchors.some((o) => o !== a && (norm(o).startsWith(norm(a)) || norm(a).startsWith(norm(o))));
      addAnchor(a, !!rule.ci, { t: 'prefix', rule, order, first: alone ? rule.firstTable : undefined });
    }
  }
  else {
    const idx = contextRules.push(rule) - 1;
    // a keyword that starts with another of the same rule adds nothing: the shorter one fires at the same spot
    const kws = rule.keywords.map((k) => k.toLowerCase());
    for (const k of kws) if (!kws.some((o) => o !== k && k.startsWith(o))) addAnchor(k, true, { t: 'context', rule, idx });
  }
});
// context rules with the same value regex share a shape: one pass finds the values for all of them
const shapeRe: RegExp[] = [];
const shapeOf = new Int32Array(contextRules.length);
{
  const byKey = new Map<string, number>();
  contextRules.forEach((r, k) => {
    const key = `${r.value.flags}/${r.value.source}`;
    let sh = byKey.get(key);
    if (sh === undefined) {
      sh = shapeRe.push(new RegExp(r.value.source, r.value.flags)) - 1;
      byKey.set(key, sh);
    }
    shapeOf[k] = sh;
  });
}
for (const w of CRED_WORDS) addAnchor(w, true, { t: 'assign' });
for (const w of PROSE_WORDS) addAnchor(w, true, { t: 'prose' });
for (const w of LOGIN_WORDS) addAnchor(w, true, { t: 'pair' });
for (const w of CLI_TOOLS) addAnchor(w, true, { t: 'cli', tool: w.trim() });
addAnchor('://', false, { t: 'url' });
// a password assignment after one of these on the way is a Kafka JAAS line: the scan notes where they end
for (const w of ['sasl', 'jaas', 'loginmodule']) addAnchor(w, true, { t: 'jaas' });
addAnchor('-----BEGIN', false, { t: 'pem' });
addAnchor('PuTTY-User-Key-File-', false, { t: 'putty' });
addAnchor('bearer ', true, { t: 'bearer' });
addAnchor('basic ', true, { t: 'bearer' });
// at one spot, longer anchors (more specific rules) first
for (const list of triAnchors.values()) list.sort((a, b) => b.text.length - a.text.length);
for (const a of anchorsByText.values()) {
  const tables = a.handlers.map((h) => (h.t === 'prefix' && h.rule.back === undefined ? h.rule.lbTable : undefined));
  if (tables.length && tables.every((t) => t !== undefined)) {
    a.lbAll = new Uint8Array(128);
    for (let c = 0; c < 128; c++) a.lbAll[c] = tables.every((t) => t![c] === 1) ? 1 : 0;
  }
}
// The hot loop reads typed arrays, not maps: index + 1 into `lists` (0: none), by pair and by first three characters.
const lists: Anchor[][] = [];
const shortIndex = new Uint16Array(1 << 14);
const triIndex = new Uint16Array(1 << 21);
for (const [k, l] of shortAnchors) shortIndex[k] = lists.push(l);
for (const [k, l] of triAnchors) triIndex[k] = lists.push(l);
// A necessary character per list of longer anchors, checked before the call: the last character of its shortest anchor
// (any case for a case-blind one; any non-ASCII character passes, as anchorAt lower-cases those). A run of one
// character (a megabyte of `-`) hits `---` at every position and would otherwise try `-----BEGIN` a million times.
const listOff = new Uint8Array(lists.length + 1);
const listMask = new Uint8Array((lists.length + 1) * 128);
lists.forEach((l, k) => {
  const off = Math.min(...l.map((a) => a.text.length)) - 1;
  if (off <= 2) return;
  listOff[k + 1] = off;
  for (const a of l) {
    const c = a.text.charCodeAt(off);
    for (const x of a.ci ? cases(c) : c < 128 ? [c] : []) listMask[(k + 1) * 128 + x] = 1;
  }
});
for (const a of anchorsByText.values()) a.handlers.sort((x, y) => (x.t === 'prefix' && y.t === 'prefix' ? x.order - y.order : 0));

/** Whether `a` starts at `i`; its first `known` characters already matched (the index is keyed on them). */
function anchorAt(text: string, i: number, a: Anchor, known: number): boolean {
  const n = a.text.length;
  if (i + n > text.length) return false;
  if (n <= known) return true;
  if (!a.ci) return text.startsWith(a.text, i);
  for (let k = known; k < n; k++) {
    let c = text.charCodeAt(i + k);
    if (c >= 65 && c <= 90) c += 32;
    else if (c > 127) c = text[i + k]!.toLowerCase().charCodeAt(0);
    if (c !== a.text.charCodeAt(k)) return false;
  }
  return true;
}

// ---------------------------------------------------------------- value checks

const PLACEHOLDER = /^(?:x+|X+|\*+|•+|\.+|-+|_+|0+|null|nil|none|true|false|yes|no|on|off|undefined|changeme|change_me|change-me|redacted|removed|hidden|masked|secret|password|passwd|pass|pwd|token|apikey|api_key|string|str|text|required|optional|empty|blank|bool|boolean|int|integer|number|object|any|default|value|example|sample|dummy|test|placeholder|todo|tbd|your[_-].*|my[_-]?(?:password|secret|token|key).*|<.*>|\[.*\]|\$\{.*\}?|\$\(.*\)?|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_]+%|\{\{.*\}\}?|\{[A-Za-z_]+\}|__[A-Z_]+__|.*\.\.\..*|.*….*|.*xxxx.*|.*XXXX.*)$/i;
// AWS documents its example keys with EXAMPLE in them; nothing real carries it
const DOC_EXAMPLE = /EXAMPLE/;
const PUBLIC_VALUE = /^(?:pk_(?:live|test)_|pk\.eyJ|ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-|sk-ssh-|-----BEGIN|sha(?:1|256|384|512)[:-]|md5[:-]|age1[a-z0-9]{20}|arn:|npub1|phc_|G-[A-Z0-9]{6,}|UA-\d|AW-\d)/;
const REFERENCE = /^(?:process\.env|os\.environ|os\.getenv|getenv|env\.|ENV\[|config\.|settings\.|self\.|this\.|secrets\.|vault:|secretRef|ref\+|file:|arn:aws:secretsmanager|projects\/[^/]+\/secrets|\/|\.\/|~\/|https?:\/\/|https?%3[aA]%2[fF]%2[fF]|\$|%)/;
const TYPE_WORD = /^(?:str|string|int|bool|any|none|optional\[.*|list\[.*|dict\[.*|secretstr|bytes|char|varchar.*|text)$/i;

// character classes of a value, gathered in one loop so the shape tests below run only where they can match
const F_LOWER = 1, F_UPPER = 2, F_DIGIT = 4, F_US = 8, F_DOT = 16, F_DASH = 32, F_DOLLAR = 64, F_SPACE = 128, F_OTHER = 256;
const F_LETTER = F_LOWER | F_UPPER;
const CHAR_FLAGS = new Uint16Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  CHAR_FLAGS[c] = /[a-z]/.test(ch) ? F_LOWER : /[A-Z]/.test(ch) ? F_UPPER : /\d/.test(ch) ? F_DIGIT : ch === '_' ? F_US : ch === '.' ? F_DOT : ch === '-' ? F_DASH : ch === '$' ? F_DOLLAR : /\s/.test(ch) ? F_SPACE : F_OTHER;
}
function charFlags(v: string): number {
  let f = 0;
  for (let k = 0; k < v.length; k++) {
    const c = v.charCodeAt(k);
    f |= c < 128 ? CHAR_FLAGS[c]! : /\s/.test(v[k]!) ? F_SPACE : F_OTHER;
  }
  return f;
}
/** Only these classes (and at least one of `need`, when given). */
const only = (f: number, allowed: number, need = 0) => (f & ~allowed) === 0 && (need === 0 || (f & need) !== 0);
const classes = (f: number) => (f & F_LOWER ? 1 : 0) + (f & F_UPPER ? 1 : 0) + (f & F_DIGIT ? 1 : 0);

function valueOk(v: string, kind: KeyKind, key: string): boolean {
  if (v.length < 4 || PLACEHOLDER.test(v.length > 160 ? v.slice(0, 160) : v) || v.includes('EXAMPLE') || PUBLIC_VALUE.test(v) || REFERENCE.test(v) || TYPE_WORD.test(v)) return false;
  if (v.length === key.length && v.toLowerCase() === key.toLowerCase()) return false;
  const f = charFlags(v);
  // an identifier or constant name rather than a value: API_KEY_FROM_VAULT
  if (only(f, F_UPPER | F_US, F_US) && /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)) return false;
  if (only(f, F_LOWER | F_DOT | F_US, F_DOT | F_US) && /^[a-z]+(?:[._][a-z]+)+$/.test(v)) return false; // settings.api_key, foo.bar
  if (only(f, F_LETTER | F_US | F_DOLLAR | F_DOT, F_DOT) && /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v)) return false; // cfg.kibanaPassword
  if (kind !== 'password' && only(f, F_LOWER | F_DASH, F_DASH) && /^[a-z]+(?:-[a-z]+)+$/.test(v)) return false; // kebab-case words
  // only a password may hold spaces (a passphrase); a spaced value under another key is prose or a label
  if (kind !== 'password' && f & F_SPACE) return false;
  // PascalCase / camelCase words are identifiers (type SecretRule = PrefixRule), not secrets
  if (only(f, F_LETTER) && /^(?:[A-Z][a-z]+){2,}$|^[a-z]+(?:[A-Z][a-z]+)+$/.test(v)) return false;
  const letterAndDigit = (f & F_LETTER) !== 0 && (f & F_DIGIT) !== 0;
  switch (kind) {
    case 'password':
      if (only(f, F_LETTER) && v.length < 8) return false;
      // the bare word "pass" is English ("after a full pass: counts"): its value has to look like a password
      if (key.length === 4 && /^pass$/i.test(key) && !((f & F_LETTER) !== 0 && (f & ~F_LETTER) !== 0)) return false;
      return !(f & F_SPACE) || (!/\s{2,}/.test(v) && v.split(/\s+/).length <= 6);
    case 'secret':
      return v.length >= 6 && (letterAndDigit || (f & ~(F_LETTER | F_DIGIT)) !== 0 || (v.length >= 16 && classes(f) >= 2));
    case 'token':
      if (sequential(v)) return false;
      return (v.length >= 16 && (letterAndDigit || (classes(f) >= 2 && (f & (F_DASH | F_US)) !== 0))) || (v.length >= 12 && letterAndDigit && (f & F_LETTER) === F_LETTER);
    case 'key':
      return v.length >= 10 && letterAndDigit && !sequential(v);
  }
}

// dense hostile text repeats one key and value (`dd-api-key="dd-api-key="…`): the last answer is kept
let voV = '';
let voKind: KeyKind | '' = '';
let voKey = '';
let voWas = false;
function valueOkOnce(v: string, kind: KeyKind, key: string): boolean {
  if (v === voV && kind === voKind && key === voKey) return voWas;
  voWas = valueOk(v, kind, key);
  voV = v;
  voKind = kind;
  voKey = key;
  return voWas;
}

type KeyKind = 'password' | 'secret' | 'token' | 'key';
const NOT_CRED_KEY = /public|publishable|(?:^|[^a-z])pub(?:[^a-z]|$)|pubkey|verify|verification|recipient|tokeniz|max_?tokens?|tokens?_?(?:count|limit|usage|used)|num_?tokens|keyword|keyboard|keyspace|keyring|keychain|keystroke|keypress|keydown|keyup|keycode|keyframe|keynote|hotkey|turnkey|monkey|donkey|whiskey|jockey|hockey|foreign_?key|primary_?key|sort_?key|partition_?key|cache_?key|idempotency|routing_?key|object_?key|s3_?key|dedup|lookup_?key|map_?key|hash_?key|range_?key|shard_?key|author|oauth_?(?:url|uri|endpoint)|authori[sz]ation_?(?:url|uri|endpoint|code_url)|auth_?(?:url|uri|endpoint|domain|type|method|mode|provider|scheme|host|server)|passenger|passport|bypass|compass|passive|passthrough|pass_?through|secretary|_?(?:id|ids|name|names|type|length|len|size|min|max|file|path|dir|url|uri|field|policy|prompt|hint|header|param|env|var|ref|arn|format|version|count|expiry|expires|expiration|ttl|timeout|enabled|required|mode|label|description|rotation|created|updated|hash|digest|md5|sha\d*|fingerprint|checksum|algorithm|alg|location|store|vault|manager|provider|source|length)$/i;

interface KeyInfo {
  kind: KeyKind;
  provider: { provider: string; family: Family } | undefined;
  /** `Authorization: Bearer X`, `api-key: token X`: a header scheme word may come before the value */
  schemes: boolean;
}
// what a key name says is worked out once per distinct key: dense hostile input repeats its keys
const keyCache = new Map<string, KeyInfo | null>();
let lastKey = '';
let lastInfo: KeyInfo | null = null;
function keyInfo(key: string): KeyInfo | null {
  // longer runs are data, not a key name
  if (key.length > 48) return null;
  if (key === lastKey) return lastInfo;
  let info = keyCache.get(key);
  if (info === undefined) {
    if (keyCache.size >= 4096) keyCache.clear();
    const kind = keyKindOf(key);
    info = kind ? { kind, provider: providerForKey(key), schemes: kind === 'token' || /authorization|api.?key|private.?token/i.test(key) } : null;
    keyCache.set(key, info);
  }
  lastKey = key;
  lastInfo = info;
  return info;
}
function keyKindOf(key: string): KeyKind | null {
  const k = key.replace(/^[-_.]+/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  if (NOT_CRED_KEY.test(k)) return null;
  const l = k.toLowerCase();
  // a collection (secrets:, tokens =, api_keys:) holds a credential only if its value looks random
  if (/(?:secrets|tokens|keys|passwords|credentials)$/.test(l)) return 'key';
  if (/passw|pwd|passphrase|passcode|(?:^|[_.-])pw(?:$|[_.-])|(?:^|[_.-])pass(?:$|[_.-])|^pass$|pw$/.test(l)) return 'password';
  if (/secret/.test(l)) return 'secret';
  if (/token|bearer|auth|cred|session|cookie|dsn|(?:^|[_.-])sas(?:$|[_.-])/.test(l)) return 'token';
  if (/key/.test(l)) return 'key';
  return null;
}

function subtypeForKey(kind: KeyKind): string {
  return kind === 'password' || kind === 'secret' ? 'password_assignment' : kind === 'token' ? 'token_assignment' : 'api_key_assignment';
}

// provider hints for generic assignments: AZURE_OPENAI_API_KEY, DD_API_KEY, MISTRAL_API_KEY...
const KEY_PROVIDERS: [RegExp, string, Family][] = [
  [/azure_?openai|aoai/i, 'azure_openai', 'llm'],
  [/openai/i, 'openai', 'llm'], [/anthropic|claude/i, 'anthropic', 'llm'], [/mistral/i, 'mistral', 'llm'], [/cohere|^co_api/i, 'cohere', 'llm'],
  [/gemini|google_?ai|palm/i, 'google', 'llm'], [/groq/i, 'groq', 'llm'], [/huggingface|^hf_/i, 'huggingface', 'llm'], [/replicate/i, 'replicate', 'llm'],
  [/perplexity|pplx/i, 'perplexity', 'llm'], [/xai|grok/i, 'xai', 'llm'], [/deepseek/i, 'deepseek', 'llm'], [/openrouter/i, 'openrouter', 'llm'],
  [/wandb/i, 'wandb', 'llm'], [/langsmith|langchain/i, 'langsmith', 'llm'], [/elevenlabs|xi_api/i, 'elevenlabs', 'llm'], [/together/i, 'together', 'llm'],
  [/aws|amazon/i, 'aws', 'cloud'], [/azure|storage_?account/i, 'azure', 'cloud'], [/gcp|google|gcloud/i, 'google', 'cloud'], [/cloudflare|^cf_/i, 'cloudflare', 'cloud'],
  [/digitalocean|^do_/i, 'digitalocean', 'cloud'], [/heroku/i, 'heroku', 'cloud'],
  [/^dd_|datadog/i, 'datadog', 'monitoring'], [/new_?relic|^nr_/i, 'newrelic', 'monitoring'], [/sentry/i, 'sentry', 'monitoring'],
  [/twilio/i, 'twilio', 'communications'], [/sendgrid/i, 'sendgrid', 'communications'], [/mailgun/i, 'mailgun', 'communications'],
  [/stripe/i, 'stripe', 'payments'], [/paypal|braintree/i, 'paypal', 'payments'], [/square/i, 'square', 'payments'],
  [/slack/i, 'slack', 'messaging'], [/discord/i, 'discord', 'messaging'], [/telegram/i, 'telegram', 'messaging'],
  [/github|^gh_/i, 'github', 'code'], [/gitlab/i, 'gitlab', 'code'], [/bitbucket/i, 'bitbucket', 'code'], [/npm/i, 'npm', 'code'], [/pypi|twine/i, 'pypi', 'code'], [/docker/i, 'docker', 'code'],
  [/okta/i, 'okta', 'identity'], [/snowflake/i, 'snowflake', 'data'], [/databricks/i, 'databricks', 'data'], [/vault/i, 'hashicorp', 'data'], [/doppler/i, 'doppler', 'data'],
  [/shopify/i, 'shopify', 'devplatform'], [/atlassian|jira|confluence/i, 'atlassian', 'devplatform'], [/linear/i, 'linear', 'devplatform'], [/notion/i, 'notion', 'devplatform'],
  [/supabase/i, 'supabase', 'devplatform'], [/vercel/i, 'vercel', 'devplatform'], [/netlify/i, 'netlify', 'devplatform'], [/snyk/i, 'snyk', 'code'],
];
function providerForKey(key: string): { provider: string; family: Family } | undefined {
  for (const [re, provider, family] of KEY_PROVIDERS) if (re.test(key)) return { provider, family };
  return undefined;
}

// ---------------------------------------------------------------- the scan

const isIdent = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;
const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSpace = (c: number) => c === 32 || c === 9;
/** closing quotes and brackets between a key and its separator: `"key": `, `ENV['KEY'] ||=`, `` `key` = `` */
const isCloser = (c: number) => c === 34 || c === 39 || c === 93 || c === 96;
const VALUE_STOP = new Uint8Array(128);
for (const ch of ' \t\n\r\f\v"\'`,;<>(){}[]') VALUE_STOP[ch.charCodeAt(0)] = 1;
/** Ends an unquoted value: whitespace, quotes, separators, brackets (and the Unicode spaces). */
const stopsValue = (c: number) => (c < 128 ? VALUE_STOP[c] === 1 : c === 0xa0 || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200b) || c === 0x3000 || c === 0xfeff);
/** The label word right before a value (`request id: X`, `build ref = X`, `correlationId: 'X'`) says it is an identifier or a digest. */
const ID_WORD = /(?:md5|sha\d*|hash|checksum|digest|etag|integrity|revision|commit|ref|rev|build|uuid|guid|request|response|trace|span|correlation|object|container|image|nonce|salt|fingerprint|session|id|ids)$/;
const LABEL_GAP = new Uint8Array(65536);
for (const ch of ' \t"\'`:=>[]') LABEL_GAP[ch.charCodeAt(0)] = 1;
function labelIsId(text: string, s: number): boolean {
  let p = s;
  const floor = Math.max(0, s - 12);
  while (p > floor && LABEL_GAP[text.charCodeAt(p - 1)] === 1) p--;
  if (p === s && s > 0 && text.charCodeAt(s - 1) !== 32) return false;
  let w = p;
  while (w > 0 && p - w < 32 && isAlnum(text.charCodeAt(w - 1))) w--;
  if (w === p) return false;
  const word = text.slice(w, p);
  // dense keywords put one label before every value: the answer depends on the word alone
  if (word === idWord) return idWordWas;
  const camel = /[a-z](Id|ID|Ids|Hash|Sha|Digest|Ref)$/.exec(word);
  idWord = word;
  return (idWordWas = ID_WORD.test(word.toLowerCase()) && (camel !== null || word.length <= 12 || /^[a-z]+$/.test(word)));
}
let idWord = '';
let idWordWas = false;

interface ScanState {
  text: string;
  out: SecretSpan[];
  /** per context rule: searched up to here */
  ctxDone: Int32Array;
  assignedTo: number;
  /** end of the last assignment value or prose match: words inside it are not keys of their own */
  valueTo: number;
  pemEnd: number;
  pemEndFrom: number;
  /** where the last two of sasl/jaas/loginmodule ended */
  jaasEnd: number;
  jaasPrevEnd: number;
  /** per command-line spec: positions before this were tried */
  cliDone: Int32Array;
  /** findings that do not overlap the one before, and where the last of them ends */
  found: number;
  foundTo: number;
  /** the last labelledId answer and where it was asked */
  idAt: number;
  idWas: boolean;
  /** nextLink's memo: a linking word found there (or -1), and starts before linkScanned are settled */
  linkAt: number;
  linkScanned: number;
  /** parsePair: positions before this were tried */
  pairDone: number;
  /** handWritten's last answer and the value it was about */
  hwS: number;
  hwE: number;
  hwWas: boolean;
  /** per value shape: its values found so far (shapeValues) */
  shapes?: (ShapeValues | undefined)[];
  /** firstDigit's memo: the first digit at or after digitFrom is at digitAt (the text's length when none) */
  digitFrom: number;
  digitAt: number;
}
const jaasWithin = (end: number, ks: number) => end > 0 && end <= ks && end >= ks - 200;

/** SECRET spans in `text` (overlaps allowed; the caller resolves them). One pass over the text plus bounded work per anchor hit. */
export function findSecrets(text: string, out: SecretSpan[] = []): SecretSpan[] {
  const n = text.length;
  if (n < 4) return out;
  // the scratch arrays are the module's (the scan is synchronous and never re-entered): a short text would otherwise
  // pay more for allocating and collecting them than for its scan
  scratchCtxDone.fill(0);
  scratchCliDone.fill(0);
  if (++verdictGen > 0x3fffffff) {
    verdictGen = 1;
    scratchVerdict.fill(0);
  }
  const st: ScanState = { text, out, ctxDone: scratchCtxDone, assignedTo: -1, valueTo: -1, pemEnd: -2, pemEndFrom: 0, jaasEnd: -1, jaasPrevEnd: -1, cliDone: scratchCliDone, found: 0, foundTo: 0, idAt: -1, idWas: false, linkAt: -1, linkScanned: 0, pairDone: 0, hwS: -1, hwE: -1, hwWas: false, digitFrom: -1, digitAt: -1 };
  const limit = DENSE_BASE + Math.floor(n / DENSE_CHARS);
  let c0 = text.charCodeAt(0);
  for (let i = 0; i < n - 1; i++) {
    const c1 = text.charCodeAt(i + 1);
    if (c0 < 128 && c1 < 128 && pairMask[(c0 << 7) | c1] === 1) {
      const pair = (c0 << 7) | c1;
      const c2 = i + 2 < n ? text.charCodeAt(i + 2) : 0;
      let tri = c2 < 128 ? triIndex[(pair << 7) | c2]! : 0;
      if (tri !== 0 && listOff[tri] !== 0) {
        // (past the end no anchor fits; reading there would make every later read a possible NaN, and slow)
        const at = i + listOff[tri]!;
        if (at >= n) tri = 0;
        else {
          const c = text.charCodeAt(at);
          if (c < 128 && listMask[tri * 128 + c] !== 1) tri = 0;
        }
      }
      const short = shortIndex[pair]!;
      let skip = 0;
      if (tri !== 0) skip = dispatch(st, i, lists[tri - 1]!, 3);
      if (short !== 0) skip = Math.max(skip, dispatch(st, i, lists[short - 1]!, 2));
      if (st.found > limit) {
        withholdRest(out, i, n);
        break;
      }
      if (skip > i + 1) {
        i = skip - 1;
        c0 = i + 1 < n ? text.charCodeAt(i + 1) : 0;
        continue;
      }
    }
    c0 = c1;
  }
  return out.length > 1 ? preferSpecific(out) : out;
}

/** One span from `i` (or the start of a finding that runs past it) to the end. */
function withholdRest(out: SecretSpan[], i: number, n: number): void {
  let s = i;
  for (const f of out) if (f.end > i && f.start < s) s = f.start;
  out.push({ start: s, end: n, subtype: 'dense_credentials', provider: 'generic', family: 'other' });
}

const GENERIC_SUBTYPES = new Set(['dense_credentials', 'password_assignment', 'token_assignment', 'api_key_assignment', 'password_prose', 'cli_password', 'bearer_token', 'basic_auth', 'auth_header_token', 'url_password']);
/** The same span found by an assignment and by a format rule keeps the format's type and provider. */
function preferSpecific(out: SecretSpan[]): SecretSpan[] {
  const generic = (s: SecretSpan) => GENERIC_SUBTYPES.has(s.subtype);
  out.sort((a, b) => a.start - b.start || a.end - b.end || (generic(a) ? 1 : 0) - (generic(b) ? 1 : 0));
  let w = 0;
  for (let r = 0; r < out.length; r++) {
    const s = out[r]!;
    const prev = w > 0 ? out[w - 1]! : undefined;
    if (prev && prev.start === s.start && prev.end === s.end) continue; // the specific one sorted first
    out[w++] = s;
  }
  out.length = w;
  return out;
}

/** Runs the handlers of the anchors found at `i`; returns where scanning may resume (a matched prefix value is skipped). */
function dispatch(st: ScanState, i: number, list: Anchor[], known: number): number {
  const { text } = st;
  let resume = 0;
  let prefixDone = false;
  const before = i > 0 ? text.charCodeAt(i - 1) : 32;
  for (let ai = 0; ai < list.length; ai++) {
    const a = list[ai]!;
    if (a.lbAll !== undefined && before < 128 && a.lbAll[before] === 1) continue;
    if (!anchorAt(text, i, a, known)) continue;
    for (let hi = 0; hi < a.handlers.length; hi++) {
      const h = a.handlers[hi]!;
      switch (h.t) {
        case 'prefix': {
          if (prefixDone) break;
          if (h.first !== undefined) {
            const c = text.charCodeAt(i + a.text.length);
            if (c < 128 && h.first[c] === 0) break;
          }
          const e = tryPrefix(st, h.rule, i);
          if (e > 0) {
            prefixDone = true;
            resume = Math.max(resume, e);
          }
          break;
        }
        case 'context':
          scanContext(st, h.rule, h.idx, i, a.text.length);
          break;
        case 'assign':
          parseAssignment(st, i, a.text.length);
          break;
        case 'pair':
          parsePair(st, i, a.text.length);
          break;
        case 'prose':
          parseProse(st, i, a.text.length);
          break;
        case 'cli':
          parseCli(st, i, h.tool);
          break;
        case 'url': {
          const e = parseUrl(st, i);
          if (e > 0) resume = Math.max(resume, e);
          break;
        }
        case 'pem': {
          const e = parsePem(st, i);
          if (e > 0) resume = Math.max(resume, e);
          break;
        }
        case 'putty': {
          const e = parsePutty(st, i);
          if (e > 0) resume = Math.max(resume, e);
          break;
        }
        case 'bearer':
          parseBearer(st, i, a.text.length);
          break;
        case 'jaas':
          st.jaasPrevEnd = st.jaasEnd;
          st.jaasEnd = i + a.text.length;
          break;
      }
    }
  }
  return resume;
}

function push(st: ScanState, start: number, end: number, subtype: string, provider: string, family: Family): void {
  if (end <= start) return;
  st.out.push({ start, end, subtype, provider, family });
  // the density guard counts places, not rules: one value that three rules report is one finding
  if (start >= st.foundTo) {
    st.found++;
    st.foundTo = end;
  }
}

function tryPrefix(st: ScanState, rule: PrefixRule, i: number): number {
  const { text } = st;
  const start = rule.back === undefined ? i : typeof rule.back === 'number' ? i - rule.back : rule.back(text, i);
  if (start < 0) return 0;
  if (rule.lbTable && start > 0) {
    const c = text.charCodeAt(start - 1);
    if (c < 128 && rule.lbTable[c]) return 0;
  }
  rule.re.lastIndex = start;
  const m = rule.re.exec(text);
  if (!m) return 0;
  let s = m.index;
  let v = m[0];
  if (m[1] !== undefined) {
    s = m.index + m[0].lastIndexOf(m[1]);
    v = m[1];
  }
  if (rule.check && !rule.check(v)) return 0;
  if (looksPlaceholder(v.slice(Math.min(v.length, 8))) && rule.id !== 'twitter_bearer_token') return 0;
  if (DOC_EXAMPLE.test(v)) return 0;
  push(st, s, s + v.length, rule.id, rule.provider, rule.family);
  return m.index + m[0].length;
}

const CTX_EDGE = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') CTX_EDGE[ch.charCodeAt(0)] = 1;
/** labelIsId or a digest prefix before `s`; several context rules often find the same value, so the answer is kept. */
function labelledId(st: ScanState, s: number): boolean {
  if (st.idAt === s) return st.idWas;
  const { text } = st;
  st.idAt = s;
  const b = s > 0 ? text.charCodeAt(s - 1) : 0;
  return (st.idWas = labelIsId(text, s) || ((b === 58 || b === 64 || b === 45) && /(?:sha\d+|md5)[:@-]$/i.test(text.slice(Math.max(0, s - 8), s))));
}

/** A placeholder or a run of the alphabet (all zeros, 0123456789abcdef…): asked once per value, however many rules found it. */
function handWritten(st: ScanState, s: number, e: number, v: string): boolean {
  if (st.hwS === s && st.hwE === e) return st.hwWas;
  st.hwS = s;
  st.hwE = e;
  // the verdict is the value's own: a value repeated through the text is judged once
  if (v !== hwValue) {
    hwValue = v;
    hwValueWas = looksPlaceholder(v) || sequential(v);
  }
  return (st.hwWas = hwValueWas);
}
let hwValue = '';
let hwValueWas = false;

/**
 * The checks that do not depend on the rule (edges, digits, an id label, a placeholder), kept per value: rules that
 * share a value shape (32 hex, a UUID) and keyword windows read the same values, and dense keywords would otherwise
 * ask each value once per rule.
 */
function contextValueOk(st: ScanState, s: number, e: number, v: string): boolean {
  // direct-mapped on the start: the windows that share values are at most a few KiB apart, and a collision only recomputes
  const memo = scratchVerdict;
  const slot = (s & (CTX_MEMO - 1)) * 4;
  if (memo[slot + 3] === verdictGen && memo[slot] === s && memo[slot + 1] === e) return memo[slot + 2] === 1;
  const { text } = st;
  const before = s > 0 ? text.charCodeAt(s - 1) : 32;
  const after = e < text.length ? text.charCodeAt(e) : 32;
  const ok = !((before < 128 && CTX_EDGE[before] === 1) || (after < 128 && (CTX_EDGE[after] === 1 || after === 61))) &&
    !v.includes('EXAMPLE') &&
    /\d/.test(v) && // a random key has digits; a word or identifier next to a provider name does not
    !labelledId(st, s) &&
    !handWritten(st, s, e, v);
  memo[slot] = s;
  memo[slot + 1] = e;
  memo[slot + 2] = ok ? 1 : 0;
  memo[slot + 3] = verdictGen;
  return ok;
}

function scanContext(st: ScanState, rule: ContextRule, idx: number, i: number, len: number): void {
  const { text } = st;
  const w = rule.window ?? 160;
  // windows of nearby hits merge, and each scan runs a chunk ahead: dense keywords cost about one pass per rule
  const done = st.ctxDone[idx]!;
  if (i + len + w <= done) return;
  const from = Math.max(0, i - w, done - 100);
  const to = Math.min(text.length, i + len + w + 1024);
  st.ctxDone[idx] = to;
  const c = shapeValues(st, shapeOf[idx]!, from, to);
  // values this rule already reported from the window before (they overlap by 100) are not reported twice
  const seen = done > 0 && from === done - 100 ? done : -1;
  let k = lowerBound(c.s, from);
  for (; k < c.s.length && c.e[k]! <= to; k++) {
    if (c.e[k]! <= seen) continue;
    const v = c.v[k]!;
    if (rule.check && !rule.check(v)) continue;
    push(st, c.s[k]!, c.e[k]!, rule.id, rule.provider, rule.family);
  }
}

/** Values of one shape that pass contextValueOk, over one stretch of text, in order. */
interface ShapeValues {
  from: number;
  to: number;
  s: number[];
  e: number[];
  v: string[];
}
/**
 * The values of a shape (one value regex) from `from` to `to`: context rules that share a shape (32 hex for Datadog,
 * Twilio and Azure; a UUID for Heroku, Snyk, Postmark...) share one regex pass over their windows. The kept stretch
 * grows while windows touch it and starts over where one does not.
 */
function shapeValues(st: ScanState, sh: number, from: number, to: number): ShapeValues {
  const all = (st.shapes ??= []);
  let c = all[sh];
  if (c === undefined || from > c.to || from < c.from) all[sh] = c = { from, to: from, s: [], e: [], v: [] };
  if (to <= c.to) return c;
  const { text } = st;
  // a value cut by the last stretch's end is found again from a little before it; the ones it had are skipped
  const had = c.to > c.from ? c.to : -1;
  const start = had > 0 ? Math.max(c.from, had - 100) : from;
  // every value kept has a digit (contextValueOk): a stretch without one (`dd-api-key="` runs) needs no regex pass
  if (firstDigit(st, start) >= to) {
    c.to = to;
    return c;
  }
  const re = shapeRe[sh]!;
  const slice = text.slice(start, to);
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(slice)) !== null) {
    const s = start + m.index;
    const e = s + m[0].length;
    if (e <= had) continue;
    if (!contextValueOk(st, s, e, m[0])) continue;
    c.s.push(s);
    c.e.push(e);
    c.v.push(m[0]);
  }
  c.to = to;
  return c;
}
/** The first digit at or after `p` (the text's length when none); the stretch known to have none grows both ways. */
function firstDigit(st: ScanState, p: number): number {
  const { text } = st;
  if (st.digitFrom >= 0 && p <= st.digitAt) {
    if (p >= st.digitFrom) return st.digitAt;
    let q = p;
    while (q < st.digitFrom) {
      const c = text.charCodeAt(q);
      if (c >= 48 && c <= 57) break;
      q++;
    }
    // no digit before the known stretch: the stretch just grows back to p (its first digit stays where it was)
    if (q < st.digitFrom) st.digitAt = q;
    st.digitFrom = p;
    return st.digitAt;
  }
  const n = text.length;
  let q = p;
  while (q < n) {
    const c = text.charCodeAt(q);
    if (c >= 48 && c <= 57) break;
    q++;
  }
  st.digitFrom = p;
  st.digitAt = q;
  return q;
}
function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const SCHEMES = /^(?:auth|token|bearer|basic|digest|apikey|api-key|api_key|sso-key|ssws|splunk|geniekey|key|dsn|hmac|token-auth|private-token|otp)$/i;
const SCHEME_PROVIDERS: Record<string, [string, Family]> = { ssws: ['okta', 'identity'], splunk: ['splunk', 'monitoring'], geniekey: ['opsgenie', 'monitoring'], 'sso-key': ['godaddy', 'other'] };

/** "public key = ...", "# verify key": the 24 characters before the key on its line (the regex runs only where a p or v is). */
function publicBefore(text: string, ks: number): boolean {
  const from = Math.max(0, ks - 24);
  let line = from;
  let cand = false;
  for (let p = ks - 1; p >= from; p--) {
    const c = text.charCodeAt(p);
    if (c === 10) {
      line = p + 1;
      break;
    }
    if ((c | 32) === 112 || (c | 32) === 118) cand = true;
  }
  return cand && /public|publishable|\bpub\b|verify/i.test(text.slice(line, ks));
}

const isWordTail = (c: number) => isAlnum(c) || c === 95 || c === 45;
/** The length of a header scheme word at `p` (a letter, 1-15 of [A-Za-z0-9_-], then a space or tab), or 0. */
function schemeWordLength(text: string, p: number): number {
  let q = p + 1;
  const lim = Math.min(text.length, p + 16);
  while (q < lim && isWordTail(text.charCodeAt(q))) q++;
  const c = text.charCodeAt(q);
  return q > p + 1 && (c === 32 || c === 9) ? q - p : 0;
}

/** `KEY = value` around a credential word at `i`; returns the value's end when one was found. */
function parseAssignment(st: ScanState, i: number, len: number): number {
  const { text } = st;
  const n = text.length;
  if (i < st.assignedTo) return 0;
  let ks = i;
  while (ks > 0 && i - ks < 64 && isIdent(text.charCodeAt(ks - 1))) ks--;
  let ke = i + len;
  while (ke < n && ke - i < 64 && isIdent(text.charCodeAt(ke))) ke++;
  st.assignedTo = ke;
  // the separator comes first: a credential word in prose ("the password for the db") costs no key lookup; the
  // closers and spaces skipped here are the ones the separator parse below starts after
  let p = ke;
  let close = 0;
  while (p < n && close < 2 && isCloser(text.charCodeAt(p))) {
    p++;
    close++;
  }
  let sp = 0;
  while (p < n && sp < 3 && isSpace(text.charCodeAt(p))) {
    p++;
    sp++;
  }
  {
    const c = p < n ? text.charCodeAt(p) : 0;
    if (!(c === 61 || c === 58 || c === 124 || c === 63 || c === 44 || (sp >= 1 && close === 0 && text.charCodeAt(ks) === 45))) return 0;
  }
  const key = text.slice(ks, ke);
  // <SECRET:k1:...>: the type name of a token, not a key
  if (ks > 0 && text[ks - 1] === '<' && /^[A-Z_]+$/.test(key)) return 0;
  const info = keyInfo(key);
  if (!info) return 0;
  const kind = info.kind;
  const quotedKey = ke < n && (text[ke] === '"' || text[ke] === "'") && ks > 0 && (text[ks - 1] === '"' || text[ks - 1] === "'");
  const c = text[p];
  let sepOk = false;
  if (c === '=' || c === ':') {
    sepOk = true;
    p++;
    if (text[p] === '=' || text[p] === '>') p++;
    // "key": "value" vs a URL-ish `key://`
    if (c === ':' && text[p] === '/' && text[p + 1] === '/') return 0;
  } else if ((c === '|' || c === '?') && text[p + 1] === '|' && text[p + 2] === '=') {
    sepOk = true;
    p += 3;
  } else if ((c === '|' || c === '?') && text[p + 1] === '=') {
    sepOk = true;
    p += 2;
  } else if (c === '|' && text[p + 1] === '|' && text[p + 2] === '=') {
    sepOk = true;
    p += 3;
  } else if (c === ',' && quotedKey && close === 1 && /^[A-Z][A-Z0-9_]*$/.test(key)) {
    // setenv("DATADOG_API_KEY", "..."): an environment name, not a word in a list of strings
    sepOk = true;
    p++;
  } else if (sp >= 1 && close === 0 && key.startsWith('-') && (kind === 'password' || kind === 'secret' || kind === 'token' || kind === 'key')) {
    sepOk = true; // --password value
  }
  if (!sepOk) return 0;
  sp = 0;
  while (p < n && sp < 3 && isSpace(text.charCodeAt(p))) {
    p++;
    sp++;
  }
  // header schemes: Authorization: Bearer X / token X / SSWS X
  let provider: { provider: string; family: Family } | undefined;
  let subtype = subtypeForKey(kind);
  let q = text[p] === '"' || text[p] === "'" || text[p] === '`' ? text[p]! : '';
  if (q) p++;
  // a JSON-escaped quote (a JAAS line or a connection string inside a JSON string): password=\"value\"
  let escaped = false;
  if (!q && text.charCodeAt(p) === 92 && (text[p + 1] === '"' || text[p + 1] === "'")) {
    q = text[p + 1]!;
    p += 2;
    escaped = true;
  }
  const c0 = text.charCodeAt(p);
  const wordLen = info.schemes && (c0 | 32) >= 97 && (c0 | 32) <= 122 ? schemeWordLength(text, p) : 0;
  if (wordLen > 0 && SCHEMES.test(text.slice(p, p + wordLen))) {
    const sch = text.slice(p, p + wordLen).toLowerCase();
    p += wordLen;
    while (p < n && isSpace(text.charCodeAt(p))) p++;
    subtype = sch === 'basic' ? 'basic_auth' : sch === 'bearer' ? 'bearer_token' : 'auth_header_token';
    const sp2 = SCHEME_PROVIDERS[sch];
    if (sp2) provider = { provider: sp2[0], family: sp2[1] };
    if (!q && (text[p] === '"' || text[p] === "'")) q = text[p++]!;
  }
  const vs = p;
  let ve = p;
  if (q) {
    const qc = q.charCodeAt(0);
    let cc = 0;
    while (ve < n && ve - vs < 4096 && (cc = text.charCodeAt(ve)) !== qc && cc !== 10) ve++;
    if (escaped && ve < n && text.charCodeAt(ve) === qc && text.charCodeAt(ve - 1) === 92) ve--;
    else if (escaped) return 0;
    else if (ve >= n || text.charCodeAt(ve) !== qc) {
      // no closing quote on this line: take the unquoted run
      ve = vs;
      while (ve < n && ve - vs < 4096 && !stopsValue(text.charCodeAt(ve))) ve++;
    }
  } else {
    const inQuery = ks > 0 && (text[ks - 1] === '?' || text[ks - 1] === '&' || text[ks - 1] === ';');
    while (ve < n && ve - vs < 4096) {
      const cc = text.charCodeAt(ve);
      if (stopsValue(cc) || (cc === 38 && (inQuery || /^&[A-Za-z0-9_.-]{1,40}=/.test(text.slice(ve, ve + 42))))) break;
      ve++;
    }
    const full = ve;
    while (ve > vs && (text.charCodeAt(ve - 1) === 46 || text.charCodeAt(ve - 1) === 44 || text.charCodeAt(ve - 1) === 58)) ve--;
    // `sk-ant-api03-...`: a value that ends in an ellipsis is a placeholder, however much of a prefix it shows
    if (full - ve >= 3 && text.startsWith('...', full - 3)) {
      st.assignedTo = Math.max(st.assignedTo, full);
      st.valueTo = Math.max(st.valueTo, full);
      return 0;
    }
  }
  // hits inside this value are not keys of their own: assignment parsing stays linear however values nest
  st.assignedTo = Math.max(st.assignedTo, ve);
  st.valueTo = Math.max(st.valueTo, ve);
  let v = text.slice(vs, ve);
  if (q) {
    const t = v.trim();
    if (t !== v) return 0;
  }
  if (v.startsWith('-----BEGIN')) return 0; // the PEM parser owns key blocks
  if (v.indexOf('://') > 0 && /^[a-z][a-z0-9+.-]{1,30}:\/\//i.test(v)) return 0; // the URL parser owns connection strings
  if (!valueOkOnce(v, kind, key.charCodeAt(0) === 45 ? key.replace(/^-+/, '') : key)) return 0;
  // the 24 characters before the key on its line: "public key = ...", "# verify key"
  if (publicBefore(text, ks)) return 0;
  if (!provider) provider = info.provider;
  if (subtype === 'password_assignment' && (jaasWithin(st.jaasEnd, ks) || jaasWithin(st.jaasPrevEnd, ks))) {
    subtype = 'kafka_sasl_jaas_password';
    provider = { provider: 'kafka', family: 'connection_string' };
  }
  // a value that is itself a known format keeps the format's type: the prefix rule reports it too and the longer span wins
  push(st, vs, vs + v.length, subtype, provider?.provider ?? 'generic', provider?.family ?? (subtype.includes('auth') || subtype.includes('bearer') ? 'header' : 'assignment'));
  v = '';
  return ve;
}

// "password is X", "password changed to X", "contraseña del host es X", "pass `X`"
const PROSE_RE = /(?:[^\S\n]{1,3}(?:[\p{L}\p{N}'’-]{1,16}[^\S\n]){0,4}?(is|was|are|to|es|est|ist|é|è|era|lautet|now|será|sera|wird|:|=|-)[^\S\n]{1,3}|[^\S\n]{1,2}|[^\S\n]?([:=])[^\S\n]?)(["'`“«]?)([^\s"'`”»]{4,64})/uy;

// the same without its first branch (the linking word after up to four words), groups unchanged: where no linking word
// follows within reach that branch cannot match, and trying it at every word is what dense "pass pass ..." costs
const PROSE_DIRECT_RE = new RegExp(PROSE_RE.source.replace('(?:[^\\S\\n]{1,3}(?:', '(?:(?!)[^\\S\\n]{1,3}(?:'), 'uy');
const LINK_RE = /[^\S\n](?:is|was|are|to|es|est|ist|é|è|era|lautet|now|será|sera|wird|:|=|-)[^\S\n]/u;
/**
 * Where the next linking word (with its spaces) starts at or after `p`, looking at least 104 characters ahead; remembered.
 * It looks a chunk ahead at once: dense prose words ("pass pass ...") ask at every other word, and what it finds past
 * p + 96 decides the same as finding nothing.
 */
function nextLink(st: ScanState, p: number): number {
  if (st.linkAt >= p) return st.linkAt;
  const { text } = st;
  const from = Math.max(p, st.linkScanned);
  // settled past the window: nothing to look at (the chunk is read only when the window reaches unread text)
  if (from < Math.min(text.length, p + 104)) {
    const to = Math.min(text.length, Math.max(p + 104, from + 1024));
    const m = LINK_RE.exec(text.slice(from, to));
    if (m) {
      st.linkAt = from + m.index;
      st.linkScanned = st.linkAt + 1;
      return st.linkAt;
    }
    // a linking word is at most 8 characters with its spaces: starts before to - 8 are settled
    st.linkScanned = Math.max(st.linkScanned, to - 8);
  }
  return Number.MAX_SAFE_INTEGER;
}

// tried at a space or tab: `user / password` or `user | password`
const PAIR_RE = /[ \t]([^\s/|:]{1,64})[ \t]{1,3}[/|][ \t]{1,3}([^\s]{8,64})(?=\s|$)/y;
/** A user / password pair after a login word: the password must look drawn (three kinds of character), not a word pair. */
function parsePair(st: ScanState, i: number, len: number): void {
  const { text } = st;
  const b = i > 0 ? text.charCodeAt(i - 1) : 32;
  if (isAlnum(b) || b === 95) return;
  const from = i + len;
  const lim = Math.min(text.length - 1, from + 80);
  // whether a pair starts at a space does not depend on which login word led there: each position is tried once
  let p = Math.max(from, st.pairDone);
  let m: RegExpExecArray | null = null;
  for (; p <= lim; p++) {
    const c = text.charCodeAt(p);
    if (c === 10) break;
    if (c === 32 || c === 9) {
      PAIR_RE.lastIndex = p;
      if ((m = PAIR_RE.exec(text)) !== null) break;
    }
  }
  st.pairDone = m ? m.index + m[0].length : p;
  if (!m) return;
  const v = m[2]!.replace(/[.,;)\]]+$/, '');
  const f = charFlags(v);
  const kinds = (f & F_LOWER ? 1 : 0) + (f & F_UPPER ? 1 : 0) + (f & F_DIGIT ? 1 : 0) + (f & ~(F_LETTER | F_DIGIT) ? 1 : 0);
  if (v.length < 8 || kinds < 3 || PLACEHOLDER.test(v) || REFERENCE.test(v) || PUBLIC_VALUE.test(v) || sequential(v)) return;
  const s = m.index + m[0].length - m[2]!.length;
  push(st, s, s + v.length, 'password_prose', 'generic', 'assignment');
}

const PASS_SUFFIXES = ['word', 'wort', 'wd', 'phrase', 'code'];
const isLetter = (c: number) => ((c | 32) >= 97 && (c | 32) <= 122);
/** After "pass": the length of word|wort|wd|phrase|code, then an optional s, before a non-letter; -1 when none fits. */
function passSuffix(text: string, p: number): number {
  for (const suf of PASS_SUFFIXES) {
    let k = 0;
    while (k < suf.length && (text.charCodeAt(p + k) | 32) === suf.charCodeAt(k)) k++;
    if (k < suf.length) continue;
    let q = p + k;
    if ((text.charCodeAt(q) | 32) === 115) q++;
    if (!isLetter(text.charCodeAt(q))) return q - p;
  }
  let q = p;
  if ((text.charCodeAt(q) | 32) === 115) q++;
  if (!isLetter(text.charCodeAt(q))) return q - p;
  return -1;
}

function asciiLetters(v: string): boolean {
  for (let k = 0; k < v.length; k++) if (!isLetter(v.charCodeAt(k))) return false;
  return v.length > 0;
}

function parseProse(st: ScanState, i: number, len: number): void {
  const { text } = st;
  // inside an identifier (db_password=...) the assignment parser has it
  const b = i > 0 ? text.charCodeAt(i - 1) : 32;
  if (isAlnum(b) || b === 95 || i < st.valueTo) return;
  let p = i + len;
  if ((text.charCodeAt(i) | 32) === 112 && (text.charCodeAt(i + 1) | 32) === 97 && (text.charCodeAt(i + 2) | 32) === 115 && (text.charCodeAt(i + 3) | 32) === 115) {
    // password(s), passwort, passwd, passphrase, passcode; not passed, passing, passport
    const rest = passSuffix(text, p);
    if (rest < 0) return;
    p += rest;
  } else while (p < text.length && p - i < len + 8 && /[a-zA-Z\u00c0-\u024f]/.test(text[p]!)) p++;
  const re = nextLink(st, p) <= p + 96 ? PROSE_RE : PROSE_DIRECT_RE;
  re.lastIndex = p;
  const m = re.exec(text);
  if (!m) return;
  st.valueTo = Math.max(st.valueTo, m.index + m[0].length);
  const linked = m[1] !== undefined || m[2] !== undefined;
  const quote = m[3]!;
  let v = m[4]!;
  // bare ASCII letters ("Passwort Passwort", "the password field") fail every test below: no placeholder regexes for them
  if (!quote && asciiLetters(v)) return;
  if (PLACEHOLDER.test(v) || DOC_EXAMPLE.test(v)) return;
  if (quote) {
    const close = quote === '“' ? '”' : quote === '«' ? '»' : quote;
    if (text[m.index + m[0].length] !== close) return;
  } else v = v.replace(/[.,;:)\]]+$/, '');
  if (v.length < 6 || PLACEHOLDER.test(v) || PUBLIC_VALUE.test(v) || REFERENCE.test(v)) return;
  if (v.startsWith('-')) return; // a command-line flag
  const inner = v.replace(/^\W+|\W+$/g, '');
  const pwLike = /[A-Za-z\p{L}]/u.test(v) && /[\d\W_]/.test(inner) && !/^[a-z]+(?:[-'][a-z]+)*$/i.test(v);
  const strongLink = m[2] !== undefined || (m[1] !== undefined && /^(?:is|was|es|est|ist|é|è|era|lautet|:|=)$/.test(m[1]));
  // a quoted value right after the word (or after "is") may be a passphrase of plain words; bare, it has to look like a password
  // "the password is correct-horse-battery-staple": a passphrase of three or more joined words
  const passphrase = strongLink && /^[a-z]+(?:-[a-z]+){2,}$/i.test(v);
  if (!passphrase && !(pwLike && (linked || quote || v.length >= 8)) && !(quote && v.length >= 8 && (strongLink || !linked))) return;
  const s = m.index + m[0].length - m[4]!.length;
  push(st, s, s + v.length, 'password_prose', 'generic', 'assignment');
}

interface CliSpec {
  /** sticky, tried at a space or tab after the tool's name */
  re: RegExp;
  /** how far after the name that space may be, on the same line */
  reach: number;
  /** index into ScanState.cliDone */
  idx: number;
  userpass: boolean;
}
let cliCount = 0;
const cli = (reach: number, re: RegExp, userpass = false): CliSpec => ({ re, reach, idx: cliCount++, userpass });
const CLI_RES: Record<string, CliSpec> = {
  'redis-cli': cli(120, /[ \t](?:-a|--pass|--password)[ \t=]{1,2}(["']?)([^\s"']{4,128})\1(?=\s|$)/y),
  mysql: cli(120, /[ \t]-p(["']?)([^\s"'-][^\s"']{3,127})\1(?=\s|$)/y),
  mariadb: cli(120, /[ \t]-p(["']?)([^\s"'-][^\s"']{3,127})\1(?=\s|$)/y),
  sshpass: cli(40, /[ \t]-p[ \t]{0,2}(["']?)([^\s"']{4,128})\1(?=\s|$)/y),
  'docker login': cli(120, /[ \t](?:-p|--password)[ \t=]{1,2}(["']?)([^\s"']{4,128})\1(?=\s|$)/y),
  'az login': cli(160, /[ \t](?:-p|--password)[ \t=]{1,2}(["']?)([^\s"']{4,128})\1(?=\s|$)/y),
  'heroku login': cli(120, /[ \t](?:-p|--password)[ \t=]{1,2}(["']?)([^\s"']{4,128})\1(?=\s|$)/y),
  twine: cli(120, /[ \t](?:-p|--password)[ \t=]{1,2}(["']?)([^\s"']{4,300})\1(?=\s|$)/y),
  mongosh: cli(160, /[ \t](?:-p|--password)[ \t=]{1,2}(["']?)([^\s"']{4,128})\1(?=\s|$)/y),
  mongo: cli(160, /[ \t](?:-p|--password)[ \t=]{1,2}(["']?)([^\s"']{4,128})\1(?=\s|$)/y),
  'npm login': cli(120, /[ \t](?:-p|--password)[ \t=]{1,2}(["']?)([^\s"']{4,128})\1(?=\s|$)/y),
  'gh auth': cli(120, /[ \t](?:--with-token|-t)[ \t=]{1,2}(["']?)([^\s"']{8,128})\1(?=\s|$)/y),
  psql: cli(160, /[ \t](?:password=)(["']?)([^\s"']{4,128})\1(?=\s|$)/y),
};
// curl/wget/httpie/ftp: -u user:password, --user user:password, --password=...
const USERPASS = cli(200, /[ \t](?:-u|--user|--http-user|-a|--auth)[ \t=]{1,2}(["']?)([^\s:"'`]{1,128}):(["']?)([^\s"'`]{1,128})\3\1(?=\s|$)/y, true);

const scratchCtxDone = new Int32Array(contextRules.length);
const scratchCliDone = new Int32Array(cliCount);
/** contextValueOk's answers: start, end, verdict and the scan they belong to, per slot (direct-mapped on the start) */
const CTX_MEMO = 4096;
const scratchVerdict = new Int32Array(CTX_MEMO * 4);
let verdictGen = 0;

/**
 * The flag after a tool's name, on its line. Whether a flag matches at a space does not depend on which mention of
 * the tool led there, so each spec remembers how far it has tried: a line full of `curl curl curl` is read once.
 */
function parseCli(st: ScanState, i: number, tool: string): void {
  const { text } = st;
  const b = i > 0 ? text.charCodeAt(i - 1) : 32;
  if (isAlnum(b) || b === 95 || b === 45) return;
  const spec = CLI_RES[tool] ?? USERPASS;
  const { re } = spec;
  const from = i + tool.length;
  const lim = Math.min(text.length - 1, from + spec.reach);
  let p = Math.max(from, st.cliDone[spec.idx]!);
  let m: RegExpExecArray | null = null;
  for (; p <= lim; p++) {
    const c = text.charCodeAt(p);
    if (c === 10) break;
    if (c === 32 || c === 9) {
      re.lastIndex = p;
      if ((m = re.exec(text)) !== null) break;
    }
  }
  st.cliDone[spec.idx] = m ? m.index + m[0].length : p;
  if (!m) return;
  const v = spec.userpass ? m[4]! : m[2]!;
  if (PLACEHOLDER.test(v) || REFERENCE.test(v) || v.length < 4) return;
  const s = m.index + m[0].length - v.length - (spec.userpass ? m[3]!.length + m[1]!.length : m[1]!.length);
  push(st, s, s + v.length, 'cli_password', 'generic', 'assignment');
}

const URL_PROVIDERS: [RegExp, string, string][] = [
  [/^postgres(?:ql)?(?:\+[a-z0-9]+)?$/, 'postgres_password', 'postgres'],
  [/^(?:mysql|mariadb)(?:\+[a-z0-9]+)?$/, 'mysql_password', 'mysql'],
  [/^mongodb(?:\+srv)?$/, 'mongodb_password', 'mongodb'],
  [/^rediss?$/, 'redis_password', 'redis'],
  [/^amqps?$/, 'amqp_password', 'rabbitmq'],
  [/^(?:mssql|sqlserver)(?:\+[a-z0-9]+)?$/, 'mssql_password', 'mssql'],
  [/^snowflake$/, 'snowflake_password', 'snowflake'],
];

const isSchemeChar = (c: number) => isAlnum(c) || c === 43 || c === 46 || c === 45;
const schemeCache = new Map<string, [string, string]>();
/** The credential type and provider a URL scheme stands for (postgres+psycopg -> postgres_password, postgres). */
function schemeType(scheme: string): [string, string] {
  let r = schemeCache.get(scheme);
  if (!r) {
    r = ['url_password', scheme.split('+')[0]!.replace(/s$/, '') || 'url'];
    for (const [re, t, p] of URL_PROVIDERS) if (re.test(scheme)) r = [t, p];
    if (schemeCache.size >= 1024) schemeCache.clear();
    schemeCache.set(scheme, r);
  }
  return r;
}

/** scheme://user:password@host at the `://` at `i`. */
function parseUrl(st: ScanState, i: number): number {
  const { text } = st;
  const n = text.length;
  let s = i;
  while (s > 0 && i - s < 32 && isSchemeChar(text.charCodeAt(s - 1))) s--;
  const c0 = text.charCodeAt(s) | 32;
  if (s === i || c0 < 97 || c0 > 122) return 0;
  const scheme = text.slice(s, i).toLowerCase();
  const us = i + 3;
  let at = -1;
  let colon = -1;
  for (let p = us; p < n && p - us < 256; p++) {
    const ch = text.charCodeAt(p);
    if (ch === 64) {
      at = p;
      break;
    }
    if (ch === 58 && colon === -1) colon = p;
    if (ch <= 32 || ch === 47 || ch === 34 || ch === 39 || ch === 96 || ch === 60 || ch === 62 || ch === 35 || ch === 63) break;
  }
  if (at === -1) return 0;
  // the host after '@' has to look like one
  const h0 = at + 1 < n ? text.charCodeAt(at + 1) : 0;
  if (!(isAlnum(h0) || h0 === 91)) return 0;
  if (colon === -1) {
    const user = text.slice(us, at);
    const host = text.slice(at + 1, Math.min(n, at + 120)).toLowerCase();
    // Sentry's keys are 32 hex; its documentation writes examplePublicKey
    const hex32 = /^[0-9a-f]{32}$/.test(user);
    if ((/sentry/.test(host) && (hex32 || (user.length >= 20 && hasLetterAndDigit(user) && !looksPlaceholder(user)))) || (/^https?$/.test(scheme) && hex32)) {
      push(st, us, at, 'sentry_dsn', 'sentry', 'monitoring');
      return at;
    }
    return 0;
  }
  const pw = text.slice(colon + 1, at);
  if (pw.length === 0 || PLACEHOLDER.test(pw) || /^\$|^%\(|^\{\{|^<|^\*+$/.test(pw)) return 0;
  const [subtype, provider] = schemeType(scheme);
  push(st, colon + 1, at, subtype, provider, 'connection_string');
  return at;
}

function parsePem(st: ScanState, b: number): number {
  const { text } = st;
  if (!text.startsWith('-----BEGIN ', b)) return 0;
  const hdrEnd = text.indexOf('-----', b + 11);
  if (hdrEnd === -1 || hdrEnd - b > 80) return 0;
  const label = text.slice(b + 11, hdrEnd);
  if (!/PRIVATE KEY/.test(label)) return 0;
  // one END search serves every BEGIN before it: hostile text full of BEGIN lines stays linear
  let endMarker: number;
  if (st.pemEnd === -1 && hdrEnd >= st.pemEndFrom) endMarker = -1;
  else if (st.pemEnd >= hdrEnd) endMarker = st.pemEnd;
  else {
    endMarker = text.indexOf('-----END ', hdrEnd + 5);
    st.pemEnd = endMarker;
    st.pemEndFrom = hdrEnd;
  }
  const subtype = /OPENSSH/.test(label) ? 'openssh_private_key' : /PGP/.test(label) ? 'pgp_private_key' : /RSA/.test(label) ? 'rsa_private_key' : /^EC /.test(label) ? 'ec_private_key' : /DSA/.test(label) ? 'dsa_private_key' : 'pkcs8_private_key';
  const provider = subtype === 'openssh_private_key' ? 'openssh' : subtype === 'pgp_private_key' ? 'pgp' : 'pem';
  let e: number;
  if (endMarker === -1 || endMarker - hdrEnd > 64 * 1024) {
    // cut off before its END line: take the base64 body that follows (JSON-escaped newlines included)
    e = hdrEnd + 5;
    while (e < text.length && e - hdrEnd < 64 * 1024 && /[A-Za-z0-9+/=\s\\:-]/.test(text[e]!)) {
      if (text[e] === '-' && text.startsWith('-----', e)) break;
      e++;
    }
  } else {
    const close = text.indexOf('-----', endMarker + 9);
    e = close === -1 || close - endMarker > 80 ? endMarker + 9 : close + 5;
    if (text.startsWith('\\n', e)) e += 2; // the JSON-escaped newline of a service-account private_key
  }
  push(st, b, e, subtype, provider, 'private_key');
  return e;
}

function parsePutty(st: ScanState, b: number): number {
  const { text } = st;
  const slice = text.slice(b, b + 16 * 1024);
  const m = /Private-MAC: [0-9a-f]{40,64}/.exec(slice);
  const e = m ? b + m.index + m[0].length : Math.min(text.length, b + slice.length);
  push(st, b, e, 'putty_private_key', 'putty', 'private_key');
  return e;
}

const BEARER_RE = /(?:bearer|basic)[ \t]{1,3}([A-Za-z0-9._~+/-]{16,4000}=*)/iy;
function parseBearer(st: ScanState, i: number, len: number): void {
  const { text } = st;
  const b = i > 0 ? text.charCodeAt(i - 1) : 32;
  if (isAlnum(b)) return;
  BEARER_RE.lastIndex = i;
  const m = BEARER_RE.exec(text);
  if (!m) return;
  const v = m[1]!;
  if (!hasLetterAndDigit(v) || PLACEHOLDER.test(v)) return;
  const s = m.index + m[0].length - v.length;
  push(st, s, s + v.length, text.slice(i, i + len).toLowerCase().startsWith('basic') ? 'basic_auth' : 'bearer_token', 'generic', 'header');
}

// ---------------------------------------------------------------- catalogue

export interface FormatInfo {
  id: string;
  provider: string;
  family: Family;
  format: string;
  checksum?: string;
  detection: 'prefix' | 'context' | 'parsed';
  anchors: string[];
}

export function formats(): FormatInfo[] {
  return [
    ...RULES.map((r) => ({ id: r.id, provider: r.provider, family: r.family, format: r.format, checksum: r.checksum, detection: r.kind, anchors: r.kind === 'prefix' ? r.anchors : r.keywords })),
    ...PARSED_FORMATS.map((r) => ({ id: r.id, provider: r.provider, family: r.family, format: r.format, detection: 'parsed' as const, anchors: [] })),
  ];
}

/** Cloud and LLM-provider keys: exposure in a prompt is rated high. */
export function isHighRisk(family: Family): boolean {
  return HIGH_FAMILIES.has(family);
}
