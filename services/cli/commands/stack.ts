import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { deployDir } from '../../common/paths.js';
import { UsageError, type CliCommand } from '../command.js';

/** Thin wrapper over deploy/local/stack.sh, so `llm-audit stack up` works from an installed package too. */
export function runStackScript(args: string[], env: NodeJS.ProcessEnv, stdio: 'inherit' | 'pipe' = 'inherit', script = 'stack.sh'): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(deployDir(), 'local', script), ...args], { stdio, env });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export const command: CliCommand = {
  name: 'stack',
  summary: 'Start, stop or inspect the local Kafka (KRaft) and Elasticsearch fetched from Maven Central',
  usage: 'llm-audit stack up|down|status|logs|fetch  |  stack up --brokers N --es-nodes M  |  stack cluster down|status|env|kill|start ...',
  async run(argv, io) {
    const [sub] = argv;
    // several brokers or nodes: the multi-node stack, on ports of its own beside the single-node default
    if (sub === 'up' && argv.some((a) => a === '--brokers' || a === '--es-nodes')) return runStackScript(argv, io.env, 'inherit', 'cluster.sh');
    if (sub === 'cluster') return runStackScript(argv.slice(1), io.env, 'inherit', 'cluster.sh');
    if (!sub || !['up', 'down', 'status', 'logs', 'fetch'].includes(sub)) throw new UsageError('expected one of up, down, status, logs, fetch, cluster');
    return runStackScript(argv, io.env);
  },
};
