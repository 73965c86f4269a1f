import type { Client } from '@elastic/elasticsearch';
import type { Producer } from 'kafkajs';
import type { Logger } from './logger.js';
import type { MetricsRegistry, StageCounters } from './metrics.js';
import type { CoreConfig } from './settings.js';
import type { AuditRecord } from './types.js';

export interface BatchContext {
  topic: string;
  partition: number;
  /** Offsets of the records in this batch (strings, as kafkajs gives them). */
  firstOffset: string;
  lastOffset: string;
}

/** What the pipeline hands every stage when it creates it. */
export interface StageDeps {
  core: CoreConfig;
  env: NodeJS.ProcessEnv;
  es: Client;
  producer: Producer;
  logger: Logger;
  metrics: MetricsRegistry;
  /** The consumer group the stage runs in: state kept per partition is scoped to it. */
  groupId?: string;
}

/**
 * A transform stage between decode and the Elasticsearch sink (tokenize, attribute, detect...).
 * It enriches records in place. For a record it can never handle, it sets `record.deadLetter`;
 * for a downstream that may come back, it throws a retriable error and the whole batch is retried.
 */
export interface Transform {
  readonly name: string;
  readonly counters: StageCounters;
  start?(): Promise<void>;
  process(records: AuditRecord[], ctx: BatchContext): Promise<void> | void;
  /**
   * After Elasticsearch acknowledged the batch, before its offsets are committed (persist state here). Resolving
   * `false` says the state at this batch's end is not persisted yet (a snapshot interval): the pipeline then holds
   * the commit, so the committed offset never passes the persisted state, until a later batch's checkpoint saves it.
   */
  checkpoint?(ctx: BatchContext): Promise<void | boolean>;
  /** Partitions this instance no longer owns (rebalance): drop or persist their state. */
  onPartitionsRevoked?(topic: string, partitions: number[]): Promise<void>;
  close?(): Promise<void>;
}

/** A stage module's factory. The pipeline composes stages in a fixed order: tokenize, attribute, detect. */
export type TransformFactory = (deps: StageDeps) => Promise<Transform> | Transform;
