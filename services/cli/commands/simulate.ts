import { writeFile } from 'node:fs/promises';
import { createLogger } from '../../common/logger.js';
import { coreConfig } from '../../common/settings.js';
import { MetricsRegistry } from '../../common/metrics.js';
import { errorMessage } from '../../common/errors.js';
import { createUsageEmitter } from '../../sdk/emitter.js';
import { checkTopic } from '../../sdk/topics.js';
import { sendEvents, writeJsonl } from '../../simulate/output.js';
import { SIMULATE_DEFAULTS, Simulation } from '../../simulate/traffic.js';
import { parseOptions, UsageError, type CliCommand } from '../command.js';

function num(name: string, v: string | undefined, fallback: number, check: (n: number) => boolean): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`--${name}: invalid value ${JSON.stringify(v)}`);
  return n;
}

export const command: CliCommand = {
  name: 'simulate',
  summary: 'Generate realistic, seeded gateway traffic (optionally with labelled attacks and synthetic PII)',
  usage:
    'llm-audit simulate [--minutes M] [--keys K] [--seed S] [--start ISO|now] [--rate-per-key R] [--attacks] [--pii-rate P] [--text]\n' +
    '                   (--out FILE[.jsonl|.jsonl.gz] | --kafka [--topic T] [--create-topic] [--rate EVENTS_PER_S]) [--labels FILE.json]\n' +
    '  --start defaults to M minutes ago, so the traffic ends now. --rate paces sending to Kafka; without it, as fast as the broker takes it.',
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      minutes: { type: 'string', short: 'm' },
      keys: { type: 'string', short: 'k' },
      seed: { type: 'string', short: 's' },
      start: { type: 'string' },
      'rate-per-key': { type: 'string' },
      attacks: { type: 'boolean' },
      'pii-rate': { type: 'string' },
      text: { type: 'boolean' },
      out: { type: 'string', short: 'o' },
      kafka: { type: 'boolean' },
      topic: { type: 'string', short: 't' },
      'create-topic': { type: 'boolean' },
      rate: { type: 'string', short: 'r' },
      labels: { type: 'string', short: 'l' },
    }, false);
    if (!!values.out === !!values.kafka) throw new UsageError('give exactly one of --out FILE or --kafka');
    if (values.rate !== undefined && !values.kafka) throw new UsageError('--rate applies to --kafka only');
    const minutes = num('minutes', values.minutes, SIMULATE_DEFAULTS.minutes, (n) => Number.isInteger(n) && n > 0);
    let start: number;
    if (values.start === undefined || values.start === 'now') start = Math.floor(Date.now() / 60_000) * 60_000 - (values.start === 'now' ? 0 : minutes * 60_000);
    else {
      start = Date.parse(values.start);
      if (Number.isNaN(start)) throw new UsageError(`--start: not an ISO date: ${values.start}`);
    }
    const sim = new Simulation({
      start,
      minutes,
      keys: num('keys', values.keys, SIMULATE_DEFAULTS.keys, (n) => Number.isInteger(n) && n > 0),
      seed: num('seed', values.seed, SIMULATE_DEFAULTS.seed, (n) => Number.isInteger(n)),
      ratePerKey: num('rate-per-key', values['rate-per-key'], SIMULATE_DEFAULTS.ratePerKey, (n) => n > 0),
      attacks: values.attacks === true,
      piiRate: num('pii-rate', values['pii-rate'], 0, (n) => n >= 0 && n <= 1),
      text: values.text === true,
    });
    const rate = num('rate', values.rate, 0, (n) => n > 0) || undefined;
    let count: number;
    if (values.out) {
      count = await writeJsonl(sim.events(), values.out);
      io.stdout.write(`simulate: ${count} events over ${minutes} min from ${sim.keys.length} keys -> ${values.out}\n`);
    } else {
      const core = coreConfig.fromEnv(io.env);
      const logger = createLogger({ name: 'llm-audit-simulate', level: core.logLevel, destination: io.stderr as unknown as { write(s: string): void } });
      const emitter = await createUsageEmitter({ env: io.env, core, topic: values.topic, logger, metrics: new MetricsRegistry() });
      try {
        await checkTopic(core, emitter.topic, values['create-topic'] === true);
        count = await sendEvents(sim.events(), emitter, rate, (n) => io.stderr.write(`simulate: ${n} events handed to the emitter\n`));
      } finally {
        try {
          await emitter.close();
        } catch (err) {
          io.stderr.write(`delivery failed: ${errorMessage(err)}\n`);
        }
      }
      io.stdout.write(`simulate: ${emitter.counters.sent} of ${count} events sent to ${emitter.topic} (${sim.keys.length} keys, ${minutes} min)\n`);
      if (emitter.counters.sent < count) return 1;
    }
    if (values.labels) {
      await writeFile(values.labels, `${JSON.stringify(sim.labelsFile(), null, 1)}\n`);
      const f = sim.labelsFile();
      io.stdout.write(`simulate: ${f.labels.length} labels, ${f.controls.length} controls, ${f.canaries.length} canaries, ${f.keys.length} keys -> ${values.labels}\n`);
    }
    return 0;
  },
};
