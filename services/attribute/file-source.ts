import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError, errorMessage } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry } from '../common/metrics.js';
import type { IdentityDirectory } from './directory.js';
import { parseDirectoryText } from './identity.js';

export interface FileSourceOptions {
  path: string;
  pollMs: number;
  defaultRotationDays: number;
  logger: Logger;
  metrics?: MetricsRegistry;
}

/**
 * Keeps the directory in step with a YAML/JSON file without a restart. fs.watch watches the folder
 * (editors and `git checkout` replace the file by rename, which a watch on the file itself misses);
 * an mtime/size poll backs it up where fs.watch is unreliable (network mounts, some containers).
 */
export class IdentityFileSource {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private debounce?: NodeJS.Timeout;
  private lastSig = '';
  private loading: Promise<void> = Promise.resolve();
  readonly path: string;
  /** Last reload error (null after a good load), for health checks and tests. */
  lastError: string | null = null;
  loads = 0;

  constructor(private readonly dir: IdentityDirectory, private readonly o: FileSourceOptions) {
    this.path = resolve(o.path);
  }

  /** First load must succeed: a pipeline that cannot read its directory should not start. */
  async start(): Promise<void> {
    await this.load(true);
    try {
      this.watcher = watch(dirname(this.path), (_ev, name) => {
        if (!name || name.toString() === basename(this.path)) this.schedule();
      });
      this.watcher.on('error', (err) => this.o.logger.warn({ err: errorMessage(err), file: this.path }, 'identity file watch failed; polling continues'));
    } catch (err) {
      this.o.logger.warn({ err: errorMessage(err), file: this.path }, 'fs.watch unavailable; polling only');
    }
    this.timer = setInterval(() => this.schedule(), this.o.pollMs);
    this.timer.unref();
  }

  private schedule(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.loading = this.loading.then(() => this.load(false));
    }, 50);
    this.debounce.unref();
  }

  /** Resolves once any reload in flight is done (tests, shutdown). */
  settled(): Promise<void> {
    return this.loading;
  }

  async load(initial: boolean): Promise<void> {
    let text: string;
    let sig: string;
    try {
      const st = await stat(this.path);
      sig = `${st.mtimeMs}:${st.size}:${st.ino}`;
      if (!initial && sig === this.lastSig) return;
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      const e = new ConfigError(`identity file ${this.path} cannot be read: ${errorMessage(err)}`, err);
      if (initial) throw e;
      return this.fail(e.message);
    }
    try {
      const parsed = parseDirectoryText(text, this.path, this.o.defaultRotationDays);
      this.lastSig = sig;
      this.dir.setFile(parsed);
      this.lastError = null;
      this.loads++;
      this.o.metrics?.set('llm_audit_identity_file_keys', 'Keys in the identity file last loaded.', {}, parsed.keys.size);
      this.o.logger.info({ file: this.path, keys: parsed.keys.size, teams: parsed.teams.size }, initial ? 'identity file loaded' : 'identity file reloaded');
    } catch (err) {
      // remember the bad version so the poll does not log it again every few seconds
      this.lastSig = sig;
      if (initial) throw err;
      this.fail(errorMessage(err));
    }
  }

  private fail(message: string): void {
    this.lastError = message;
    this.o.metrics?.inc('llm_audit_identity_reload_errors_total', 'Identity file reloads rejected; the last good directory stays in force.');
    this.o.logger.error({ file: this.path, err: message }, 'identity file rejected; keeping the last good directory');
  }

  close(): void {
    this.watcher?.close();
    clearInterval(this.timer);
    clearTimeout(this.debounce);
  }
}
