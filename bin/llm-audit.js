#!/usr/bin/env node
// The CLI is compiled TypeScript; `npm run build` produces dist/.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { needsYoungGenerationFlag, YOUNG_GENERATION_FLAG } from '../dist/services/pipeline/node-flags.js';

const args = process.argv.slice(2);
if (needsYoungGenerationFlag(args, process.execArgv, process.env.NODE_OPTIONS)) {
  // V8 sizes the young generation when the process starts (v8.setFlagsFromString is too late for it), so the
  // pipeline started without the flag runs itself again with it; the container images set NODE_OPTIONS instead
  // its own process group: a terminal's Ctrl-C reaches this process only and is passed on once (a second SIGINT
  // would kill the pipeline before it commits), as is SIGTERM from a supervisor, which reaches only this process
  const child = spawn(process.execPath, [...process.execArgv, YOUNG_GENERATION_FLAG, fileURLToPath(import.meta.url), ...args], { stdio: 'inherit', detached: true });
  const handlers = ['SIGTERM', 'SIGINT', 'SIGHUP'].map((s) => [s, () => child.kill(s)]);
  for (const [s, h] of handlers) process.on(s, h);
  child.on('error', (err) => {
    console.error(`llm-audit: could not start the pipeline with ${YOUNG_GENERATION_FLAG}: ${err.message}`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    for (const [s, h] of handlers) process.off(s, h);
    // a child killed by a signal: this process dies of the same one, so the supervisor sees what happened
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
} else {
  await import('../dist/services/cli/main.js');
}
