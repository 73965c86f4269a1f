import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { UsageError, type CliIO } from '../command.js';
import { readLines } from '../../simulate/output.js';
import type { LabelsFile } from '../../simulate/traffic.js';
import { command as simulate } from './simulate.js';
import { command as emit } from './emit.js';

function io(): CliIO & { out: () => string } {
  const stdout = new PassThrough();
  let o = '';
  stdout.on('data', (c) => (o += c));
  return { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: {}, out: () => o };
}

test('simulate --out writes gzip JSONL and --labels the labels file, both agreeing on the count', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sim-cli-'));
  try {
    const out = join(dir, 'traffic.jsonl.gz');
    const labels = join(dir, 'labels.json');
    const c = io();
    const args = ['--minutes', '30', '--keys', '12', '--seed', '8', '--start', '2026-03-03T09:00:00Z', '--attacks', '--pii-rate', '0.1', '--out', out, '--labels', labels];
    assert.equal(await simulate.run(args, c), 0);
    const lines = gunzipSync(await readFile(out)).toString('utf8').trim().split('\n');
    const reported = Number(/simulate: (\d+) events/.exec(c.out())![1]);
    assert.equal(lines.length, reported);
    const file = JSON.parse(await readFile(labels, 'utf8')) as LabelsFile;
    assert.equal(file.events, reported);
    assert.equal(file.start, Date.parse('2026-03-03T09:00:00Z'));
    assert.ok(file.labels.length >= 5 && file.canaries.length > 0);
    // readLines sniffs gzip by content, so the same file reads back line for line
    let n = 0;
    for await (const l of readLines(out)) if (l) n++;
    assert.equal(n, reported);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('usage mistakes are reported before anything connects', async () => {
  const cases: [typeof simulate, string[], RegExp][] = [
    [simulate, ['--minutes', '5'], /exactly one of --out FILE or --kafka/],
    [simulate, ['--out', 'x', '--kafka'], /exactly one/],
    [simulate, ['--out', 'x', '--rate', '10'], /--rate applies to --kafka only/],
    [simulate, ['--out', 'x', '--pii-rate', '1.5'], /--pii-rate/],
    [simulate, ['--out', 'x', '--start', 'yesterday'], /--start/],
    [emit, [], /--file is required/],
    [emit, ['--file', 'x', '--rate', '0'], /--rate must be a positive number/],
  ];
  for (const [cmd, argv, re] of cases) await assert.rejects(cmd.run(argv, io()), (e: unknown) => e instanceof UsageError && re.test((e as Error).message), argv.join(' '));
});
