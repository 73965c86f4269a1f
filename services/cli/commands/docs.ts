import { discoverDocPages, writeDocPages } from '../../docs/page.js';
import type { CliCommand } from '../command.js';

export const command: CliCommand = {
  name: 'docs',
  summary: 'Regenerate the reference pages in docs/reference/ from the code (config schemas, commands, rules, metrics)',
  usage: 'llm-audit docs',
  async run(_argv, io) {
    const pages = await discoverDocPages();
    const changed = await writeDocPages(pages);
    io.stdout.write(`${pages.length} generated pages, ${changed.length} rewritten${changed.length ? `: ${changed.join(', ')}` : ''}\n`);
    return 0;
  },
};
