import { startOpsServer } from '../../common/http.js';
import { createLogger } from '../../common/logger.js';
import { metrics } from '../../common/metrics.js';
import { coreConfig } from '../../common/settings.js';
import { intakeConfig } from '../../intake/config.js';
import { startIntake } from '../../intake/service.js';
import { parseOptions, type CliCommand } from '../command.js';

export const command: CliCommand = {
  name: 'intake',
  summary: 'Receive OTLP (HTTP :4318, optionally Kafka otlp_proto) and LiteLLM logs; produce usage events until SIGTERM/SIGINT',
  usage: 'llm-audit intake [--port N] [--host ADDR] [--kafka-source] [--http-port N]',
  async run(argv, io) {
    const { values } = parseOptions(argv, { port: { type: 'string' }, host: { type: 'string' }, 'kafka-source': { type: 'boolean' }, 'http-port': { type: 'string' } }, false);
    const core = coreConfig.fromEnv(io.env, { httpPort: values['http-port'] });
    const config = intakeConfig.fromEnv(io.env, { port: values.port, host: values.host, kafkaSource: values['kafka-source'] });
    const logger = createLogger({ name: 'llm-audit-intake', level: core.logLevel });
    const svc = await startIntake({ core, config, metrics, logger });
    const ops = await startOpsServer(core.httpPort, metrics, () => svc.health(), core.httpHost, { metricsToken: core.metricsToken });
    logger.info({ port: svc.port, opsPort: ops.port, kafkaSource: config.kafkaSource, topic: core.usageTopic }, 'intake listening');
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down: finishing requests in flight, closing');
        resolve();
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    await svc.stop();
    await ops.close();
    return 0;
  },
};
