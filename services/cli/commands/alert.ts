import { parseOptions, UsageError, type CliCommand } from '../command.js';
import { loadAlertConfig } from '../../alert/config.js';
import { DigestReader, digestMessage, runDigest, scheduleDigest } from '../../alert/digest.js';
import { loadRouting } from '../../alert/routing.js';
import { alertClientId, buildSinks, linkSettings, startAlertService } from '../../alert/service.js';
import { SlackSink } from '../../alert/sinks/slack.js';
import { checkEs, createEs } from '../../common/es.js';
import { createKafka } from '../../common/kafka.js';
import { startOpsServer } from '../../common/http.js';
import { createLogger } from '../../common/logger.js';
import { metrics } from '../../common/metrics.js';
import { retry } from '../../common/retry.js';
import { coreConfig } from '../../common/settings.js';

export const command: CliCommand = {
  name: 'alert',
  summary: 'deliver alerts from the alerts topic to Slack and webhooks; check the setup; post the daily digest',
  usage: 'llm-audit alert run [--no-digest] | llm-audit alert check | llm-audit alert digest [--dry-run]',
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { 'no-digest': { type: 'boolean' }, 'dry-run': { type: 'boolean' } });
    const sub = positionals[0];
    if (!['run', 'check', 'digest'].includes(sub ?? '')) throw new UsageError(`unknown subcommand ${JSON.stringify(sub ?? '')}`);
    const core = coreConfig.fromEnv(io.env);
    const logger = createLogger({ level: core.logLevel, name: 'llm-audit-alert' });
    const config = loadAlertConfig(io.env, {}, { slack: true, interactions: sub === 'run' });
    const routing = loadRouting(config);
    const sinks = buildSinks(config, routing, io.env);
    const slack = sinks.get('slack') as SlackSink | undefined;

    if (sub === 'check') {
      const who = slack ? await slack.check() : undefined;
      io.stdout.write(`${JSON.stringify({
        slack: who ? { ok: true, team: who.team, user: who.user } : 'disabled',
        defaultChannel: routing.defaultChannel,
        escalation: routing.escalation ?? null,
        teams: Object.fromEntries(routing.teams),
        channels: Object.fromEntries(routing.channels),
        channelDefaults: routing.channelDefaults,
        webhooks: routing.webhooks.map((w) => ({ name: w.name, url: w.url, minSeverity: w.minSeverity, rules: w.rules })),
      }, null, 2)}\n`);
      return 0;
    }

    const es = createEs(core);
    const reader = new DigestReader(es, core.indexPrefix);
    const digestDeps = {
      reader, routing, links: linkSettings(config), topN: config.digestTopKeys, logger,
      post: (channel: string, m: { text: string; blocks: unknown[] }) => (slack ? slack.post(channel, m.text, m.blocks) : Promise.resolve()),
    };

    if (sub === 'digest') {
      try {
        if (values['dry-run']) {
          const now = Date.now();
          for (const team of [...new Set([...routing.teams.keys(), ...(await reader.teams(now)).keys()])].sort()) {
            io.stdout.write(`${JSON.stringify({ team, message: digestMessage(await reader.collect(team, now, config.digestTopKeys), digestDeps.links) })}\n`);
          }
        } else {
          io.stdout.write(`${JSON.stringify(await runDigest(digestDeps), null, 2)}\n`);
        }
        return 0;
      } finally {
        await es.close();
      }
    }

    // a bad token fails here, not at the first alert (a 429 or 500 is waited out: a restart during a
    // Slack hiccup must not crash); so do a wrong Elasticsearch credential or an untrusted certificate,
    // while an unreachable cluster is waited for. Both at once: a restart is on the alerts' clock.
    const [, esDown] = await Promise.all([
      slack ? retry(() => slack.check(), { retries: 6, initialDelayMs: 250, maxDelayMs: 4_000, jitter: 0.2 }) : undefined,
      checkEs(es, core),
    ]);
    if (esDown) logger.warn({ err: esDown.message }, 'Elasticsearch not reachable yet');
    const kafka = createKafka(core.kafkaBrokers, alertClientId(core, config), logger);
    let fatal: Error | undefined;
    let wake = () => {};
    const stopped = new Promise<void>((r) => (wake = r));
    const svc = await startAlertService({ core, config, routing, sinks, kafka, es, logger, metrics, onFatal: (err) => ((fatal = err), wake()) });
    const ops = await startOpsServer(config.opsPort, metrics, () => ({ ok: !fatal, details: fatal ? { error: fatal.message } : {} }), core.httpHost, { metricsToken: core.metricsToken });
    const digest = values['no-digest'] ? undefined : scheduleDigest(config.digestCron, config.digestTimezone, () => runDigest(digestDeps), logger);
    logger.info({ topic: core.alertsTopic, group: config.groupId, interactionPort: svc.port, opsPort: ops.port, digest: digest ? config.digestCron : 'off' }, 'alert service started');
    process.once('SIGINT', wake);
    process.once('SIGTERM', wake);
    await stopped;
    await digest?.destroy();
    await svc.stop();
    await ops.close();
    await es.close();
    if (fatal) {
      io.stderr.write(`llm-audit alert: ${fatal.message}\n`);
      return 1;
    }
    return 0;
  },
};
