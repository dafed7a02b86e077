/**
 * A capacity search, as an API (the `capacity` command is a thin wrapper). Per gateway config:
 * start the fleet and the gateway once (unless the target is an external URL), warm them up, then
 * run short steps at constant arrival rates chosen by the planner in reports/capacity (coarse,
 * then bisecting) until the knee is bracketed, the step limit or the time budget is reached.
 * Each step is a run directory of its own (samples, its slice of the fleet's ledger, run.json,
 * summary); the search ends in capacity.json, capacity.md and capacity.html.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { StormlabError } from '../../core/errors.js';
import { runDriver } from '../../driver/index.js';
import { loadGatewayConfig, resolveGatewayConfigFile } from '../../gateway/index.js';
import { buildReport } from '../../reports/index.js';
import {
  configResult,
  corroborated,
  digestStep,
  gatewayCpu,
  ledgerWindow,
  nextRate,
  upstreamLoad,
  writeCapacityReport,
  type CapacityReport,
  type ConfigResult,
  type SearchOptions,
  type Step,
} from '../../reports/capacity/index.js';
import { fmtMs, fmtNum, fmtPct, fmtUsd } from '../../reports/format.js';
import { applyOverrides, loadSpec } from '../../scenarios/load-spec.js';
import type { Profile } from '../../scenarios/profile.js';
import { sloThresholds, type Slo } from '../../scenarios/slo.js';
import type { Spec } from '../../scenarios/spec-schema.js';
import type { Stoppable } from './instances.js';
import { procCpuSeconds } from './proc-cpu.js';
import { defaultRunDir, makeRunDir, writeJson } from './run-dir.js';
import { startLab } from './run-lab.js';

export interface CapacityOptions {
  /** built-in spec name or a YAML path: the workload mix; its arrival is replaced step by step */
  spec: string;
  slo: Slo;
  profile?: Profile;
  /** gateway configs (names or paths) to search one after the other; default the spec's */
  configs?: string[];
  /** an external OpenAI-compatible base URL instead of our gateway and fleet */
  target?: string;
  /** with `target`: headers for every request (e.g. that gateway's API key) */
  headers?: Record<string, string>;
  search?: Partial<SearchOptions>;
  /** length of one step */
  stepMs?: number;
  /** the whole search per config (steps and warm-up; start-up not counted) */
  budgetMs?: number;
  maxSteps?: number;
  seed?: number;
  out?: string;
  signal?: AbortSignal;
  /** the driver's live progress line (default: when stderr is a TTY) */
  progress?: boolean;
  log?: (line: string) => void;
}

export interface CapacityResult {
  dir: string;
  report: CapacityReport;
  files: { json: string; md: string; html: string };
}

export const CAPACITY_DEFAULTS = {
  startRate: 2,
  maxRate: 200,
  factor: 2,
  tolerance: 0.05,
  stepMs: 8000,
  budgetMs: 300_000,
  maxSteps: 16,
} as const;

const WARMUP_MS = 2000;
/** An unexplained failure runs again up to this many times, after a pause for a passing burst of load elsewhere. */
const RERUNS = 2;
const RERUN_PAUSE_MS = 2000;
const LEDGER_SETTLE_MS = 300;

interface Lab {
  target: string;
  headers: Record<string, string>;
  procs: Stoppable[];
  /** the fleet's ledger, when the lab runs our fleet */
  ledger: string | null;
  /** our gateway's process id, for its CPU time when its /metrics has none */
  gatewayPid?: number;
}

async function scrape(target: string): Promise<string | null> {
  try {
    const res = await fetch(`${target}/metrics`, { signal: AbortSignal.timeout(3000) });
    return res.ok ? await res.text() : null;
  } catch {
    return null;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The spec of one step: the workload at a constant rate, judged by the SLO, no chaos, a bounded timeout. */
function stepSpec(spec: Spec, rate: number, durationMs: number, slo: Slo, seed: number | undefined): Spec {
  const longest = Math.max(0, ...slo.objectives.filter((o) => o.metric !== 'http_req_failed').map((o) => o.limit));
  const s = applyOverrides({ ...spec, chaos: [] }, { rate, durationMs, seed });
  return { ...s, thresholds: sloThresholds(slo), timeout: Math.min(spec.timeout, Math.max(10_000, 2 * longest)) };
}

interface ConfigPlan {
  name: string;
  /** resolved gateway config file, null for an external target */
  file: string | null;
}

function planConfigs(spec: Spec, o: CapacityOptions): ConfigPlan[] {
  if (o.target || 'url' in spec.target) {
    if (o.configs && o.configs.length > 0) {
      throw new StormlabError('SL_USAGE', '--config chooses our gateway\'s config; it cannot apply to an external --target', [
        { path: '--config', expected: 'no --config with --target (or a spec whose target is a URL)' },
      ]);
    }
    return [{ name: 'target', file: null }];
  }
  const names = o.configs && o.configs.length > 0 ? o.configs : [spec.target.gateway];
  const used = new Set<string>();
  return names.map((n) => {
    const file = resolveGatewayConfigFile(n);
    loadGatewayConfig(file); // a bad config fails before anything starts
    let name = basename(file).replace(/\.(ya?ml|json)$/i, '');
    for (let i = 2; used.has(name); i++) name = `${basename(file).replace(/\.(ya?ml|json)$/i, '')}-${i}`;
    used.add(name);
    return { name, file };
  });
}

async function openLab(spec: Spec, plan: ConfigPlan, dir: string, o: CapacityOptions, log: (l: string) => void): Promise<Lab> {
  if (plan.file === null) {
    const target = (o.target ?? ('url' in spec.target ? spec.target.url : '')).replace(/\/+$/, '');
    return { target, headers: { ...('url' in spec.target ? spec.target.headers : {}), ...o.headers }, procs: [], ledger: null };
  }
  const { fleet, apiKey } = 'gateway' in spec.target ? spec.target : { fleet: 'default', apiKey: 'sk-stormlab-lab' };
  const lab = await startLab({ ...spec, target: { gateway: plan.file, fleet, apiKey } }, dir, log);
  const gatewayPid = lab.record?.gateway?.pid;
  const headers = { authorization: `Bearer ${apiKey}` };
  return { target: lab.target, headers, procs: lab.procs, ledger: join(dir, 'ledger.ndjson'), gatewayPid };
}

function stepLine(s: Step): string {
  const u = s.upstream;
  const up = u ? ` · queue p99 ${fmtMs(u.queueP99Ms)} · 429 ${u.rateLimited} · 503/529 ${u.overloaded}` : '';
  const crossed = s.objectives
    .filter((x) => !x.ok)
    .map((x) => `${x.key} ${x.threshold} (observed ${x.observed === null ? '—' : fmtNum(x.observed)})`);
  const verdict = s.ok ? '✓ meets the SLO' : `✗ ${crossed.join(', ')}`;
  const latency = `TTFT p99 ${fmtMs(s.ttftP99Ms)} · E2E p99 ${fmtMs(s.e2eP99Ms)}`;
  return `${fmtNum(s.rate)}/s: ${s.requests} requests · ${latency} · errors ${fmtPct(s.errorRate)} · ${fmtUsd(s.costPer1kUsd)}/1k${up} → ${verdict}`;
}

async function runStep(lab: Lab, spec: Spec, rate: number, dir: string, o: CapacityOptions, labDir: string): Promise<Step> {
  const sSpec = stepSpec(spec, rate, o.stepMs ?? CAPACITY_DEFAULTS.stepMs, o.slo, o.seed);
  makeRunDir(dir);
  writeJson(dir, 'spec.json', sSpec);
  for (const f of ['fleet.json', 'gateway.json']) if (existsSync(join(labDir, f))) copyFileSync(join(labDir, f), join(dir, f));
  const before = await scrape(lab.target);
  const procBefore = procCpuSeconds(lab.gatewayPid);
  const startedAt = new Date();
  const out = join(dir, 'samples.ndjson');
  const result = await runDriver({ spec: sSpec, target: lab.target, headers: lab.headers, out, signal: o.signal, progress: o.progress });
  const endedAt = new Date();
  const after = await scrape(lab.target);
  const procAfter = procCpuSeconds(lab.gatewayPid);
  let upstream: Step['upstream'] = null;
  if (lab.ledger) {
    await sleep(LEDGER_SETTLE_MS);
    const text = existsSync(lab.ledger) ? readFileSync(lab.ledger, 'utf8') : '';
    const lines = ledgerWindow(text, { fromMs: startedAt.getTime(), toMs: endedAt.getTime() + 1 });
    writeFileSync(join(dir, 'ledger.ndjson'), lines.length > 0 ? `${lines.join('\n')}\n` : '');
    upstream = upstreamLoad(lines);
  }
  writeJson(dir, 'run.json', {
    spec: sSpec.name,
    driver: 'native',
    ttftDefinition: result.ttftDefinition,
    target: lab.target,
    seed: sSpec.workload.seed,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    thresholds: sSpec.thresholds,
  });
  const { summary } = await buildReport(dir);
  const wallS = (endedAt.getTime() - startedAt.getTime()) / 1000;
  const cpu = gatewayCpu({ metrics: { before, after }, proc: { before: procBefore, after: procAfter } }, wallS);
  return digestStep({ rate, summary, upstream, gatewayCpu: cpu, runDir: dir });
}

async function searchConfig(
  spec: Spec,
  plan: ConfigPlan,
  root: string,
  o: CapacityOptions,
  search: SearchOptions,
  log: (l: string) => void,
): Promise<ConfigResult> {
  const dir = makeRunDir(join(root, plan.name));
  log(`config ${plan.name}${plan.file ? ` (${plan.file})` : ''}: starting`);
  const lab = await openLab(spec, plan, dir, o, log);
  const steps: Step[] = [];
  let stop: ConfigResult['stop'] = 'converged';
  const stepMs = o.stepMs ?? CAPACITY_DEFAULTS.stepMs;
  try {
    // unmeasured warm-up: connections, JIT and pools, so the first step is not judged cold
    const warm = stepSpec(spec, search.startRate, Math.min(WARMUP_MS, stepMs), o.slo, o.seed);
    const warmOut = join(dir, 'warmup.ndjson');
    const warmSpec = { ...warm, thresholds: {} };
    await runDriver({ spec: warmSpec, target: lab.target, headers: lab.headers, out: warmOut, signal: o.signal, progress: false });
    const deadline = Date.now() + (o.budgetMs ?? CAPACITY_DEFAULTS.budgetMs);
    const maxSteps = o.maxSteps ?? CAPACITY_DEFAULTS.maxSteps;
    for (;;) {
      const next = nextRate(steps.map((s) => ({ rate: s.rate, ok: s.ok })), search);
      if ('done' in next) {
        stop = next.done;
        break;
      }
      if (o.signal?.aborted) {
        stop = 'interrupted';
        break;
      }
      if (steps.length >= maxSteps) {
        stop = 'max-steps';
        break;
      }
      // a step may run past its length by the request timeout while in-flight requests finish
      if (Date.now() + stepMs > deadline) {
        stop = 'time-budget';
        break;
      }
      const n = String(steps.length + 1).padStart(2, '0');
      log(`step ${n}: ${fmtNum(next.rate)} req/s for ${fmtNum(stepMs / 1000)} s`);
      let step = await runStep(lab, spec, next.rate, join(dir, 'steps', `${n}-${next.rate}rps`), o, dir);
      if (o.signal?.aborted) {
        // a step cut short by Ctrl-C measured nothing: it is left out of the search
        log(`step ${n}: interrupted, left out`);
        stop = 'interrupted';
        break;
      }
      log(`step ${n}: ${stepLine(step)}`);
      for (let k = 1; k <= RERUNS && !step.ok && !corroborated(step); k++) {
        if (o.signal?.aborted || Date.now() + RERUN_PAUSE_MS + stepMs > deadline) break;
        log(`step ${n}: nothing upstream or in the gateway explains the failure: running ${fmtNum(next.rate)} req/s again (${k} of ${RERUNS})`);
        await sleep(RERUN_PAUSE_MS);
        const first = relative(root, step.runDir);
        step = { ...(await runStep(lab, spec, next.rate, join(dir, 'steps', `${n}-${next.rate}rps-rerun${k}`), o, dir)), rerunOf: first };
        log(`step ${n}: ${stepLine(step)}`);
      }
      steps.push({ ...step, runDir: relative(root, step.runDir) });
      if (o.signal?.aborted) {
        stop = 'interrupted';
        break;
      }
    }
  } finally {
    await Promise.all(lab.procs.map((p) => p.stop()));
  }
  const rel = plan.file === null ? null : relative(process.cwd(), plan.file);
  const shown = rel === null || rel.startsWith('..') ? plan.file : rel;
  const result = configResult({ name: plan.name, file: shown, steps, stop }, o.profile ?? null);
  const knee = result.knee === null ? 'none' : `${fmtNum(result.knee)}/s`;
  log(`config ${plan.name}: knee ${knee}${result.limit ? `, limit: ${result.limit.cause}` : ''}`);
  return result;
}

export async function runCapacity(o: CapacityOptions): Promise<CapacityResult> {
  const log = o.log ?? (() => {});
  const { spec } = loadSpec(o.spec);
  const search: SearchOptions = {
    startRate: o.search?.startRate ?? CAPACITY_DEFAULTS.startRate,
    maxRate: o.search?.maxRate ?? CAPACITY_DEFAULTS.maxRate,
    factor: o.search?.factor ?? CAPACITY_DEFAULTS.factor,
    tolerance: o.search?.tolerance ?? CAPACITY_DEFAULTS.tolerance,
    minRate: o.search?.minRate ?? (o.search?.startRate ?? CAPACITY_DEFAULTS.startRate) / 16,
  };
  if (search.maxRate < search.startRate) {
    throw new StormlabError('SL_USAGE', '--max-rate must be at least --start-rate', [
      { path: '--max-rate', expected: `>= ${search.startRate} (the start rate)`, received: String(search.maxRate) },
    ]);
  }
  const plans = planConfigs(spec, o);
  const root = makeRunDir(o.out ?? defaultRunDir(`capacity-${spec.name}`));
  const startedAt = new Date().toISOString();
  const configs: ConfigResult[] = [];
  for (const plan of plans) {
    configs.push(await searchConfig(spec, plan, root, o, search, log));
    if (o.signal?.aborted) break;
  }
  const report: CapacityReport = {
    version: 1,
    spec: spec.name,
    slo: {
      text: o.slo.text,
      objectives: o.slo.objectives.map((x) => ({ metric: x.metric, threshold: x.threshold, source: x.source, limit: x.limit })),
    },
    profile: o.profile ? { text: o.profile.text, dailyRequests: o.profile.dailyRequests, peakRps: o.profile.peakRps } : null,
    search: {
      startRate: search.startRate,
      maxRate: search.maxRate,
      factor: search.factor,
      tolerance: search.tolerance,
      stepS: (o.stepMs ?? CAPACITY_DEFAULTS.stepMs) / 1000,
      budgetS: (o.budgetMs ?? CAPACITY_DEFAULTS.budgetMs) / 1000,
    },
    target: o.target ?? null,
    startedAt,
    endedAt: new Date().toISOString(),
    configs,
  };
  const files = await writeCapacityReport(report, root);
  return { dir: root, report, files };
}
