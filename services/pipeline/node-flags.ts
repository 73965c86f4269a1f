/**
 * The node flag the pipeline runs with, in one place: bin/llm-audit.js adds it to `run` when nobody set it, and the
 * Dockerfile, docker-compose.yml and the Helm chart carry the same value (test/compose.test.ts keeps them equal).
 *
 * Why: a scavenge copies what is alive, and during a batch that is the batch's 500 records with their documents.
 * With node's default 16 MiB semi-space a batch outlives several scavenges and is copied each time (and promoted, to
 * be collected again by a mark-compact); a larger young generation lets most batches die young.
 * docs/operators/scaling.md (Young-generation size) has the figures behind the size.
 */
export const SEMI_SPACE_MIB = 64;
export const YOUNG_GENERATION_FLAG = `--max-semi-space-size=${SEMI_SPACE_MIB}`;

/** Commands whose process the flag is for: the long-running pipeline. One-shot commands do not pay a second start. */
export const FLAGGED_COMMANDS: readonly string[] = ['run'];

/**
 * Whether the CLI should start itself again with YOUNG_GENERATION_FLAG: only for a flagged command, and only when
 * neither node's own arguments nor NODE_OPTIONS set a semi-space size (an operator's choice, or an earlier re-exec, wins).
 */
export function needsYoungGenerationFlag(args: readonly string[], execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  if (!FLAGGED_COMMANDS.includes(args[0] ?? '')) return false;
  const setsSemiSpace = (a: string) => /^--max[-_]semi[-_]space[-_]size(?:=|$)/.test(a);
  if (execArgv.some(setsSemiSpace)) return false;
  return !(nodeOptions ?? '').split(/\s+/).some(setsSemiSpace);
}
