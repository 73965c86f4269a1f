import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { deployDir } from '../../common/paths.js';
import { UsageError, type CliCommand } from '../command.js';

/** Thin wrapper over deploy/local/stack.sh, so `llm-audit stack up` works from an installed package too. */
export function runStackScript(args: string[], env: NodeJS.ProcessEnv, stdio: 'inherit' | 'pipe' = 'inherit'): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(deployDir(), 'local', 'stack.sh'), ...args], { stdio, env });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export const command: CliCommand = {
  name: 'stack',
  summary: 'Start, stop or inspect the local Kafka (KRaft) and Elasticsearch fetched from Maven Central',
  usage: 'llm-audit stack up|down|status|logs|fetch',
  async run(argv, io) {
    const [sub] = argv;
    if (!sub || !['up', 'down', 'status', 'logs', 'fetch'].includes(sub)) throw new UsageError('expected one of up, down, status, logs, fetch');
    return runStackScript(argv, io.env);
  },
};
