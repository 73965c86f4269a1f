import { createLogger } from '../../common/logger.js';
import { coreConfig } from '../../common/settings.js';
import { MetricsRegistry } from '../../common/metrics.js';
import { errorMessage, InvalidInputError } from '../../common/errors.js';
import { createUsageEmitter } from '../../sdk/emitter.js';
import { checkTopic } from '../../sdk/topics.js';
import { readLines } from '../../simulate/output.js';
import { pacer } from '../../sdk/pace.js';
import { parseOptions, UsageError, type CliCommand } from '../command.js';

/** Invalid lines reported one by one before the rest are only counted. */
const MAX_REPORTED = 20;

export const command: CliCommand = {
  name: 'emit',
  summary: 'Send JSON usage events (JSONL, optionally gzip) to Kafka as Avro messages',
  usage: 'llm-audit emit --file events.jsonl[.gz]|- [--topic T] [--rate EVENTS_PER_S] [--create-topic]\n' +
    '  Invalid lines are reported with their line number and skipped; exit code 1 when any was skipped.',
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      file: { type: 'string', short: 'f' },
      topic: { type: 'string', short: 't' },
      rate: { type: 'string', short: 'r' },
      'create-topic': { type: 'boolean' },
    }, false);
    if (!values.file) throw new UsageError('--file is required');
    const rate = values.rate === undefined ? undefined : Number(values.rate);
    if (rate !== undefined && !(rate > 0)) throw new UsageError(`--rate must be a positive number of events per second, got ${values.rate}`);
    const core = coreConfig.fromEnv(io.env);
    const logger = createLogger({ name: 'llm-audit-emit', level: core.logLevel, destination: io.stderr as unknown as { write(s: string): void } });
    const emitter = await createUsageEmitter({ env: io.env, core, topic: values.topic, logger, metrics: new MetricsRegistry() });
    let invalid = 0;
    let lineNo = 0;
    let accepted = 0;
    try {
      await checkTopic(core, emitter.topic, values['create-topic'] === true);
      const pace = pacer(rate);
      for await (const line of readLines(values.file, io.stdin)) {
        lineNo++;
        if (line.trim() === '') continue;
        let reason: string | undefined;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch (err) {
          reason = `not JSON (${errorMessage(err)})`;
        }
        if (reason === undefined) {
          await pace();
          try {
            await emitter.emit(parsed as Record<string, unknown>);
            accepted++;
          } catch (err) {
            if (!(err instanceof InvalidInputError)) throw err;
            reason = err.message;
          }
        }
        if (reason !== undefined) {
          invalid++;
          if (invalid <= MAX_REPORTED) io.stderr.write(`line ${lineNo}: ${reason}\n`);
          else if (invalid === MAX_REPORTED + 1) io.stderr.write(`(further invalid lines are counted, not shown)\n`);
        }
      }
    } finally {
      try {
        await emitter.close();
      } catch (err) {
        io.stderr.write(`delivery failed: ${errorMessage(err)}\n`);
      }
    }
    const sent = emitter.counters.sent;
    io.stdout.write(`emit: ${sent} sent to ${emitter.topic}, ${invalid} invalid, ${accepted - sent} undelivered (${lineNo} lines)\n`);
    return invalid > 0 || sent < accepted ? 1 : 0;
  },
};
