import { relative } from 'node:path';
import { renderTerminalSummary } from '../../reports/render-text.js';
import { StormlabError } from '../../core/errors.js';
import { optDuration, optGatewayInstances, optHeaders, optNumber, optString, type Command } from '../args.js';
import { DEFAULT_GRACE_MS, EXIT_ABORTED, EXIT_INTERRUPTED, InterruptController } from '../lab/interrupt.js';
import { runLab } from '../lab/run-lab.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'run a scenario against the lab (fleet + gateway) or an external URL, and report',
  help: `
Usage: stormlab run <spec> [--duration 20s] [--rate N] [--seed N] [--out DIR] [--target URL [--header "K: V"]...]
                    [--driver native|k6] [--segment S] [--grace D] [--gateway-instances N]

Starts the mock fleet and the reference gateway on free loopback ports, runs the scenario in an
open model, stops everything and writes a run directory with samples, the upstream ledger, the
gateway metrics snapshot, summary.json and summary.md.

Arguments:
  <spec>             a built-in spec name (see scenarios/specs/) or a path to a spec YAML

Options:
  --duration D       stretch or shrink the arrival stages to last D (20s, 1m30s, …)
  --rate N           replace the arrival stages with a constant N requests per second
  --seed N           workload seed (same seed, spec and config → same workload)
  --out DIR          run directory (default: runs/<timestamp>-<spec>)
  --target URL       drive an external OpenAI-compatible base URL instead of starting ours
  --header "K: V"    with --target: a header for every request (repeatable), e.g. the API key of
                     that gateway ("Authorization: Bearer sk-stormlab-lab" for a \`stormlab gateway\`)
  --driver native|k6 the built-in driver (default) or k6 on PATH (k6 run --out json=…)
  --sse              with --driver k6: TTFT at the first content event (needs k6 built with xk6-sse)
  --segment S        run only this share of the schedule, as k6 execution segments (0:1/3, 1/3:2/3,
                     2/3:1); run one per machine against the same --target (and --header), then
                     merge the runs with \`stormlab report run-a run-b run-c --out merged\`
  --gateway-instances N
                     start N instances of the gateway (in place of the spec's target.instances) behind a
                     round-robin front, sharing their state through a Redis started for the run
  --grace D          after Ctrl-C, how long requests in flight may still finish (default ${DEFAULT_GRACE_MS / 1000}s)
  -h, --help         this help

Ctrl-C (SIGINT) or SIGTERM: no new requests start; those in flight get the grace, then the lab
stops and the report of what ran is written and printed, marked interrupted (exit ${EXIT_INTERRUPTED}).
A second Ctrl-C aborts at once, still stopping the fleet and the gateway (exit ${EXIT_ABORTED});
\`stormlab report <run-dir>\` then builds the report from what ran.

Exit codes: 0 ok, 99 a spec threshold was crossed (as k6), ${EXIT_INTERRUPTED} interrupted (as k6),
${EXIT_ABORTED} aborted by a second signal, 2 bad input, 1 failure.
`,
  options: {
    duration: { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    target: { type: 'string' },
    header: { type: 'string', multiple: true },
    driver: { type: 'string' },
    sse: { type: 'boolean' },
    segment: { type: 'string' },
    grace: { type: 'string' },
    'gateway-instances': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [spec, ...extra] = positionals;
    if (!spec || extra.length > 0) {
      throw new StormlabError('SL_USAGE', 'stormlab run takes exactly one spec (a name such as `baseline`, or a YAML path)');
    }
    const driver = optString(values, 'driver') ?? 'native';
    if (driver !== 'native' && driver !== 'k6') {
      throw new StormlabError('SL_USAGE', '--driver must be native or k6', [{ path: '--driver', expected: 'native | k6', received: JSON.stringify(driver) }]);
    }
    const target = optString(values, 'target');
    if (target !== undefined && !/^https?:\/\/[^/]+/.test(target)) {
      throw new StormlabError('SL_USAGE', '--target must be an http(s) URL', [
        { path: '--target', expected: 'http(s)://host[:port][/base]', received: JSON.stringify(target) },
      ]);
    }
    const instances = optGatewayInstances(values);
    if (instances !== undefined && target !== undefined) {
      throw new StormlabError('SL_USAGE', '--gateway-instances starts our gateway; with --target the gateway is yours', [
        { path: '--gateway-instances', expected: 'not used together with --target' },
      ]);
    }
    const headers = optHeaders(values);
    if (Object.keys(headers).length > 0 && target === undefined) {
      throw new StormlabError('SL_USAGE', '--header goes with --target (our own gateway gets the spec\'s API key)', [
        { path: '--header', expected: 'used together with --target URL' },
      ]);
    }
    const log = (l: string) => io.stderr.write(`· ${l}\n`);
    const interrupt = new InterruptController({ graceMs: optDuration(values, 'grace') ?? DEFAULT_GRACE_MS, log });
    try {
      const result = await runLab({
        spec,
        durationMs: optDuration(values, 'duration'),
        rate: optNumber(values, 'rate', (n) => n > 0, 'a positive number of requests per second'),
        seed: optNumber(values, 'seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
        out: optString(values, 'out'),
        target,
        ...(instances === undefined ? {} : { instances }),
        headers,
        driver,
        sse: values.sse === true,
        segment: optString(values, 'segment'),
        log,
        interrupt,
      });
      io.stdout.write(`${renderTerminalSummary(result.summary)}\n`);
      const where = relative(process.cwd(), result.runDir) || '.';
      io.stdout.write(`\nreport: ${where}/summary.md\nsummary: ${where}/summary.json\n`);
      if (result.summary.run.interrupted) {
        io.stdout.write(`interrupted: the report covers what ran before the signal (exit ${EXIT_INTERRUPTED})\n`);
        return EXIT_INTERRUPTED;
      }
      return result.thresholdsOk ? 0 : 99;
    } finally {
      interrupt.dispose();
    }
  },
};
