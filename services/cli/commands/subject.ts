import { parseOptions, UsageError, type CliCommand, type CliIO } from '../command.js';
import { createEs } from '../../common/es.js';
import { coreConfig } from '../../common/settings.js';
import { complianceConfig, operatorName } from '../../compliance/config.js';
import { enforceDeadLetterRetention, scanDeadLetters } from '../../compliance/dead-letters.js';
import { eraseSubject, findSubject, type DeadLetterEraser } from '../../compliance/subject.js';
import { createKafka } from '../../common/kafka.js';
import { loadTokenizeSettings } from '../../tokenize/config.js';
import { entityType, subjectTokens, TYPE_FLAGS } from '../../compliance/tokens.js';

async function readValue(io: CliIO): Promise<string> {
  let s = '';
  for await (const chunk of io.stdin) s += chunk.toString();
  return s.replace(/\r?\n$/, '');
}

export const command: CliCommand = {
  name: 'subject',
  summary: 'Data-subject requests: find the events that carry a value\'s token, or erase its original from the reveal vault',
  usage: `llm-audit subject find|erase [--skip-dead-letters] (--email X | --phone X | --${Object.keys(TYPE_FLAGS).slice(2).join(' X | --')} X | --type TYPE --value X) [--reason TEXT] [--json]\n       (a value of - is read from stdin, keeping it out of shell history)`,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'find' && sub !== 'erase') throw new UsageError('subject find | subject erase');
    const opts = Object.fromEntries(Object.keys(TYPE_FLAGS).map((k) => [k, { type: 'string' as const }]));
    const values = parseOptions(rest, { ...opts, type: { type: 'string' }, value: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' }, 'skip-dead-letters': { type: 'boolean' } }, false).values as Record<string, string | boolean | undefined>;
    const given = Object.keys(TYPE_FLAGS).filter((k) => values[k] !== undefined);
    let type: string;
    let value: string | undefined;
    if (values.type !== undefined) {
      if (given.length) throw new UsageError('use --type with --value, or one of the type flags, not both');
      type = entityType(String(values.type));
      value = values.value as string | undefined;
    } else {
      if (given.length !== 1) throw new UsageError('give exactly one value to look for');
      type = TYPE_FLAGS[given[0]!]!;
      value = values[given[0]!] as string;
    }
    if (value === '-') value = await readValue(io);
    if (!value) throw new UsageError('the value is empty');
    const core = coreConfig.fromEnv(io.env);
    const cfg = complianceConfig.fromEnv(io.env);
    const tok = subjectTokens(io.env);
    const tokens = tok.tokensFor(type, value);
    const client = createEs(core);
    const kafka = values['skip-dead-letters'] ? undefined : createKafka(core.kafkaBrokers, `${core.kafkaClientId}-subject`);
    const revealRing = loadTokenizeSettings(io.env).revealRing;
    const dlRing = revealRing?.keys.size ? revealRing : undefined;
    const deadLetters: DeadLetterEraser | undefined = kafka && {
      scan: () => scanDeadLetters(kafka, { topic: core.dlqTopic, tokens, value, revealRing: dlRing }),
      bound: async () => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          return await enforceDeadLetterRetention(admin, core.dlqTopic, cfg.deadLetterRetentionDays * 86_400_000);
        } finally {
          await admin.disconnect();
        }
      },
    };
    try {
      if (sub === 'find') {
        let n = 0;
        for await (const h of findSubject(client, { prefix: core.indexPrefix, tokens, pageSize: cfg.pageSize })) {
          io.stdout.write(values.json ? JSON.stringify(h) + '\n' : `${h.timestamp ?? '-'}  ${h.index}  ${h.id}\n`);
          n++;
        }
        if (!values.json) io.stderr.write(`${n} event(s) carry the ${type} token (${tokens.length} key version(s) searched)\n`);
        if (deadLetters) {
          const d = await deadLetters.scan();
          for (const h of d.hits) io.stdout.write(values.json ? JSON.stringify({ dead_letter: h }) + '\n' : `${h.timestamp}  ${h.topic}  ${h.partition}/${h.offset}  (dead letter, ${h.match})\n`);
          if (!values.json) io.stderr.write(`${d.hits.length} dead-letter copy(ies) in ${d.topic} (${d.scanned} scanned${d.unscannable ? `, ${d.unscannable} encrypted copies unreadable without the reveal key` : ''})\n`);
        }
        return 0;
      }
      const r = await eraseSubject(client, {
        prefix: core.indexPrefix, type, tokens, eraser: tok.eraseToken, auditIndex: tok.auditIndex, by: operatorName(cfg, io.env), reason: values.reason as string | undefined, pageSize: cfg.pageSize, deadLetters,
      });
      if (values.json) io.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else {
        const erased = r.erased.filter((e) => e.hadOriginal).length;
        io.stdout.write(`erased ${erased} original(s) from the reveal vault (${r.erased.length} key version(s)); recorded in ${r.recordedIn ?? '(no reveals index)'}\n`);
        io.stdout.write(`${r.documents.length} audit document(s) keep the now unresolvable token:\n`);
        for (const h of r.documents) io.stdout.write(`  ${h.timestamp ?? '-'}  ${h.index}  ${h.id}\n`);
        if (r.deadLetters) io.stdout.write(`${r.deadLetters.hits.length} dead-letter copy(ies) in ${r.deadLetters.topic}; its retention is ${r.deadLetters.retention.retentionMs} ms${r.deadLetters.retention.changed ? ' (lowered now)' : ''}, all gone by ${r.deadLetters.purgeBy ?? '-'}\n`);
      }
      return 0;
    } finally {
      await client.close();
    }
  },
};
