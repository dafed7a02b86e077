/**
 * A game day, as an API (the `gameday` command is a thin wrapper): load the plan, run its spec
 * through runLab (fleet, gateway or --target, chaos timeline), with a real Prometheus scraping
 * the gateway and evaluating the alert rules, then measure, judge and write the report.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { StormlabError } from '../../core/errors.js';
import type { AlertsFile } from '../../reports/gameday/inputs.js';
import { writeGamedayReport, type GamedayResult } from '../../reports/gameday/result.js';
import { loadPlan, type Plan } from '../../scenarios/gameday/load-plan.js';
import { applyOverrides } from '../../scenarios/load-spec.js';
import { totalDurationMs } from '../../scenarios/schedule.js';
import { checkActions, scaleActions, scheduleActions, type RunningActions } from './actions.js';
import { findPrometheus, startPrometheus, type RunningPrometheus } from './prometheus.js';
import { defaultRunDir } from './run-dir.js';
import type { Interrupt } from './interrupt.js';
import { runLab, type LabReady } from './run-lab.js';

export const DEFAULT_RULES_FILE = fileURLToPath(new URL('../../gateway/alerts/gateway.rules.yml', import.meta.url));

export interface GamedayOptions {
  /** built-in plan name or a YAML path */
  plan: string;
  durationMs?: number;
  rate?: number;
  seed?: number;
  out?: string;
  /** our gateway with this config (name or path) instead of the spec's */
  gatewayConfig?: string;
  /** how many gateway instances, in place of the spec's `target.instances` */
  instances?: number;
  /** an external gateway; the fleet still runs, on ports from `basePort` when given */
  target?: string;
  /** with `target`: headers sent with every request (an API key, a routing config) */
  headers?: Record<string, string>;
  basePort?: number;
  /** where Prometheus scrapes (default: <gateway>/metrics) */
  metrics?: string;
  /** alert rules (default: gateway/alerts/gateway.rules.yml) */
  rules?: string;
  /** false: no Prometheus at all */
  alerts?: boolean;
  /** how long to keep scraping after the load, for alerts to resolve (default 5 s) */
  settleMs?: number;
  /** with an external target: called with the fleet's endpoints before the load starts */
  onUpstreams?: (endpoints: LabReady['endpoints']) => void;
  log?: (line: string) => void;
  /** Ctrl-C handling (an InterruptController): a first signal ends the load gracefully and the game day is judged on what ran */
  interrupt?: Interrupt;
}

export interface GamedayRun {
  plan: Plan;
  runDir: string;
  result: GamedayResult;
}

function checkFile(file: string, flag: string, expected: string): string {
  const abs = resolve(file);
  if (!existsSync(abs))
    throw new StormlabError('SL_CONFIG_NOT_FOUND', `cannot read ${flag} ${file}`, [{ file, path: flag, expected }]);
  return abs;
}

export async function runGameday(opts: GamedayOptions): Promise<GamedayRun> {
  const log = opts.log ?? (() => {});
  const plan = loadPlan(opts.plan);
  const rules = checkFile(opts.rules ?? DEFAULT_RULES_FILE, '--rules', 'a Prometheus alerting rules file');
  let spec = plan.spec;
  if (opts.gatewayConfig) {
    const lab = 'gateway' in spec.target ? spec.target : { fleet: 'default', apiKey: 'sk-stormlab-lab' };
    spec = { ...spec, target: { gateway: opts.gatewayConfig, fleet: lab.fleet, apiKey: lab.apiKey } };
  }
  const fleetName = 'gateway' in spec.target ? spec.target.fleet : 'default';
  if (opts.instances !== undefined && 'gateway' in spec.target)
    spec = { ...spec, target: { ...spec.target, instances: opts.instances } };
  if (plan.actions.length > 0 && opts.target) {
    const why = `plan ${plan.name} kills gateway instances: it needs the gateway the lab starts, not --target`;
    throw new StormlabError('SL_USAGE', why, [
      { path: '--target', expected: 'not used with a plan that has actions (kill-instance)' },
    ]);
  }
  if (opts.target) spec = { ...spec, target: { url: opts.target, headers: opts.headers ?? {} } };
  checkActions(plan.actions, 'gateway' in spec.target ? (spec.target.instances ?? 1) : 1, plan.file);
  // the actions shrink or stretch with the plan, as its chaos timeline does
  const before = totalDurationMs(spec.arrival);
  const after = totalDurationMs(applyOverrides(spec, { durationMs: opts.durationMs, rate: opts.rate }).arrival);
  const actions = before > 0 && after !== before ? scaleActions(plan.actions, after / before) : plan.actions;
  let running: RunningActions | undefined;
  const runDir = resolve(opts.out ?? defaultRunDir(`gameday-${plan.name}`));
  // the fleet appends to its ledger and chaos log: a reused directory starts them afresh
  for (const f of ['ledger.ndjson', 'chaos.ndjson', 'alerts.json', 'samples.ndjson', '.prometheus'])
    rmSync(join(runDir, f), { force: true, recursive: true });

  let alerts: AlertsFile = {
    available: false,
    reason: 'alerting was turned off (--no-alerts)',
    rules: [],
    firings: [],
  };
  const binary = opts.alerts === false ? null : findPrometheus();
  if (opts.alerts !== false && !binary) {
    alerts = { ...alerts, reason: 'prometheus is not installed (no `prometheus` on PATH; set STORMLAB_PROMETHEUS)' };
    log('alerts: prometheus is not installed — the game day goes on without alerting');
  }
  let prom: RunningPrometheus | undefined;
  let loadStartMs = 0;

  const onReady = async (lab: LabReady): Promise<void> => {
    if (opts.target) opts.onUpstreams?.(lab.endpoints);
    await startAlerting(lab);
    loadStartMs = Date.now();
    if (actions.length > 0 && lab.instances) running = scheduleActions(actions, lab.instances, log);
  };

  const startAlerting = async (lab: LabReady): Promise<void> => {
    if (!binary) return;
    // several instances: each is scraped (through the front, scrapes would hop between them)
    const metricsUrl = opts.metrics ?? lab.instances?.urls().map((u) => `${u}/metrics`) ?? `${lab.target}/metrics`;
    try {
      prom = await startPrometheus({ binary, metricsUrl, rulesFile: rules, dir: join(runDir, '.prometheus') });
      log(`alerts: prometheus ${prom.url} scraping ${[metricsUrl].flat().join(', ')} every 1 s with ${rules}`);
      // the first scrape, so that the alert windows hold the pre-fault traffic
      const until = Date.now() + 5000;
      while (Date.now() < until && !(await prom.scraped().catch(() => false))) await sleep(200);
    } catch (e) {
      alerts = { ...alerts, reason: `prometheus did not start: ${(e as Error).message}` };
      log(`alerts: ${alerts.reason} — the game day goes on without alerting`);
      prom = undefined;
    }
  };

  const beforeStop = async (): Promise<void> => {
    await running?.settle();
    if (!prom) return;
    await sleep(opts.settleMs ?? 5000);
    try {
      if (!(await prom.scraped())) {
        const url = opts.metrics ?? 'the gateway /metrics';
        alerts = {
          available: false,
          reason: `prometheus could not scrape ${url} (no Prometheus metrics there? pass --metrics URL)`,
          rules: [],
          firings: [],
        };
        log(`alerts: ${alerts.reason}`);
        return;
      }
      alerts = { available: true, rules: await prom.rules(), firings: await prom.firings(loadStartMs - 1000) };
    } catch (e) {
      alerts = {
        available: false,
        reason: `could not read alerts from prometheus: ${(e as Error).message}`,
        rules: [],
        firings: [],
      };
    }
  };

  let lab;
  try {
    lab = await runLab({
      spec,
      durationMs: opts.durationMs,
      rate: opts.rate,
      seed: opts.seed,
      out: runDir,
      ...(opts.target
        ? {
            target: opts.target,
            fleetBehindTarget: {
              fleet: fleetName,
              ...(opts.basePort === undefined ? {} : { basePort: opts.basePort }),
            },
          }
        : {}),
      onReady,
      beforeStop,
      log,
      ...(opts.interrupt ? { interrupt: opts.interrupt } : {}),
    });
  } finally {
    await running?.settle();
    await prom?.stop();
  }
  writeFileSync(join(runDir, 'alerts.json'), `${JSON.stringify(alerts, null, 2)}\n`);
  const runJson = lab.summary.run;
  const result = await writeGamedayReport(
    { name: plan.name, description: plan.description, slo: plan.slo, expect: plan.expect },
    {
      dir: runDir,
      target: opts.target ?? runJson.target ?? '',
      ...(!opts.target && 'gateway' in spec.target ? { gatewayConfig: spec.target.gateway } : {}),
      startedAt: runJson.startedAt ?? new Date().toISOString(),
      endedAt: runJson.endedAt ?? new Date().toISOString(),
    },
  );
  return { plan, runDir, result };
}
