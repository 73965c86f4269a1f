import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../common/paths.js';
import { needsYoungGenerationFlag, YOUNG_GENERATION_FLAG } from './node-flags.js';

describe('the pipeline young-generation flag (bin/llm-audit.js)', () => {
  it('is added to `run` only, and never over a semi-space size set by node arguments or NODE_OPTIONS', () => {
    assert.equal(needsYoungGenerationFlag(['run'], [], undefined), true);
    assert.equal(needsYoungGenerationFlag(['run', '--group', 'g'], ['--enable-source-maps'], '--max-old-space-size=900'), true);
    for (const one of ['setup', 'config', 'alert', 'intake', '']) assert.equal(needsYoungGenerationFlag([one], [], undefined), false, one);
    assert.equal(needsYoungGenerationFlag([], [], undefined), false);
    assert.equal(needsYoungGenerationFlag(['run'], ['--max-semi-space-size=8'], undefined), false);
    assert.equal(needsYoungGenerationFlag(['run'], ['--max-semi-space-size', '8'], undefined), false);
    assert.equal(needsYoungGenerationFlag(['run'], [], '--trace-gc  --max_semi_space_size=128'), false);
    // a flag that only starts alike is not a semi-space size
    assert.equal(needsYoungGenerationFlag(['run'], ['--max-semi-space-size-x=1'], ''), true);
    assert.match(YOUNG_GENERATION_FLAG, /^--max-semi-space-size=\d+$/);
  });

  it('the re-started CLI answers as the CLI does: output and exit code come through', () => {
    const bin = join(repoRoot(), 'bin', 'llm-audit.js');
    const env = { ...process.env, NODE_OPTIONS: '' };
    const help = spawnSync(process.execPath, [bin, 'run', '--help'], { encoding: 'utf8', env, timeout: 30_000 });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout + help.stderr, /llm-audit run \[--group ID\]/);
    const bad = spawnSync(process.execPath, [bin, 'run', '--no-such-option'], { encoding: 'utf8', env, timeout: 30_000 });
    const direct = spawnSync(process.execPath, [YOUNG_GENERATION_FLAG, bin, 'run', '--no-such-option'], { encoding: 'utf8', env, timeout: 30_000 });
    assert.notEqual(direct.status, 0);
    assert.equal(bad.status, direct.status);
    assert.equal(bad.stderr, direct.stderr);
  });

  it('bench:chain measures the chain under the flag the pipeline runs with', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts['bench:chain']!, new RegExp(`node ${YOUNG_GENERATION_FLAG} dist/bench/chain\\.js`));
  });
});
