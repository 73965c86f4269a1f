import type { Kafka } from 'kafkajs';
import { errorMessage } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import { retry, sleep } from '../common/retry.js';

interface CoordinatorBroker {
  leaveGroup(r: { groupId: string; memberId: string }): Promise<unknown>;
}
interface Cluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(r: { groupId: string }): Promise<CoordinatorBroker>;
}

/**
 * kafkajs's own cluster factory, so the LeaveGroup below goes over the client's exact connection
 * settings (TLS, SASL). kafkajs 2.x keeps it behind a private symbol and offers no public way to
 * remove another member; undefined when a kafkajs release changes that (the caller then waits out
 * the session timeout, as without a takeover).
 */
function clusterOf(kafka: Kafka): (() => Cluster) | undefined {
  const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const make = sym ? (kafka as unknown as Record<symbol, unknown>)[sym] : undefined;
  return typeof make === 'function' ? () => (make as (o: object) => Cluster)({}) : undefined;
}

/** The member ids of `groupId` that were created by a client called `clientId`. */
export async function membersOf(kafka: Kafka, groupId: string, clientId: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return (groups[0]?.members ?? []).filter((m) => m.clientId === clientId).map((m) => m.memberId);
  } finally {
    await admin.disconnect();
  }
}

export interface Takeover {
  /** Member ids the crashed predecessor left in the group. */
  stale: string[];
  /**
   * Call while this instance's consumer joins: once the group is rebalancing (the join arrived) the
   * stale members are removed, which completes the rebalance at once. Removing them before the
   * join would leave an empty group, where the broker holds a first join back for
   * group.initial.rebalance.delay.ms (3 s by default). Never rejects; resolves to the ids removed.
   */
  removeWhileJoining(o?: { waitMs?: number; pollMs?: number }): Promise<string[]>;
}

/**
 * Finds the members a crashed predecessor of this instance left in the consumer group.
 *
 * Why: kafkajs has no static membership (KIP-345), so after a SIGKILL the dead member keeps its
 * partitions until its session times out (never under the broker's group.min.session.timeout.ms,
 * 6 s by default), and the alerts in them wait. An instance with a stable name that is unique among
 * running instances (`clientId` carries it) knows that any member under its own client id is its
 * dead predecessor: it sends LeaveGroup for that member id (the broker accepts it for a dynamic
 * member from any connection), and the group rebalances as soon as this instance joins.
 * Exactly-once is unaffected: offsets move only after delivery, and replays are deduplicated by the
 * delivery records. A wrongly shared name only costs the live twin a rejoin.
 * Best effort: errors are logged and end in the session timeout, as without a takeover.
 */
export async function findPredecessors(kafka: Kafka, groupId: string, clientId: string, logger: Logger): Promise<Takeover> {
  let stale: string[] = [];
  try {
    stale = await membersOf(kafka, groupId, clientId);
  } catch (err) {
    logger.warn({ group: groupId, err: errorMessage(err) }, 'could not look for a crashed predecessor in the consumer group; its partitions move after the session timeout');
  }
  return {
    stale,
    async removeWhileJoining({ waitMs = 3_000, pollMs = 100 } = {}) {
      if (stale.length === 0) return [];
      try {
        const admin = kafka.admin();
        await admin.connect();
        try {
          for (const until = Date.now() + waitMs; Date.now() < until; await sleep(pollMs)) {
            const { groups } = await admin.describeGroups([groupId]);
            if (groups[0]?.state !== 'Stable') break;
          }
        } finally {
          await admin.disconnect();
        }
        return await removeMembers(kafka, groupId, stale, logger);
      } catch (err) {
        logger.warn({ group: groupId, err: errorMessage(err) }, 'could not remove a crashed predecessor from the consumer group; its partitions move after the session timeout');
        return [];
      }
    },
  };
}

/** LeaveGroup for each member id; an id the broker no longer knows (its session expired) is skipped. */
export async function removeMembers(kafka: Kafka, groupId: string, memberIds: string[], logger: Logger): Promise<string[]> {
  const make = clusterOf(kafka);
  if (!make) {
    logger.warn({ group: groupId, members: memberIds }, 'kafkajs offers no way to remove the crashed predecessor; its partitions move after the session timeout');
    return [];
  }
  const cluster = make();
  await cluster.connect();
  try {
    const removed: string[] = [];
    for (const memberId of memberIds) {
      try {
        await retry(async () => (await cluster.findGroupCoordinator({ groupId })).leaveGroup({ groupId, memberId }), { retries: 3, initialDelayMs: 200, maxDelayMs: 1_000, jitter: 0.2 });
        removed.push(memberId);
      } catch (err) {
        if ((err as { type?: string }).type !== 'UNKNOWN_MEMBER_ID') throw err;
      }
    }
    if (removed.length) logger.info({ group: groupId, removed }, 'removed the consumer-group member a crashed predecessor left, so its partitions move now');
    return removed;
  } finally {
    await cluster.disconnect();
  }
}
