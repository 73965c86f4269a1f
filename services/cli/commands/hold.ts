import { parseOptions, UsageError, type CliCommand } from '../command.js';
import { createEs } from '../../common/es.js';
import { coreConfig } from '../../common/settings.js';
import { complianceConfig, operatorName } from '../../compliance/config.js';
import { addHold, listHolds, removeHold, type Hold } from '../../compliance/hold.js';

const line = (h: Hold) =>
  `${h.hold_id}  ${h.active ? 'active ' : 'removed'}  ${h.scope === 'index' ? `index ${h.index_pattern}` : `team ${h.team}`}  by ${h.created_by} at ${h.created_at}  reason: ${h.reason}` +
  (h.active ? '' : `  (removed by ${h.removed_by} at ${h.removed_at}${h.removal_reason ? `: ${h.removal_reason}` : ''})`);

export const command: CliCommand = {
  name: 'hold',
  summary: 'Legal holds: exempt indices or a team from retention deletion, recorded with who, when and why',
  usage: 'llm-audit hold add (--index PATTERN | --team TEAM) --reason TEXT [--by NAME]\n       llm-audit hold list [--all] [--json]\n       llm-audit hold remove HOLD_ID [--reason TEXT] [--by NAME]',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseOptions(rest, {
      index: { type: 'string' }, team: { type: 'string' }, reason: { type: 'string' }, by: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' },
    });
    const core = coreConfig.fromEnv(io.env);
    const cfg = complianceConfig.fromEnv(io.env);
    const by = values.by ?? operatorName(cfg, io.env);
    const client = createEs(core);
    try {
      switch (sub) {
        case 'add': {
          const { hold, ilm } = await addHold(client, { prefix: core.indexPrefix, indexPattern: values.index, team: values.team, reason: values.reason ?? '', by });
          io.stdout.write(values.json ? JSON.stringify({ hold, ilm }, null, 2) + '\n' : `${line(hold)}\n${ilm.detached.length ? `ILM detached from ${ilm.detached.join(', ')}\n` : ''}`);
          return 0;
        }
        case 'list': {
          const holds = await listHolds(client, core.indexPrefix, { includeRemoved: values.all });
          if (values.json) io.stdout.write(JSON.stringify(holds, null, 2) + '\n');
          else io.stdout.write(holds.length ? holds.map(line).join('\n') + '\n' : 'no legal holds\n');
          return 0;
        }
        case 'remove': {
          if (positionals.length !== 1) throw new UsageError('hold remove takes one hold id');
          const { hold, ilm } = await removeHold(client, { prefix: core.indexPrefix, id: positionals[0]!, by, reason: values.reason });
          io.stdout.write(`${line(hold)}\n${ilm.attached.length ? `ILM reattached to ${ilm.attached.join(', ')}\n` : ''}`);
          return 0;
        }
        default:
          throw new UsageError('hold add | hold list | hold remove');
      }
    } finally {
      await client.close();
    }
  },
};
