import { readFile } from 'node:fs/promises';
import type { Kafka } from 'kafkajs';
import { schemaSourceFor } from '../common/avro.js';
import { ConfigError, errorMessage } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { AttributeConfig } from './config.js';
import { IdentityDirectory } from './directory.js';
import { parseDirectoryText } from './identity.js';
import { IdentityTopicSource, IdentityCodec } from './topic-source.js';

/** The directory as it is now, read once from both sources (for jobs and the CLI, which do not stay running). */
export async function loadDirectoryOnce(c: AttributeConfig, o: { kafka?: Kafka; clientId: string; schemaRegistryUrl?: string; logger: Logger }): Promise<IdentityDirectory> {
  const dir = new IdentityDirectory();
  if (c.identityFile) {
    let text: string;
    try {
      text = await readFile(c.identityFile, 'utf8');
    } catch (err) {
      throw new ConfigError(`identity file ${c.identityFile} cannot be read: ${errorMessage(err)}`, err);
    }
    dir.setFile(parseDirectoryText(text, c.identityFile, c.defaultRotationDays));
  }
  if (c.identityTopicEnabled && c.identityTopic && o.kafka) {
    const admin = o.kafka.admin();
    await admin.connect();
    const exists = (await admin.listTopics()).includes(c.identityTopic);
    await admin.disconnect();
    if (exists) {
      const src = new IdentityTopicSource(dir, {
        kafka: o.kafka, topic: c.identityTopic, clientId: `${o.clientId}-jobs`, codec: new IdentityCodec(schemaSourceFor(o.schemaRegistryUrl), c.defaultRotationDays),
        logger: o.logger, catchUpTimeoutMs: c.identityCatchUpMs,
      });
      try {
        await src.start();
      } finally {
        await src.close();
      }
    }
  }
  return dir;
}
