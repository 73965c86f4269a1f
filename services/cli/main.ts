import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { processIO, UsageError, type CliCommand, type CliIO } from './command.js';
import { LlmAuditError } from '../common/errors.js';

export async function loadCommands(): Promise<Map<string, CliCommand>> {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
  const cmds = new Map<string, CliCommand>();
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.js') || f.endsWith('.test.js')) continue;
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { command?: CliCommand };
    if (mod.command) cmds.set(mod.command.name, mod.command);
  }
  return cmds;
}

function help(cmds: Map<string, CliCommand>): string {
  const rows = [...cmds.values()].map((c) => `  ${c.name.padEnd(12)} ${c.summary}`);
  return `llm-audit: streaming audit pipeline for LLM API traffic\n\nUsage: llm-audit <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun 'llm-audit <command> --help' for a command's options.\n`;
}

/** Just the named command when its file is named after it: a restarting service starts without importing every other command. */
async function loadCommand(name: string): Promise<CliCommand | undefined> {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
  const file = join(dirname(fileURLToPath(import.meta.url)), 'commands', `${name}.js`);
  const mod = (await import(pathToFileURL(file).href).catch(() => undefined)) as { command?: CliCommand } | undefined;
  return mod?.command?.name === name ? mod.command : undefined;
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  const one = name ? await loadCommand(name) : undefined;
  const cmds = one ? new Map([[one.name, one]]) : await loadCommands();
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help(cmds));
    return name ? 0 : 2;
  }
  const cmd = cmds.get(name);
  if (!cmd) {
    io.stderr.write(`llm-audit: unknown command '${name}'\n\n${help(cmds)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${cmd.summary}\n\nUsage: ${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`llm-audit ${name}: ${err.message}\nUsage: ${cmd.usage}\n`);
      return 2;
    }
    if (err instanceof LlmAuditError) {
      io.stderr.write(`llm-audit ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1] && (import.meta.url === pathToFileURL(process.argv[1]).href || process.argv[1].endsWith('bin/llm-audit.js'))) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
