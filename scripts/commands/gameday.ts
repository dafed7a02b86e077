import { relative } from 'node:path';
import { StormlabError } from '../../core/errors.js';
import { DEFAULT_GRACE_MS, EXIT_INTERRUPTED, InterruptController } from '../lab/interrupt.js';
import { optDuration, optGatewayInstances, optHeaders, optNumber, optString, type Command } from '../args.js';
import { runGameday } from '../lab/gameday.js';

export const gamedayCommand: Command = {
  name: 'gameday',
  summary: 'run a failover game day: a plan of faults and expectations, with real alerting, judged',
  help: `
Usage: stormlab gameday <plan> [--duration D] [--rate N] [--seed N] [--out DIR] [--gateway-config NAME|FILE]
                        [--gateway-instances N]
                        [--target URL [--base-port N] [--header "K: V"]...] [--metrics URL] [--rules FILE] [--no-alerts]

Runs a game-day plan: starts the mock fleet and the reference gateway (or drives --target),
applies the plan's chaos timeline, starts Prometheus scraping the gateway every second with the
alert rules, then measures each fault (time to detect, time to fail over, client errors and
truncated streams, extra cost, time to recover, residency violations, error budget burned) and
judges every expectation. Writes gameday.json, gameday.md and gameday.html into the run
directory beside the usual run files.

Built-in plans (scenarios/plans/): primary-region-outage, provider-429-storm, brownout,
flapping-provider, mid-stream-cuts, residency-outage, slow-drain, instance-kill.

Arguments:
  <plan>                  a built-in plan name or a path to a plan YAML

Options:
  --duration D            shrink or stretch the plan (its faults scale with it): 20s, 2m, …
  --rate N                a constant N requests per second instead of the plan's arrival
  --seed N                workload seed
  --out DIR               run directory (default: runs/<timestamp>-gameday-<plan>)
  --gateway-config C      run our gateway with this config (a name in gateway/configs/ or a YAML path)
  --gateway-instances N   start N gateway instances behind a round-robin front, sharing a Redis
                          started for the run (in place of the spec's target.instances); a plan's
                          kill-instance actions SIGKILL one and restart it
  --target URL            drive an external OpenAI-compatible gateway; stormlab still runs the fleet
                          and prints its upstreams for that gateway's config
  --base-port N           with --target: the fleet on stable ports N, N+1, … (control API after them)
  --header "K: V"         with --target: a header for every request (repeatable), e.g. an API key
  --metrics URL           where Prometheus scrapes (default: <gateway>/metrics)
  --rules FILE            Prometheus alert rules (default: gateway/alerts/gateway.rules.yml)
  --no-alerts             do not start Prometheus (alert expectations are skipped)
  -h, --help              this help

Prometheus: Debian's \`prometheus\` on PATH, or STORMLAB_PROMETHEUS=/path/to/prometheus. When it
is missing the game day says so and goes on; alert expectations are then skipped.

Exit codes: 0 every expectation held, 1 at least one failed, 2 bad input.
`,
  options: {
    duration: { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    'gateway-config': { type: 'string' },
    'gateway-instances': { type: 'string' },
    target: { type: 'string' },
    'base-port': { type: 'string' },
    metrics: { type: 'string' },
    rules: { type: 'string' },
    'no-alerts': { type: 'boolean' },
    header: { type: 'string', multiple: true },
  },
  async run({ values, positionals }, io) {
    const [plan, ...extra] = positionals;
    if (!plan || extra.length > 0) {
      throw new StormlabError(
        'SL_USAGE',
        'stormlab gameday takes exactly one plan (a name such as `primary-region-outage`, or a YAML path)',
      );
    }
    const url = (flag: string): string | undefined => {
      const v = optString(values, flag);
      if (v !== undefined && !/^https?:\/\/[^/]+/.test(v)) {
        throw new StormlabError('SL_USAGE', `--${flag} must be an http(s) URL`, [
          { path: `--${flag}`, expected: 'http(s)://host[:port][/path]', received: JSON.stringify(v) },
        ]);
      }
      return v;
    };
    const target = url('target');
    const basePort = optNumber(
      values,
      'base-port',
      (n) => Number.isInteger(n) && n >= 1 && n <= 65000,
      'a port number from 1 to 65000',
    );
    if (basePort !== undefined && !target) {
      throw new StormlabError(
        'SL_USAGE',
        '--base-port goes with --target (our own gateway finds the fleet by itself)',
        [{ path: '--base-port', expected: 'used together with --target URL' }],
      );
    }
    if (target && optString(values, 'gateway-config')) {
      throw new StormlabError(
        'SL_USAGE',
        '--gateway-config configures our gateway; with --target the gateway is yours',
        [{ path: '--gateway-config', expected: 'not used together with --target' }],
      );
    }
    const instances = optGatewayInstances(values);
    if (target && instances !== undefined) {
      throw new StormlabError('SL_USAGE', '--gateway-instances starts our gateway; with --target the gateway is yours', [
        { path: '--gateway-instances', expected: 'not used together with --target' },
      ]);
    }
    const headers = optHeaders(values);
    if (Object.keys(headers).length > 0 && !target) {
      throw new StormlabError('SL_USAGE', '--header goes with --target', [
        { path: '--header', expected: 'used together with --target URL' },
      ]);
    }
    const log = (l: string) => io.stderr.write(`· ${l}\n`);
    const interrupt = new InterruptController({ graceMs: DEFAULT_GRACE_MS, log });
    let run: Awaited<ReturnType<typeof runGameday>>;
    try {
      run = await runGameday({
        plan,
        durationMs: optDuration(values, 'duration'),
        rate: optNumber(values, 'rate', (n) => n > 0, 'a positive number of requests per second'),
        seed: optNumber(values, 'seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
        out: optString(values, 'out'),
        gatewayConfig: optString(values, 'gateway-config'),
        ...(instances === undefined ? {} : { instances }),
        target,
        headers,
        basePort,
        metrics: url('metrics'),
        rules: optString(values, 'rules'),
        alerts: values['no-alerts'] !== true,
        onUpstreams: (endpoints) => {
          io.stdout.write('Upstreams for your gateway (id, base URL); the same as JSON below:\n');
          for (const e of endpoints) io.stdout.write(`  ${e.id.padEnd(22)} ${e.url}\n`);
          io.stdout.write(`${JSON.stringify(Object.fromEntries(endpoints.map((e) => [e.id, e.url])))}\n\n`);
        },
        log,
        interrupt,
      });
    } finally {
      interrupt.dispose();
    }
    const { result, runDir } = run;
    const where = relative(process.cwd(), runDir) || '.';
    const failed = result.verdicts.filter((v) => v.status === 'fail').length;
    const verdict = result.ok ? 'every expectation held' : `${failed} of ${result.verdicts.length} expectations failed`;
    io.stdout.write(`game day ${result.plan.name}: ${verdict}\n`);
    const mark = { pass: '✓', fail: '✗', skipped: '–' } as const;
    for (const v of result.verdicts)
      io.stdout.write(`${mark[v.status]} ${v.expectation} (observed ${v.observed}${v.note ? `; ${v.note}` : ''})\n`);
    const a = result.measurements.alerts;
    if (!a.available) io.stdout.write(`alerts: not measured — ${a.reason ?? 'prometheus did not run'}\n`);
    else {
      for (const t of a.timings)
        io.stdout.write(`alert ${t.alert} fired ${(t.firedAfterMs / 1000).toFixed(1)} s after the fault began\n`);
      if (a.neverFired.length) io.stdout.write(`never fired: ${a.neverFired.join(', ')}\n`);
    }
    io.stdout.write(`\nreport: ${where}/gameday.md\nhtml: ${where}/gameday.html\n`);
    if (interrupt.first) {
      io.stdout.write(`interrupted: the verdicts cover what ran before the signal (exit ${EXIT_INTERRUPTED})\n`);
      return EXIT_INTERRUPTED;
    }
    return result.ok ? 0 : 1;
  },
};
