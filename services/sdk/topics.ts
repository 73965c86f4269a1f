import { ConfigError, TransientError, errorMessage } from '../common/errors.js';
import { createKafka, ensureTopics } from '../common/kafka.js';
import type { CoreConfig } from '../common/settings.js';

/**
 * The broker's auto-create is off, so a missing topic would only show up as a produce error after
 * every retry. Check first; create it only when asked (with the project's partitions and replication).
 */
export async function checkTopic(core: CoreConfig, topic: string, create: boolean): Promise<'exists' | 'created'> {
  const admin = createKafka(core.kafkaBrokers, `${core.kafkaClientId}-admin`).admin();
  try {
    await admin.connect();
  } catch (err) {
    throw new TransientError(`cannot reach Kafka at ${core.kafkaBrokers.join(',')}: ${errorMessage(err)}`, err);
  }
  try {
    if ((await admin.listTopics()).includes(topic)) return 'exists';
    if (!create) throw new ConfigError(`topic ${topic} does not exist (auto-create is off); create it with the admin step or pass --create-topic`);
    await ensureTopics(admin, [{ topic, numPartitions: core.topicPartitions, replicationFactor: core.topicReplication }]);
    return 'created';
  } finally {
    await admin.disconnect();
  }
}
