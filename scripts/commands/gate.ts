import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { StormlabError } from '../../core/errors.js';
import { runGate } from '../../reports/gate/index.js';
import { optString, type Command } from '../args.js';

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

export const gateCommand: Command = {
  name: 'gate',
  summary: 'CI regression gate: hold runs against a baseline (exit 0 pass, 1 regression)',
  help: `
Usage: stormlab gate --baseline <summary.json | run-dir> --current <run-dir> [--rules FILE] [--out FILE]

Compares the current runs with the baseline on p99 TTFT, p99 E2E, error rate, cost per 1k
requests, cache hit rate and dropped starts, under relative ("+10%") or absolute limits.
Repeat --baseline and --current for repetitions: the gate takes a seeded bootstrap
confidence interval of each change (runs drawn with replacement, each run's requests
resampled) and fails a rule only when the whole interval lies beyond its limit. The verdict
is Markdown, naming each metric that regressed.

Options:
  --baseline PATH   summary.json or run directory of the baseline (repeatable)
  --current PATH    run directory (or summary.json) of the change under test (repeatable)
  --rules FILE      gate rules YAML (default: reports/gate/default-rules.yaml)
  --out FILE        also write the verdict to FILE (e.g. for $GITHUB_STEP_SUMMARY)
  --allow-interrupted
                    accept an interrupted baseline run (refused by default: it covers only part of
                    its schedule); interrupted runs are named in the verdict either way
  -h, --help        this help

Exit codes: 0 pass, 1 regression, 2 usage error (e.g. a missing or interrupted baseline).
`,
  options: {
    baseline: { type: 'string', multiple: true },
    current: { type: 'string', multiple: true },
    rules: { type: 'string' },
    out: { type: 'string' },
    'allow-interrupted': { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) {
      throw new StormlabError('SL_USAGE', `stormlab gate takes no positional arguments (got ${positionals.join(' ')}): use --baseline and --current`);
    }
    const { verdict, markdown } = await runGate({
      baseline: list(values.baseline),
      current: list(values.current),
      rules: optString(values, 'rules'),
      allowInterrupted: values['allow-interrupted'] === true,
    });
    io.stdout.write(markdown);
    const out = optString(values, 'out');
    if (out) {
      writeFileSync(out, markdown);
      io.stdout.write(`\nverdict: ${relative(process.cwd(), out)}\n`);
    }
    return verdict.ok ? 0 : 1;
  },
};
