import { relative } from 'node:path';
import { StormlabError } from '../../core/errors.js';
import { writeComparison } from '../../reports/compare/index.js';
import { optString, type Command } from '../args.js';
import { defaultRunDir } from '../lab/run-dir.js';

export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare runs side by side (one HTML and one Markdown report)',
  help: `
Usage: stormlab compare <run> <run> [<run>...] [--out DIR]

Lines up two or more runs: their figures with deltas against the first run, overlaid latency
percentile curves, p99 TTFT over time, cost per 1k requests, breakdowns by provider, region and
class, and the differences in their resolved spec, gateway config and fleet (spec.json,
gateway.json, fleet.json; loopback ports are ignored).

Arguments:
  <run>        a run directory (its summary.json is built from its samples if missing) or a
               summary.json file

Options:
  --out DIR    where to write compare.html and compare.md (default: runs/<timestamp>-compare)
  -h, --help   this help
`,
  options: { out: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length < 2) throw new StormlabError('SL_USAGE', 'stormlab compare takes at least two runs (run directories or summary.json files)');
    const out = optString(values, 'out') ?? defaultRunDir('compare');
    const { comparison, files } = await writeComparison(positionals, out);
    io.stdout.write(`compared ${comparison.runs.map((r) => r.name).join(' vs ')}\n`);
    io.stdout.write(`html: ${relative(process.cwd(), files.html)}\nmarkdown: ${relative(process.cwd(), files.md)}\n`);
    return 0;
  },
};
