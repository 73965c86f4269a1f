import { createKafka, ensureTopics, projectTopics } from '../../common/kafka.js';
import { coreConfig } from '../../common/settings.js';
import type { CliCommand } from '../command.js';

export const command: CliCommand = {
  name: 'topics',
  summary: "Create the project's Kafka topics with their partitions and retention (the admin step; broker auto-create stays off)",
  usage: 'llm-audit topics create',
  async run(argv, io) {
    if (argv[0] !== 'create') {
      io.stderr.write('usage: llm-audit topics create\n');
      return 2;
    }
    const core = coreConfig.fromEnv(io.env);
    const admin = createKafka(core.kafkaBrokers, `${core.kafkaClientId}-admin`).admin();
    await admin.connect();
    try {
      const specs = projectTopics(core);
      const created = await ensureTopics(admin, specs);
      for (const s of specs) io.stdout.write(`${created.includes(s.topic) ? 'created ' : 'exists  '} ${s.topic} (${s.numPartitions} partitions)\n`);
    } finally {
      await admin.disconnect();
    }
    return 0;
  },
};
