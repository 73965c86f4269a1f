import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseOptions, type CliCommand } from '../command.js';
import { loadTokenizeSettings } from '../../tokenize/config.js';
import { ALL_TYPES, tokenizeText } from '../../tokenize/index.js';
import { parseKeyring } from '../../tokenize/keyring.js';

export const command: CliCommand = {
  name: 'tokenize',
  summary: 'Tokenize PII and secrets in JSONL lines ({"text": ...}) from stdin',
  usage: 'llm-audit tokenize [--ephemeral-key] < in.jsonl > out.jsonl   (keys: LLM_AUDIT_TOKENIZE_KEYS or LLM_AUDIT_TOKENIZE_KEYS_FILE)',
  async run(argv, io) {
    const { values } = parseOptions(argv, { 'ephemeral-key': { type: 'boolean' } }, false);
    // --ephemeral-key: a throw-away random key for one-off evaluation; its tokens match nothing stored anywhere
    const keyring = values['ephemeral-key']
      ? parseKeyring(`tmp:${randomBytes(32).toString('base64')}`, 'ephemeral key')
      : loadTokenizeSettings(io.env).keyring;
    const maxBytes = loadMaxBytes(io.env);
    const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
    let bad = 0;
    let lineNo = 0;
    for await (const line of rl) {
      lineNo++;
      if (!line.trim()) continue;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(line) as Record<string, unknown>;
        if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new Error('not an object');
      } catch {
        bad++;
        io.stderr.write(`line ${lineNo}: not a JSON object, skipped\n`);
        continue;
      }
      if (typeof obj.text === 'string') {
        const r = tokenizeText(obj.text, keyring, { types: ALL_TYPES, maxBytes });
        obj.text = r.text;
        obj.entities = r.entities.map((e) => ({ type: e.type, token: e.token }));
        if (r.truncated) obj.truncated = true;
      } else obj.entities = [];
      if (!io.stdout.write(JSON.stringify(obj) + '\n')) await new Promise((r) => io.stdout.once('drain', r));
    }
    return bad ? 1 : 0;
  },
};

function loadMaxBytes(env: NodeJS.ProcessEnv): number {
  try {
    return loadTokenizeSettings({ ...env, LLM_AUDIT_TOKENIZE_KEYS: env.LLM_AUDIT_TOKENIZE_KEYS || `x:${Buffer.alloc(32).toString('base64')}` }).config.maxFieldBytes;
  } catch {
    return 65536;
  }
}
