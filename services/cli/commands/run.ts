import { checkEs, createEs } from '../../common/es.js';
import { createLogger } from '../../common/logger.js';
import { metrics } from '../../common/metrics.js';
import { startOpsServer } from '../../common/http.js';
import { coreConfig } from '../../common/settings.js';
import { pipelineConfig } from '../../pipeline/config.js';
import { Pipeline } from '../../pipeline/pipeline.js';
import { parseOptions, type CliCommand } from '../command.js';

export const command: CliCommand = {
  name: 'run',
  summary: 'Run the pipeline service (decode, tokenize, attribute, detect, index) until SIGTERM/SIGINT',
  usage: 'llm-audit run [--group ID] [--stages tokenize,attribute,detect] [--http-port N]',
  async run(argv, io) {
    const { values } = parseOptions(argv, { group: { type: 'string' }, stages: { type: 'string' }, 'http-port': { type: 'string' } }, false);
    const core = coreConfig.fromEnv(io.env, { httpPort: values['http-port'] });
    const config = pipelineConfig.fromEnv(io.env, { groupId: values.group, stages: values.stages });
    const logger = createLogger({ name: 'llm-audit-pipeline', level: core.logLevel });
    const es = createEs(core);
    // a wrong credential or an untrusted certificate stops the service here, naming the setting
    const esDown = await checkEs(es, core);
    if (esDown) logger.warn({ err: esDown.message }, 'Elasticsearch not reachable yet; the pipeline waits for it');
    const pipeline = new Pipeline({ core, config, env: io.env, es, logger, metrics });
    const ops = await startOpsServer(core.httpPort, metrics, () => pipeline.health(), core.httpHost, { metricsToken: core.metricsToken });
    logger.info({ port: ops.port }, 'serving /healthz and /metrics');
    await pipeline.start();
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down: finishing the batch in flight, committing, closing');
        resolve();
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    await pipeline.stop();
    await ops.close();
    await es.close();
    return 0;
  },
};
