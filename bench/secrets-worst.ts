import { findSecrets, RULES } from '../services/tokenize/credentials/index.js';
import { seededRun } from '../services/tokenize/credentials/fake.js';

/**
 * Worst inputs for the secret scanner, 1 MiB each: for every rule, its anchor repeated, its anchor with near-miss
 * bodies, and with separators; runs of the characters the parsers key on (`=`, `:`, quotes, `-----BEGIN`, `://user:`,
 * `Bearer `, the base64 alphabet...); and the parsers' own shapes (assignments, URLs, key blocks, headers, prose,
 * command lines). Each is timed in CPU time (process.cpuUsage: the machine is shared, and wall time counts the other
 * processes), best of three. Prints the worst shapes and how many are over the target, and exits non-zero when any is.
 * Target: every input <= 50 ms per MiB. BENCH_MATCH=regex measures only the inputs whose name matches.
 */
const TARGET_MS = Number(process.env.BENCH_TARGET_MS ?? 50);
const MB = 1 << 20;
const rep = (s: string) => s.repeat(Math.ceil(MB / s.length)).slice(0, MB);
// a fixed pseudo-random run, so two runs measure the same text
const rnd = (n: number, alphabet: string, seed = 7) => seededRun(n, alphabet, seed);
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const HEXA = '0123456789abcdef';
// built one at a time when measured: a thousand megabytes held at once would take gigabytes
const inputs = new Map<string, () => string>();
const P = '-----' + 'BEGIN ';
for (const r of RULES) {
  const anchors = r.kind === 'prefix' ? r.anchors : r.keywords;
  for (const a of anchors) {
    inputs.set(`${r.id} anchor ${a}`, () => rep(a));
    inputs.set(`${r.id} anchor+body ${a}`, () => rep(`${a}${'aB3'.repeat(30)}.`));
    inputs.set(`${r.id} anchor+hex ${a}`, () => rep(`${a} ${'0123456789abcdef'.repeat(3)} `));
    inputs.set(`${r.id} anchor+long ${a}`, () => rep(`${a}${rnd(4000, B64URL, a.length)} `));
    inputs.set(`${r.id} anchor= ${a}`, () => rep(`${a}="`));
  }
}
for (const [k, v] of Object.entries({
  '-pwd runs': '-pwd', 'password=': 'password=', 'key=key=': 'key=key=', 'a://': 'a://', 'http://u:': 'http://u:p', 'BEGIN lines': `${P}PRIVATE KEY-----`,
  'Bearer ': 'Bearer ', 'Basic x': 'Basic x', 'password is': 'password is ', 'pass `': 'pass `', 'curl -u': 'curl -u a:', 'redis-cli': 'redis-cli ', 'mysql -p': 'mysql -p',
  'token: token:': 'token: ', '<SECRET:': '<SECRET:', 'quoted keys': '"api_key": "', 'camel keys': 'apiKeyApiKey', 'AccountKey=': 'AccountKey=',
  // runs of the characters the parsers key on
  '= runs': '=', ': runs': ':', '== runs': '= ', ':= runs': ':=', '" runs': '"', "' runs": "'", '` runs': '`', '"" runs': '"": ""', 'space runs': ' ', 'newline runs': '\n',
  '-----BEGIN runs': '-----BEGIN', '----- runs': '-', 'BEGIN ... -----': `${P}X-----`, 'BEGIN PRIVATE KEY no end': `${P}PRIVATE KEY-----\nAAAA\n`,
  '://user: runs': '://user:', '://u:p@ runs': '://u:p@', 'x://u:p@h runs': 'x://u:p@h ', '@ runs': '@', 'u:p@ runs': 'u:p@',
  'base64 alphabet': B64, 'base64url alphabet': B64URL, 'hex alphabet': HEXA, 'digits': '0123456789', 'A runs': 'A', 'a runs': 'a',
  'Bearer Bearer': 'Bearer Bearer ', 'bearer runs': 'bearer', 'Authorization: Bearer ': 'Authorization: Bearer ', 'Authorization: ': 'Authorization: ',
  'password: "': 'password: "', "password='": "password='", 'password is "': 'the password is "', 'pass pass': 'pass ', 'pwd=pwd=': 'pwd=', 'secret_ runs': 'secret_',
  'token= runs': 'token=', 'api_key= runs': 'api_key=', 'key: runs': 'key: ', 'KEY runs': 'KEY', '_key runs': '_key', 'key. runs': 'key.',
  'sk- runs': 'sk-', 'eyJ runs': 'eyJ', 'eyJ. runs': 'eyJa.', 'eyJ.eyJ. runs': 'eyJa.eyJb.', 'ghp_ runs': 'ghp_', 'AKIA runs': 'AKIA',
  'curl -u runs': 'curl -u ', 'curl runs': 'curl ', 'mysql runs': 'mysql ', 'docker login runs': 'docker login ', '-p runs': ' -p', '--password runs': ' --password',
  'passwort runs': 'Passwort ', 'contraseña es': 'la contraseña es ', 'mot de passe runs': 'mot de passe ', 'is is': 'password is is ',
  'jdbc: runs': 'jdbc:', 'postgres:// runs': 'postgres://', 'mongodb+srv://u:': 'mongodb+srv://u:', 'sasl.jaas runs': 'sasl.jaas.config=', 'LoginModule required': 'LoginModule required password="',
  'PuTTY runs': 'PuTTY-User-Key-File-', 'hooks.slack.com': 'https://hooks.slack.com/services/', 'Q~ runs': 'Q~', '8Q~ runs': 'abc8Q~', ':AA runs': '12345678:AA',
  '.atlasv1. runs': '.atlasv1.', 'NRAL runs': 'NRAL', 'AZDO runs': 'AZDO', '-us runs': '-us', ':APA91b runs': ':APA91b', 'key- runs': 'key-',
  'login runs': 'login ', 'login a / runs': 'login a / ', 'a / b runs': ' a / b', 'creds: u | p runs': 'creds: u | Xy9!', 'sign in runs': 'sign in ',
  '%XX runs': '%2F', '\\n runs': '\\n', 'unicode letters': 'пароль ', 'CJK': '密码是', 'zero-width': '\u200b', 'nbsp': '\u00a0',
})) inputs.set(k, () => rep(v));
inputs.set('userinfo without @', () => 'http://u:' + 'p'.repeat(MB));
inputs.set('pem without end', () => `${P}RSA PRIVATE KEY-----\n` + 'A'.repeat(MB));
inputs.set('pem without end, base64 lines', () => `${P}RSA PRIVATE KEY-----\n` + rep(rnd(64, B64) + '\n'));
inputs.set('long assignment value', () => 'password=' + 'x1'.repeat(MB / 2));
inputs.set('long quoted value, no close', () => 'password="' + 'x1'.repeat(MB / 2));
inputs.set('one base64 run', () => rnd(MB, B64));
inputs.set('one base64url run', () => rnd(MB, B64URL));
inputs.set('one hex run', () => rnd(MB, HEXA));
inputs.set('base64 lines', () => rep(rnd(76, B64) + '\n'));
inputs.set('random ASCII', () => rnd(MB, ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\n'));
inputs.set('bearer + long token', () => rep(`Bearer ${rnd(5000, B64URL)} `));
inputs.set('uuid runs', () => rep('3f2b8c1e-9a4d-4c7e-b1f0-2d6e8a9c0b31 '));
inputs.set('uuid runs next to keywords', () => rep('heroku snyk postmark 3f2b8c1e-9a4d-4c7e-b1f0-2d6e8a9c0b31 '));
inputs.set('hex next to keywords', () => rep(`datadog twilio api-key ${rnd(32, HEXA)} `));
inputs.set('env file of near misses', () => rep(`API_KEY=${rnd(8, B64URL)}\nDB_PASSWORD=\nSECRET=\${SECRET}\nTOKEN="abc\n`));

const prose = rep('The quick brown fox jumps over the lazy dog while the team reviews the deploy notes. ');
/** CPU milliseconds of one scan. */
const cpuMs = (t: string) => {
  const c0 = process.cpuUsage();
  findSecrets(t);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const best = (t: string, k = 3) => {
  let m = Infinity;
  for (let i = 0; i < k; i++) m = Math.min(m, cpuMs(t));
  return m;
};
for (let k = 0; k < 3; k++) cpuMs(prose);
const rows: [string, number][] = [];
const only = process.env.BENCH_MATCH ? new RegExp(process.env.BENCH_MATCH) : undefined;
for (const [name, make] of inputs) {
  if (only && !only.test(name)) continue;
  const text = make();
  let ms = best(text, 2);
  // a second look at a slow one: a GC pause or a busy neighbour's cache is not the scanner's cost
  if (ms > TARGET_MS * 0.8) ms = Math.min(ms, best(text, 3));
  rows.push([name, ms]);
}
rows.sort((a, b) => b[1] - a[1]);
const proseMs = best(prose, 5);
console.log(`secret scanner (findSecrets), ${rows.length} worst-case inputs of 1 MiB, CPU time (best of 2-5); prose: ${proseMs.toFixed(1)} ms/MiB`);
for (const [n, ms] of rows.slice(0, Number(process.env.BENCH_TOP ?? 15))) console.log(`${ms.toFixed(1).padStart(8)} ms/MiB ${(ms / proseMs).toFixed(1).padStart(6)}x prose  ${n}`);
const over = rows.filter(([, ms]) => ms > TARGET_MS);
console.log(`worst: ${rows[0]![0]} ${rows[0]![1].toFixed(1)} ms/MiB (${(rows[0]![1] / proseMs).toFixed(1)}x prose); ${over.length} of ${rows.length} inputs over ${TARGET_MS} ms/MiB`);
if (over.length > 0) process.exitCode = 1;
