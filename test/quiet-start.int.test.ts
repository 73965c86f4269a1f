import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deployDir, repoRoot } from '../services/common/paths.js';
import { TestStack, makeEvent } from './pipeline-harness.js';
import { deletePrefix, errorLines, freePort, spawnCli, testCore, uniqueName, waitFor } from './helpers.js';


/**
 * A fresh broker answers "the coordinator is loading" and "group coordinator not available" until it has
 * created __consumer_offsets, which the shared stack did long ago: this suite starts its own Kafka (and only
 * Kafka: Elasticsearch is the shared one) so the first start it watches is a real first start.
 */
// a private broker needs what the local stack needs: Java, and Maven unless the repository's stack has the jars
const jarsCached = existsSync(join(repoRoot(), '.cache', 'stack', 'kafka', 'lib-3.9.1', '.complete'));
const tools = spawnSync('bash', ['-c', jarsCached ? 'command -v java' : 'command -v java && command -v mvn'], { encoding: 'utf8' }).status === 0;
const skip = tools ? false : 'needs java and mvn to start a private Kafka (deploy/local/stack.sh)';

describe('a first start on a fresh Kafka is quiet', () => {
  const dir = join(repoRoot(), '.cache', uniqueName('quiet-kafka'));
  const script = join(deployDir(), 'local', 'stack.sh');
  const env: NodeJS.ProcessEnv = { ...process.env, LLM_AUDIT_STACK_DIR: dir, ELASTICSEARCH_URL: testCore().elasticsearchUrl };
  delete env.KAFKA_BROKERS;
  let t: TestStack | undefined;

  /** Kafka on its own ports with empty storage: every start it serves is a first start. */
  const freshKafka = () => {
    spawnSync('bash', [script, 'down', 'kafka'], { env, encoding: 'utf8', timeout: 120_000 });
    rmSync(join(dir, 'kafka', 'data'), { recursive: true, force: true });
    const up = spawnSync('bash', [script, 'up'], { env, encoding: 'utf8', timeout: 300_000 });
    assert.equal(up.status, 0, `private Kafka did not start: ${up.stderr}`);
  };
  const demoPrefix = `t-${uniqueName('quietdemo')}`;

  before(async () => {
    if (skip) return;
    env.KAFKA_PORT = String(await freePort());
    env.KAFKA_CONTROLLER_PORT = String(await freePort());
    // the jars of the repository's own local stack, when it has fetched them (saves a Maven run)
    const jars = join(repoRoot(), '.cache', 'stack', 'kafka');
    mkdirSync(join(dir, 'kafka'), { recursive: true });
    if (existsSync(jars)) for (const lib of ['lib-3.9.1']) if (existsSync(join(jars, lib, '.complete'))) symlinkSync(join(jars, lib), join(dir, 'kafka', lib));
    t = new TestStack('quiet', { kafkaBrokers: [`127.0.0.1:${env.KAFKA_PORT}`] });
  });

  after(async () => {
    if (skip) return;
    await t?.close().catch(() => undefined);
    await deletePrefix(t!.es, demoPrefix).catch(() => undefined);
    spawnSync('bash', [script, 'down', 'kafka'], { env, encoding: 'utf8', timeout: 120_000 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('llm-audit demo prints no ERROR-level line, and shows what landed', { skip }, async () => {
    freshKafka();
    const s = t!;
    const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'services', 'cli', 'main.js'), 'demo', '--minutes', '30', '--keys', '8'], {
      env: { ...process.env, KAFKA_BROKERS: s.core.kafkaBrokers.join(','), ELASTICSEARCH_URL: s.core.elasticsearchUrl, LLM_AUDIT_INDEX_PREFIX: demoPrefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await Promise.race([new Promise<number | null>((r) => child.on('exit', (c) => r(c))), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 300_000).unref())]);
    if (code === 'timeout') child.kill('SIGKILL');
    assert.equal(code, 0, `demo exit code (output: ${output.slice(-1500)})`);
    assert.match(output, /events indexed: +[\d,]+ of [\d,]+/);
    assert.deepEqual(errorLines(output), [], 'ERROR-level lines in the demo output');
  });

  it('llm-audit run logs no ERROR-level line while its topics and group form, and still indexes', { skip }, async () => {
    freshKafka();
    const s = t!;
    const port = await freePort();
    const { child, output: out, exited } = spawnCli(['run', '--group', `${s.core.usageTopic}.svc`, '--http-port', String(port)], s.serviceEnv());
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200, { what: `/healthz 200 (output: ${out().slice(-500)})`, timeoutMs: 90_000 });
      const events = Array.from({ length: 20 }, () => makeEvent());
      await s.produceEvents(events);
      await waitFor(async () => (await s.countDocs('events')) === events.length, { what: '20 events indexed', timeoutMs: 90_000 });
    } finally {
      child.kill('SIGTERM');
    }
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 45_000).unref())]);
    assert.equal(code, 0, `exit code after SIGTERM (output: ${out().slice(-800)})`);
    assert.deepEqual(errorLines(out()), [], 'ERROR-level lines on a normal first start');
  });

  it('the filter itself sees an error line', () => {
    const lines = ['{"level":30,"msg":"ok"}', '{"level":50,"msg":"kafkajs: Response GroupCoordinator"}', 'plain ERROR text', 'plain info'];
    assert.deepEqual(errorLines(lines.join('\n')), [lines[1], lines[2]]);
  });
});
