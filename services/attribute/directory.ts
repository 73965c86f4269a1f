import type { DirectoryFile, Identity, TeamPolicy } from './identity.js';

/**
 * The merged identity directory. Merge rule: for a key present in both sources the topic entry
 * wins (it is what the secret manager published last); a topic tombstone removes only the topic's
 * entry, so a key still listed in the file falls back to the file's entry. Teams come from the file.
 */
export class IdentityDirectory {
  private file: DirectoryFile = { keys: new Map(), teams: new Map() };
  private readonly topic = new Map<string, Identity>();
  /** Bumped on every change, so callers can tell when to recompute derived state. */
  version = 0;
  /** Whether any source was configured: without one every key is unknown and that is not news. */
  configured = false;
  private readonly listeners: ((keyIds: string[] | 'all') => void)[] = [];

  onChange(fn: (keyIds: string[] | 'all') => void): void {
    this.listeners.push(fn);
  }

  private changed(keys: string[] | 'all'): void {
    this.version++;
    for (const l of this.listeners) l(keys);
  }

  setFile(d: DirectoryFile): void {
    this.file = d;
    this.configured = true;
    this.changed('all');
  }

  upsert(identity: Identity): void {
    this.topic.set(identity.api_key_id, identity);
    this.configured = true;
    this.changed([identity.api_key_id]);
  }

  delete(keyId: string): void {
    if (this.topic.delete(keyId)) this.changed([keyId]);
  }

  get(keyId: string): Identity | undefined {
    return this.topic.get(keyId) ?? this.file.keys.get(keyId);
  }

  team(name: string): TeamPolicy | undefined {
    return this.file.teams.get(name);
  }

  teams(): TeamPolicy[] {
    return [...this.file.teams.values()];
  }

  all(): Identity[] {
    const m = new Map(this.file.keys);
    for (const [k, v] of this.topic) m.set(k, v);
    return [...m.values()];
  }

  get size(): number {
    return this.all().length;
  }
}
