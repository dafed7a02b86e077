import { relative } from 'node:path';
import { StormlabError } from '../../core/errors.js';
import { builtInStrategyConfigs } from '../../gateway/index.js';
import { DEFAULT_MAX_QUALITY_DROP_POINTS } from '../../reports/strategies/index.js';
import { optDuration, optNumber, optString, type Command } from '../args.js';
import { runStrategyComparison } from '../lab/compare-strategies.js';
import { DEFAULT_GRACE_MS, EXIT_ABORTED, EXIT_INTERRUPTED, InterruptController } from '../lab/interrupt.js';

/** `--configs a b`, `--configs a,b`, `--configs a --configs b`: the spec is the first positional, the rest configs. */
function configsOf(values: Record<string, unknown>, extra: string[]): string[] {
  const given = Array.isArray(values.configs) ? (values.configs as string[]) : [];
  if (given.length === 0) {
    throw new StormlabError(
      'SL_USAGE',
      'stormlab compare-strategies needs --configs with two or more gateway configs',
      [{ path: '--configs', expected: `two or more of ${builtInStrategyConfigs().join(', ')}, or YAML paths` }],
    );
  }
  return [...given, ...extra]
    .flatMap((c) => c.split(','))
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

export const compareStrategiesCommand: Command = {
  name: 'compare-strategies',
  summary: 'run one spec under several gateway configs and compare cost, latency and answer quality',
  help: `
Usage: stormlab compare-strategies <spec> --configs <config> <config> [<config>...] [--duration D] [--rate N]
                                   [--seed N] [--out DIR] [--max-quality-drop P] [--grace D]

Runs the same seeded workload and chaos timeline under each gateway config, one after the other,
each on a fresh mock fleet and gateway, and writes one side-by-side report: p50/p99 TTFT, errors,
cost per 1k requests (every upstream attempt billed), cache hit rate, failovers, share of requests
per provider, and the share of adequate answers (the fleet's quality model) per config and class.
It ends with a recommendation: the cheapest config that met every spec threshold and kept its
answers within the quality floor of the first config, the baseline (docs/compare-strategies.md).

Arguments:
  <spec>             a built-in spec name (see scenarios/specs/) or a path to a spec YAML

Options:
  --configs C...     two or more gateway configs, the first the baseline: built-in strategy configs
                     (${builtInStrategyConfigs().join(', ')})
                     or paths to YAML files; space- or comma-separated, or --configs repeated
  --duration D       each run lasts D (20s, 1m30s, …); chaos is scaled to fit
  --rate N           a constant N requests per second in each run
  --seed N           workload seed (the same for every config)
  --max-quality-drop P
                     the recommendation's quality floor: a pick's share of adequate answers may be
                     at most P points under the baseline's (default ${DEFAULT_MAX_QUALITY_DROP_POINTS})
  --out DIR          where the runs (one directory per config) and strategies.{json,md,html} go
                     (default: runs/<timestamp>-strategies-<spec>)
  --grace D          after Ctrl-C, how long requests in flight may still finish (default ${DEFAULT_GRACE_MS / 1000}s)
  -h, --help         this help

Ctrl-C: the current run stops gracefully, no further config runs, and the report covers what ran
(exit ${EXIT_INTERRUPTED}); a second Ctrl-C aborts at once (exit ${EXIT_ABORTED}).

Exit codes: 0 ok, ${EXIT_INTERRUPTED} interrupted, ${EXIT_ABORTED} aborted, 2 bad input, 1 a config's run failed (the
others ran and are in the report) or another failure.
`,
  options: {
    configs: { type: 'string', multiple: true },
    duration: { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    'max-quality-drop': { type: 'string' },
    grace: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [spec, ...extra] = positionals;
    if (!spec)
      throw new StormlabError(
        'SL_USAGE',
        'stormlab compare-strategies takes a spec (a name such as `baseline`, or a YAML path)',
      );
    const configs = configsOf(values, extra);
    const durationMs = optDuration(values, 'duration');
    const rate = optNumber(values, 'rate', (n) => n > 0, 'a positive number of requests per second');
    const seed = optNumber(values, 'seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
    const maxQualityDropPoints = optNumber(
      values,
      'max-quality-drop',
      (n) => n >= 0 && n <= 100,
      'a number of points from 0 to 100',
    );
    const graceMs = optDuration(values, 'grace') ?? DEFAULT_GRACE_MS;
    const log = (l: string) => io.stderr.write(`· ${l}\n`);
    const interrupt = new InterruptController({ graceMs, log });
    try {
      const out = optString(values, 'out');
      const r = await runStrategyComparison({
        spec,
        configs,
        durationMs,
        rate,
        seed,
        out,
        maxQualityDropPoints,
        log,
        interrupt,
      });
      const where = (f: string) => relative(process.cwd(), f) || '.';
      io.stdout.write(`${r.comparison.configs.map((c) => c.name).join(' vs ')} on ${r.comparison.spec}\n`);
      io.stdout.write(`recommendation: ${r.comparison.recommendation.text}\n\n`);
      io.stdout.write(`html: ${where(r.files.html)}\nmarkdown: ${where(r.files.md)}\njson: ${where(r.files.json)}\n`);
      if (r.interrupted) {
        io.stdout.write(`interrupted: the report covers what ran (exit ${EXIT_INTERRUPTED})\n`);
        return interrupt.exitCode(EXIT_INTERRUPTED);
      }
      for (const f of r.comparison.failed) io.stdout.write(`failed: ${f.name}: ${f.message}\n`);
      return interrupt.exitCode(r.comparison.failed.length > 0 ? 1 : 0);
    } finally {
      interrupt.dispose();
    }
  },
};
