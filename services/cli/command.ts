import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * A CLI subcommand. Each lives in its own file under services/cli/commands/ and exports `command`;
 * main.ts finds them by scanning that folder, so adding one edits nothing else.
 */
export interface CliCommand {
  /** e.g. "tokenize", or "jobs" for `llm-audit jobs run NAME`. */
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(argv: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export const processIO = (): CliIO => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });

/** node:util parseArgs with strict unknown-option errors turned into a usage message. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = true) {
  return parseArgs({ args: argv, options, allowPositionals, strict: true });
}

export class UsageError extends Error {}
