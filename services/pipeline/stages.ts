import { ConfigError } from '../common/errors.js';
import type { StageDeps, Transform, TransformFactory } from '../common/stage.js';

/**
 * The transform stages the pipeline knows, in the only order that is safe: tokenize first, so no later
 * stage (or its logs, alerts, dead letters) ever sees raw text.
 */
const KNOWN: Record<string, { module: string; factory: string }> = {
  tokenize: { module: '../tokenize/stage.js', factory: 'createTokenizeStage' },
  attribute: { module: '../attribute/stage.js', factory: 'createAttributeStage' },
  detect: { module: '../detect/stage.js', factory: 'createDetectStage' },
};
export const STAGE_ORDER = Object.keys(KNOWN);

export async function createStages(names: string[], deps: StageDeps): Promise<Transform[]> {
  for (const n of names) if (!KNOWN[n]) throw new ConfigError(`unknown stage '${n}' in LLM_AUDIT_STAGES; known stages: ${STAGE_ORDER.join(', ')}`);
  const ordered = STAGE_ORDER.filter((n) => names.includes(n));
  const out: Transform[] = [];
  for (const n of ordered) {
    const { module, factory } = KNOWN[n]!;
    const mod = (await import(module)) as Record<string, TransformFactory>;
    const make = mod[factory];
    if (typeof make !== 'function') throw new ConfigError(`stage ${n}: ${module} does not export ${factory}`);
    out.push(await make(deps));
  }
  return out;
}
