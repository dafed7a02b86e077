import { relative } from 'node:path';
import { renderCapacityText } from '../../reports/capacity/index.js';
import { StormlabError } from '../../core/errors.js';
import { parseProfile } from '../../scenarios/profile.js';
import { parseSlo, SLO_FORM } from '../../scenarios/slo.js';
import { DEFAULT_GRACE_MS, EXIT_INTERRUPTED, InterruptController } from '../lab/interrupt.js';
import { optDuration, optHeaders, optNumber, optString, type Command } from '../args.js';
import { CAPACITY_DEFAULTS, runCapacity } from '../lab/capacity.js';

const D = CAPACITY_DEFAULTS;

export const capacityCommand: Command = {
  name: 'capacity',
  summary: 'find the highest arrival rate that meets an SLO, where the limit comes from, and what a traffic profile costs',
  help: `
Usage: stormlab capacity <spec> --slo "ttft p99<1500ms, errors<1%" [--profile "2.3M/day, peak 85/s"]
                         [--config A.yaml [B.yaml …]] [--start-rate N] [--max-rate N] [--step 8s] [--budget 5m]

Steps the arrival rate of the spec's workload (constant rate, open model) against the lab — the
mock fleet and the reference gateway, started once per gateway config and warmed up — doubling
from --start-rate until a step breaks the SLO, then bisecting between the highest passing and
the lowest failing rate until they are within --tolerance. The knee is the highest rate that met
the SLO (and dropped no starts). A step that fails with nothing to explain it — no upstream
queueing, 429s or overload, no errors, an idle gateway — runs again after a 2 s pause, up to
twice, before it counts (a busy machine's stalls can move a p99). Each step is short and bounded (--step, requests time out at
max(10 s, 2 × the largest latency objective)); the search per config stops at --budget or
--max-steps. Live: the driver's progress line (on a TTY) and one line per step.

Writes capacity.json, capacity.md and capacity.html (curves: rate against TTFT and E2E p99,
error rate, cost per 1k, upstream queue time; where the limit came from — 429s, overloaded
503/529 and queue time from the fleet's ledger, gateway CPU from /metrics process_cpu — and the
projections), plus one run directory per step.

Arguments:
  <spec>              a built-in spec name or a spec YAML path (its workload mix and seed; its
                      arrival is replaced by each step's rate, its chaos timeline is not applied)

Options:
  --slo TEXT          required: ${SLO_FORM}
  --profile TEXT      project cost, provider quota and headroom for "2.3M/day, peak 85/s"
                      (volume per day|hour|month with k/M/B, peak per s|min)
  --config A [B …]    gateway configs to search one after the other (default: the spec's)
  --start-rate N      first step, requests per second (default ${D.startRate})
  --max-rate N        never step above this (default ${D.maxRate})
  --factor N          coarse growth per step (default ${D.factor})
  --tolerance P       stop bisecting when the bracket is this close, 5% or 0.05 (default ${D.tolerance * 100}%)
  --step D            length of one step (default ${D.stepMs / 1000}s)
  --budget D          time budget of the search per config (default ${D.budgetMs / 60_000}m)
  --max-steps N       steps per config at most (default ${D.maxSteps})
  --seed N            workload seed
  --target URL        search an external OpenAI-compatible gateway instead (no fleet ledger:
                      the limit is read from client statuses and its /metrics if any)
  --header "K: V"     with --target: a header for every request (repeatable), e.g. an API key
  --out DIR           report directory (default: runs/<timestamp>-capacity-<spec>)
  -h, --help          this help

Exit codes: 0 a knee was found for every config, 1 some config met the SLO at no rate tried (or
a lab process failed), 2 bad input.
`,
  options: {
    slo: { type: 'string' },
    profile: { type: 'string' },
    config: { type: 'string', multiple: true },
    'start-rate': { type: 'string' },
    'max-rate': { type: 'string' },
    factor: { type: 'string' },
    tolerance: { type: 'string' },
    step: { type: 'string' },
    budget: { type: 'string' },
    'max-steps': { type: 'string' },
    seed: { type: 'string' },
    target: { type: 'string' },
    header: { type: 'string', multiple: true },
    out: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [spec, ...rest] = positionals;
    const configs = (values.config as string[] | undefined) ?? [];
    if (!spec) throw new StormlabError('SL_USAGE', 'stormlab capacity takes one spec (a name such as `baseline`, or a YAML path)');
    if (rest.length > 0 && configs.length === 0) {
      const what = `unexpected argument ${JSON.stringify(rest[0])}`;
      throw new StormlabError('SL_USAGE', `${what}: stormlab capacity takes one spec (more gateway configs go after --config)`);
    }
    const sloText = optString(values, 'slo');
    if (sloText === undefined) {
      throw new StormlabError('SL_USAGE', 'stormlab capacity needs --slo', [{ path: '--slo', expected: SLO_FORM }]);
    }
    const slo = parseSlo(sloText);
    const profileText = optString(values, 'profile');
    const profile = profileText === undefined ? undefined : parseProfile(profileText);
    const target = optString(values, 'target');
    if (target !== undefined && !/^https?:\/\/[^/]+/.test(target)) {
      const detail = { path: '--target', expected: 'http(s)://host[:port][/base]', received: JSON.stringify(target) };
      throw new StormlabError('SL_USAGE', '--target must be an http(s) URL', [detail]);
    }
    const positive = (n: number) => n > 0;
    const log = (l: string) => io.stderr.write(`· ${l}\n`);
    // Ctrl-C: the step under way stops, the report covers the steps that ran (exit 105); twice: at once
    const interrupt = new InterruptController({ graceMs: DEFAULT_GRACE_MS, log });
    let result: Awaited<ReturnType<typeof runCapacity>>;
    try {
      result = await runCapacity({
        spec,
        slo,
        profile,
        configs: [...configs, ...rest],
        target,
        headers: optHeaders(values),
        search: {
          startRate: optNumber(values, 'start-rate', positive, 'a positive number of requests per second'),
          maxRate: optNumber(values, 'max-rate', positive, 'a positive number of requests per second'),
          factor: optNumber(values, 'factor', (n) => n > 1 && n <= 10, 'a growth factor above 1 and at most 10'),
          tolerance: tolerance(optString(values, 'tolerance')),
        },
        stepMs: optDuration(values, 'step'),
        budgetMs: optDuration(values, 'budget'),
        maxSteps: optNumber(values, 'max-steps', (n) => Number.isInteger(n) && n >= 2, 'an integer of at least 2'),
        seed: optNumber(values, 'seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
        out: optString(values, 'out'),
        log,
        signal: interrupt.stop,
      });
    } finally {
      interrupt.dispose();
    }
    io.stdout.write(`${renderCapacityText(result.report)}\n`);
    const where = relative(process.cwd(), result.dir) || '.';
    io.stdout.write(`\nreport: ${where}/capacity.md\nhtml: ${where}/capacity.html\njson: ${where}/capacity.json\n`);
    if (interrupt.first) return EXIT_INTERRUPTED;
    return result.report.configs.every((c) => c.knee !== null) ? 0 : 1;
  },
};

/** `5%` or `0.05` → 0.05. */
function tolerance(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(v.trim());
  const n = m ? Number(m[1]) / (m[2] ? 100 : 1) : Number.NaN;
  if (!(n > 0 && n < 1)) {
    throw new StormlabError('SL_USAGE', '--tolerance must be a share such as 5% or 0.05', [
      { path: '--tolerance', expected: 'a share above 0 and below 100% (5% or 0.05)', received: JSON.stringify(v) },
    ]);
  }
  return n;
}
