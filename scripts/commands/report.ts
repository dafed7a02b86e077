import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { StormlabError } from '../../core/errors.js';
import { buildMergedReport, buildReport } from '../../reports/index.js';
import { describeTotals, mergeHlogs } from '../../reports/hlog.js';
import { renderTerminalSummary } from '../../reports/render-text.js';
import { optString, type Command } from '../args.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'rebuild the report of a run directory offline, or merge several runners into one',
  help: `
Usage: stormlab report <run-dir>
       stormlab report <run-dir | samples.ndjson[.gz]>... --out DIR [--run run.json]
       stormlab report --merge-hlog OUT.hlog <file.hlog>...

Reads samples.ndjson (from the native driver or \`k6 run --out json=…\`, plain or gzip) and,
when present, run.json, ledger.ndjson, chaos.ndjson, metrics.prom, gateway.json and fleet.json,
and writes summary.json, summary.md, index.html and one HdrHistogram interval log per latency
metric (ttft.hlog, e2e.hlog, itl.hlog). Bad sample lines are counted and reported, not fatal.

With several inputs (the runners of one test, k6-operator style) their samples merge into one
report in --out: histograms are merged, never averaged; ledgers and chaos logs add up.
--merge-hlog merges interval logs of several runners into one (intervals of the same metric and
second are added) and prints the merged percentiles.

Options:
  --out DIR             where to write the report (default: the run directory, for one input)
  --run FILE            with --out: the run.json of the whole test (spec, driver, plan, thresholds)
                        in place of the inputs' own; \`stormlab k8s\` writes one for its runners' files
  --merge-hlog FILE     merge the given .hlog files into FILE
  -h, --help            this help
`,
  options: { out: { type: 'string' }, run: { type: 'string' }, 'merge-hlog': { type: 'string' } },
  async run({ values, positionals }, io) {
    const mergeTo = optString(values, 'merge-hlog');
    if (mergeTo !== undefined) {
      if (positionals.length === 0) throw new StormlabError('SL_USAGE', '--merge-hlog needs the .hlog files to merge');
      const texts = positionals.map((f) => {
        try {
          return readFileSync(f, 'utf8');
        } catch {
          throw new StormlabError('SL_CONFIG_NOT_FOUND', `cannot read ${f}`, [{ file: f, expected: 'an HdrHistogram interval log' }]);
        }
      });
      const merged = mergeHlogs(texts);
      writeFileSync(mergeTo, merged.text);
      const bad = merged.badIntervals ? ` (${merged.badIntervals} unreadable intervals skipped)` : '';
      const done = `merged ${texts.length} logs, ${merged.intervals} intervals${bad}: ${relative(process.cwd(), mergeTo)}`;
      io.stdout.write(`${describeTotals(merged.totals).join('\n')}\n\n${done}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new StormlabError('SL_USAGE', 'stormlab report takes a run directory (or several inputs with --out DIR)');
    const out = optString(values, 'out');
    if (positionals.length > 1 && out === undefined) {
      throw new StormlabError('SL_USAGE', 'several inputs merge into one report: say where with --out DIR');
    }
    const runFile = optString(values, 'run');
    if (runFile !== undefined && out === undefined) {
      throw new StormlabError('SL_USAGE', '--run goes with --out: it describes the test the inputs merge into', [
        { path: '--run', expected: 'used together with --out DIR' },
      ]);
    }
    const { summary, files } =
      out === undefined ? await buildReport(positionals[0] as string) : await buildMergedReport(positionals, out, { runFile });
    const rel = (f: string) => relative(process.cwd(), f);
    io.stdout.write(`${renderTerminalSummary(summary)}\n\nreport: ${rel(files.html)}\nmarkdown: ${rel(files.md)}\nsummary: ${rel(files.json)}\n`);
    if (files.hlogs.length) io.stdout.write(`interval logs: ${files.hlogs.map(rel).join(', ')}\n`);
    return 0;
  },
};
