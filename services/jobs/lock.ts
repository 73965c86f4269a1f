import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { errorMessage, TransientError } from '../common/errors.js';

export interface LockDoc {
  job: string;
  owner: string;
  acquired_at: number;
  expires_at: number;
  /** Scheduled time of the last run claimed: a second instance firing for the same tick finds it done. */
  last_tick: number;
  released_at: number | null;
}

export interface Lease {
  name: string;
  owner: string;
  tick: number;
  expiresAt: number;
  seqNo: number;
  primaryTerm: number;
}

const status = (err: unknown): number | undefined => (err as { meta?: { statusCode?: number } }).meta?.statusCode;

export const instanceId = (): string => `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

/**
 * A lease in Elasticsearch, one document per job (_id = job name). Taking a free lock is a create
 * (op_type=create: exactly one creator wins); taking an expired one is a write conditioned on the
 * seq_no/primary_term just read (exactly one of the racers' writes matches). A live lease is never
 * taken, and a tick already claimed is not run again even after the lease is released.
 */
export class EsLock {
  constructor(private readonly es: Client, readonly index: string, readonly owner = instanceId(), private readonly now: () => number = Date.now) {}

  async acquire(name: string, leaseMs: number, tick = this.now()): Promise<Lease | null> {
    const t = this.now();
    const doc: LockDoc = { job: name, owner: this.owner, acquired_at: t, expires_at: t + leaseMs, last_tick: tick, released_at: null };
    try {
      const r = await this.es.index({ index: this.index, id: name, document: doc, op_type: 'create' });
      return { name, owner: this.owner, tick, expiresAt: doc.expires_at, seqNo: r._seq_no!, primaryTerm: r._primary_term! };
    } catch (err) {
      if (status(err) !== 409) throw new TransientError(`lock ${name}: create failed: ${errorMessage(err)}`, err);
    }
    let cur;
    try {
      cur = await this.es.get<LockDoc>({ index: this.index, id: name });
    } catch (err) {
      // deleted between our create and get: the next tick will create it
      if (status(err) === 404) return null;
      throw new TransientError(`lock ${name}: read failed: ${errorMessage(err)}`, err);
    }
    const held = cur._source!;
    if (held.expires_at > t || held.last_tick >= tick) return null;
    try {
      const r = await this.es.index({ index: this.index, id: name, document: doc, if_seq_no: cur._seq_no!, if_primary_term: cur._primary_term! });
      return { name, owner: this.owner, tick, expiresAt: doc.expires_at, seqNo: r._seq_no!, primaryTerm: r._primary_term! };
    } catch (err) {
      if (status(err) === 409) return null;
      throw new TransientError(`lock ${name}: takeover failed: ${errorMessage(err)}`, err);
    }
  }

  /** Extends a lease we hold; false when it was lost (expired and taken), and the job should stop. */
  async renew(lease: Lease, leaseMs: number): Promise<boolean> {
    const t = this.now();
    const doc: LockDoc = { job: lease.name, owner: lease.owner, acquired_at: t, expires_at: t + leaseMs, last_tick: lease.tick, released_at: null };
    try {
      const r = await this.es.index({ index: this.index, id: lease.name, document: doc, if_seq_no: lease.seqNo, if_primary_term: lease.primaryTerm });
      lease.seqNo = r._seq_no!;
      lease.primaryTerm = r._primary_term!;
      lease.expiresAt = doc.expires_at;
      return true;
    } catch (err) {
      if (status(err) === 409) return false;
      throw new TransientError(`lock ${lease.name}: renew failed: ${errorMessage(err)}`, err);
    }
  }

  /** Ends the lease but keeps last_tick, so the same tick is not run by a late instance. */
  async release(lease: Lease): Promise<void> {
    const t = this.now();
    const doc: LockDoc = { job: lease.name, owner: lease.owner, acquired_at: t, expires_at: 0, last_tick: lease.tick, released_at: t };
    try {
      await this.es.index({ index: this.index, id: lease.name, document: doc, if_seq_no: lease.seqNo, if_primary_term: lease.primaryTerm });
    } catch (err) {
      // 409: someone took it after our lease expired; theirs now
      if (status(err) !== 409) throw new TransientError(`lock ${lease.name}: release failed: ${errorMessage(err)}`, err);
    }
  }
}
