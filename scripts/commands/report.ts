import { relative } from 'node:path';
import { StormlabError } from '../../core/errors.js';
import { buildReport } from '../../reports/index.js';
import { renderTerminalSummary } from '../../reports/render-text.js';
import type { Command } from '../args.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'rebuild summary.json and summary.md of a run directory offline',
  help: `
Usage: stormlab report <run-dir>

Reads samples.ndjson (from the native driver or \`k6 run --out json=…\`) and, when present,
ledger.ndjson and run.json in <run-dir>, and writes summary.json and summary.md there.
Bad sample lines are counted and reported, not fatal.
`,
  options: {},
  async run({ positionals }, io) {
    const [dir, ...extra] = positionals;
    if (!dir || extra.length > 0) throw new StormlabError('SL_USAGE', 'stormlab report takes exactly one run directory');
    const { summary, files } = await buildReport(dir);
    io.stdout.write(`${renderTerminalSummary(summary)}\n\nreport: ${relative(process.cwd(), files.md)}\nsummary: ${relative(process.cwd(), files.json)}\n`);
    return 0;
  },
};
