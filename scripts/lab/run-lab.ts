/**
 * One lab run, as an API (the `run` command is a thin wrapper): start the mock fleet and the
 * gateway as child processes on free ports (unless the target is an external URL), run the
 * driver, snapshot the gateway metrics, stop everything, and build the report in a run directory
 * that holds all it needs to be rebuilt offline. With `interrupt`, a first signal ends the load
 * gracefully and the report covers what ran; a second cuts everything at once (./interrupt.ts).
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { driverExitCode, parseSegment, runDriver } from '../../driver/index.js';
import { loadGatewayConfig, resolveGatewayConfigFile } from '../../gateway/index.js';
import { loadFleet, resolveFleetFile } from '../../mock-providers/index.js';
import { buildReport, type Summary } from '../../reports/index.js';
import { bundleSpec } from '../../scenarios/bundle.js';
import { applyOverrides, loadSpec } from '../../scenarios/load-spec.js';
import type { Spec } from '../../scenarios/spec-schema.js';
import { StormlabError } from '../../core/errors.js';
import { type Interrupt, type InterruptInfo, unlessAborted } from './interrupt.js';
import { K6_EXTERNAL_ABORT, requireK6, runK6 } from './k6.js';
import { startGatewayTier, type InstanceGroup, type Stoppable } from './instances.js';
import { spawnCli, stopAll, type LabProcess } from './processes.js';
import { defaultRunDir, makeRunDir, writeJson } from './run-dir.js';
import { startRegionalLab, type RegionalGateway } from './regions.js';
import { plannedOf, RunJson, type LabRecord } from './run-record.js';

export interface LabReady {
  /** where the load goes */
  target: string;
  /** the fleet's control API, when the lab runs the fleet */
  control?: string;
  /** the fleet's endpoints, when the lab runs the fleet */
  endpoints: Endpoint[];
  /** the gateway instances, when the lab runs several behind its front (`target.instances`) */
  instances?: InstanceGroup;
}

export interface RunLabOptions {
  /** built-in spec name, a YAML path, or a spec already loaded */
  spec: string | Spec;
  durationMs?: number;
  rate?: number;
  seed?: number;
  /** run directory (default runs/<timestamp>-<spec>) */
  out?: string;
  /** an external OpenAI-compatible base URL instead of our gateway */
  target?: string;
  /** with `target`: headers for every request (e.g. that gateway's API key), over the spec's own */
  headers?: Record<string, string>;
  /** a gateway config (built-in name or path) in place of the spec's `target.gateway` */
  gateway?: string;
  /** how many gateway instances, in place of the spec's `target.instances` */
  instances?: number;
  driver?: 'native' | 'k6';
  /** with `--driver k6`: bundle with xk6-sse so TTFT is the first content event */
  sse?: boolean;
  /** run only this share of the schedule (k6 execution segments: `0:1/3`), to split one spec over several runners */
  segment?: string;
  /**
   * with `target`: still run the mock fleet (on stable ports from `basePort` when given) and apply
   * the chaos timeline through it — the external gateway is configured to call these endpoints
   */
  fleetBehindTarget?: { basePort?: number; fleet?: string };
  /** called once the lab is up, before the load starts (e.g. to start scraping the gateway) */
  onReady?: (lab: LabReady) => Promise<void>;
  /** called after the load, while the lab still runs (e.g. to wait for alerts to resolve) */
  beforeStop?: () => Promise<void>;
  /** progress lines for a person */
  log?: (line: string) => void;
  /**
   * Ctrl-C handling, usually an InterruptController shared by the command: after `stop` the load
   * ends gracefully and the report covers what ran (`interrupted` in the result, `run.interrupted`
   * in the summary); after `abort` everything is cut at once and runLab rejects with SL_RUN_ABORTED.
   */
  interrupt?: Interrupt;
}

export interface RunLabResult {
  runDir: string;
  summary: Summary;
  /** false when a spec threshold was crossed */
  thresholdsOk: boolean;
  /** the signal that stopped the load before its schedule ended, when one did */
  interrupted?: InterruptInfo;
}

interface Endpoint {
  id: string;
  url: string;
}

/** `stormlab mocks --json`: `{ control, endpoints }` (or, from older fleets, the bare endpoint array). */
type MocksReady = Endpoint[] | { control?: string; endpoints: Endpoint[] };

interface Lab {
  target: string;
  procs: Stoppable[];
  control?: string;
  record?: LabRecord;
  endpoints: Endpoint[];
  instances?: InstanceGroup;
  /** with a spec topology: client region → where its load goes, and the gateway of each region */
  targets?: Record<string, string>;
  gateways?: RegionalGateway[];
}

/** A spec with a topology: the fleet, a gateway per region and the latency relays (./regions.ts). */
async function startRegions(spec: Spec, runDir: string, log: (l: string) => void, stopped?: AbortSignal): Promise<Lab> {
  const lab = await startRegionalLab(spec, runDir, log, stopped);
  const first = lab.gateways[0] as RegionalGateway;
  const record: LabRecord = {
    fleet: { pid: lab.procs[0]?.child.pid, ...(lab.control ? { control: lab.control } : {}) },
    gateway: { pid: first.pid, url: first.url },
    gateways: lab.gateways.map((g) => ({ region: g.region, pid: g.pid, url: g.url })),
    targets: lab.targets,
  };
  const { procs, control, endpoints, targets, gateways } = lab;
  return { target: first.url, procs, control, record, endpoints, targets, gateways };
}

/** Start the fleet, then the gateway; `stopped` (a signal) keeps the next one from starting. */
export async function startLab(spec: Spec, runDir: string, log: (l: string) => void, stopped?: AbortSignal): Promise<Lab> {
  if (!('gateway' in spec.target)) throw new Error('startLab needs a gateway target');
  const fleetFile = resolveFleetFile(spec.target.fleet);
  const gatewayFile = resolveGatewayConfigFile(spec.target.gateway);
  // Validate both in-process first, so a bad file is reported plainly before anything starts.
  writeJson(runDir, 'fleet.json', loadFleet(fleetFile));
  const gatewayConfig = loadGatewayConfig(gatewayFile);

  const procs: Stoppable[] = [];
  try {
    const mocks = await spawnCli<MocksReady>('mock fleet', [
      'mocks',
      '--fleet',
      fleetFile,
      '--json',
      '--ledger',
      join(runDir, 'ledger.ndjson'),
      '--chaos-log',
      join(runDir, 'chaos.ndjson'),
    ]);
    procs.push(mocks);
    const endpoints = Array.isArray(mocks.ready) ? mocks.ready : mocks.ready.endpoints;
    const endpointsFile = writeJson(runDir, 'endpoints.json', endpoints);
    log(`fleet: ${endpoints.length} endpoints (${endpoints.map((e) => e.id).join(', ')})`);
    if (stopped?.aborted) throw new Error('stopped while the lab was starting');
    const count = spec.target.instances ?? 1;
    const tier = await startGatewayTier({ count, configFile: gatewayFile, endpointsFile, runDir, log, stopped });
    procs.push(...tier.procs);
    const gateway = tier.first;
    const urls = Object.fromEntries(endpoints.map((e) => [e.id, e.url]));
    writeJson(runDir, 'gateway.json', {
      ...gatewayConfig,
      upstreams: gatewayConfig.upstreams.map((u) => ({ ...u, url: u.url ?? urls[u.id] })),
    });
    if (!tier.group) log(`gateway: ${gateway.ready.url}`);
    const control = Array.isArray(mocks.ready) ? undefined : mocks.ready.control;
    const record: LabRecord = {
      fleet: { pid: mocks.child.pid, ...(control ? { control } : {}) },
      gateway: { pid: gateway.child.pid, url: tier.target },
    };
    return { target: tier.target, procs, control, record, endpoints, ...(tier.group ? { instances: tier.group } : {}) };
  } catch (e) {
    await Promise.all(procs.map((p) => p.stop()));
    throw e;
  }
}

/** The mock fleet alone, for an external gateway to call (`fleetBehindTarget`). */
async function startFleetOnly(fleet: string, target: string, runDir: string, basePort: number | undefined, log: (l: string) => void) {
  const fleetFile = resolveFleetFile(fleet);
  writeJson(runDir, 'fleet.json', loadFleet(fleetFile));
  const ports = basePort === undefined ? [] : ['--base-port', String(basePort)];
  const mocks = await spawnCli<MocksReady>('mock fleet', [
    'mocks',
    '--fleet',
    fleetFile,
    '--json',
    ...ports,
    '--ledger',
    join(runDir, 'ledger.ndjson'),
    '--chaos-log',
    join(runDir, 'chaos.ndjson'),
  ]);
  const endpoints = Array.isArray(mocks.ready) ? mocks.ready : mocks.ready.endpoints;
  writeJson(runDir, 'endpoints.json', endpoints);
  log(`fleet: ${endpoints.length} endpoints behind ${target}`);
  const control = Array.isArray(mocks.ready) ? undefined : mocks.ready.control;
  return { target, procs: [mocks] as LabProcess<unknown>[], control, endpoints };
}

/**
 * Hand the spec's chaos timeline to the fleet, to run from `startAtMs` (the load's start). The
 * spec holds durations in ms; the control API reads bare numbers as seconds, so they go as `…ms`.
 */
async function startChaos(control: string, chaos: Spec['chaos'], startAtMs: number): Promise<void> {
  const events = chaos.map((e) => ({ ...e, at: `${e.at}ms`, ...(e.for === undefined ? {} : { for: `${e.for}ms` }) }));
  const res = await fetch(`${control}/timeline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ startAtMs, events }),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new StormlabError('SL_PROCESS_FAILED', `the mock fleet refused the chaos timeline (${res.status}): ${await res.text()}`);
}

async function snapshotMetrics(target: string, runDir: string, abort?: AbortSignal, file = 'metrics.prom') {
  try {
    const timeout = AbortSignal.timeout(5000);
    const res = await fetch(`${target}/metrics`, { signal: abort ? AbortSignal.any([timeout, abort]) : timeout });
    if (res.ok) writeFileSync(join(runDir, file), await res.text());
  } catch {
    // the snapshot is a bonus; a gateway that cannot give one does not fail the run
  }
}

function abortedError(runDir: string): StormlabError {
  const where = relative(process.cwd(), runDir) || '.';
  return new StormlabError(
    'SL_RUN_ABORTED',
    `aborted at once by a second signal: no report was built. What ran is in ${where}; ` +
      `rebuild its report with \`stormlab report ${where}\``,
  );
}

export async function runLab(opts: RunLabOptions): Promise<RunLabResult> {
  const log = opts.log ?? (() => {});
  const driver = opts.driver ?? 'native';
  const intr = opts.interrupt;
  const loaded = typeof opts.spec === 'string' ? loadSpec(opts.spec).spec : opts.spec;
  let spec = applyOverrides(loaded, { durationMs: opts.durationMs, rate: opts.rate, seed: opts.seed });
  if (opts.gateway !== undefined && 'gateway' in spec.target) spec = { ...spec, target: { ...spec.target, gateway: opts.gateway } };
  if (opts.instances !== undefined && 'gateway' in spec.target)
    spec = { ...spec, target: { ...spec.target, instances: opts.instances } };
  if (opts.target) {
    const own = 'url' in spec.target ? spec.target.headers : {};
    spec = { ...spec, target: { url: opts.target, headers: { ...own, ...opts.headers } } };
  }
  if (opts.target && loaded.topology) {
    const why = `${loaded.name} has a topology: it runs against the lab's own gateway per region, not --target`;
    throw new StormlabError('SL_USAGE', why);
  }
  if (spec.topology && 'gateway' in spec.target && (spec.target.instances ?? 1) > 1) {
    const why = `${spec.name} has a topology: it runs one gateway per region, not several instances behind one front`;
    throw new StormlabError('SL_USAGE', why);
  }
  if (driver === 'k6' && spec.topology) {
    const why = `${spec.name} has a topology: its clients in several regions run on the native driver (--driver native)`;
    throw new StormlabError('SL_USAGE', why);
  }
  const k6 = driver === 'k6' ? requireK6() : undefined;
  if (opts.segment !== undefined) parseSegment(opts.segment); // a bad segment fails before anything starts

  const runDir = makeRunDir(opts.out ?? defaultRunDir(spec.name));
  const aborted = () => abortedError(runDir);
  writeJson(runDir, 'spec.json', spec);
  let lab: Lab;
  // a signal while the lab starts: stop what started, and leave (nothing ran, there is nothing to report)
  const stopped = intr ? AbortSignal.any([intr.stop, intr.abort]) : undefined;
  const external = 'url' in spec.target ? spec.target.url.replace(/\/+$/, '') : undefined;
  const fleetOnly = (behind: NonNullable<RunLabOptions['fleetBehindTarget']>, url: string) =>
    startFleetOnly(behind.fleet ?? ('gateway' in loaded.target ? loaded.target.fleet : 'default'), url, runDir, behind.basePort, log);
  try {
    const starting =
      external === undefined
        ? spec.topology
          ? startRegions(spec, runDir, log, stopped)
          : startLab(spec, runDir, log, stopped)
        : opts.fleetBehindTarget
          ? fleetOnly(opts.fleetBehindTarget, external)
          : Promise.resolve<Lab>({ target: external, procs: [], endpoints: [] });
    lab = await unlessAborted(starting, stopped, () => new Error('stopped'));
    if (stopped?.aborted) {
      await Promise.all(lab.procs.map((p) => p.stop(1000)));
      throw new Error('stopped');
    }
  } catch (e) {
    if (!intr || !stopped?.aborted) throw e;
    await stopAll(1000);
    if (intr.abort.aborted) throw aborted();
    throw new StormlabError('SL_RUN_INTERRUPTED', `${intr.first?.signal ?? 'a signal'} before the load started: nothing ran, so there is no report`);
  }
  const headers = 'url' in spec.target ? spec.target.headers : { authorization: `Bearer ${spec.target.apiKey}` };
  const samples = join(runDir, 'samples.ndjson');
  let thresholdsOk = true;
  let stoppedEarly = false;
  let cut: number | null = null;
  let record: RunJson | undefined;
  try {
    const bundle = k6 ? await bundleSpec(spec, join(runDir, 'k6-bundle.js'), { sse: opts.sse === true }) : undefined;
    if (opts.onReady) {
      const ready = { target: lab.target, endpoints: lab.endpoints, ...(lab.instances ? { instances: lab.instances } : {}) };
      await opts.onReady({ ...ready, ...(lab.control ? { control: lab.control } : {}) });
    }
    // the run's clock starts with the load, not with the lab around it
    const startedAt = new Date();
    record = new RunJson(runDir, {
      spec: spec.name,
      driver,
      ttftDefinition: bundle ? bundle.ttftDefinition : 'first-content-chunk',
      ...(opts.segment ? { segment: opts.segment } : {}),
      target: lab.target,
      seed: spec.workload.seed,
      startedAt: startedAt.toISOString(),
      planned: plannedOf(spec, opts.segment),
      thresholds: spec.thresholds,
      ...(lab.record ? { lab: lab.record } : {}),
    });
    log(`driver: ${driver}, ${spec.name} against ${lab.target}`);
    if (spec.chaos.length > 0) {
      if (lab.control) {
        await startChaos(lab.control, spec.chaos, startedAt.getTime());
        log(`chaos: ${spec.chaos.length} timeline event(s) handed to the fleet`);
      } else log('chaos: the timeline is not applied: the target is not the lab fleet (--target)');
    }
    if (k6 && bundle) {
      const code = await runK6({
        k6,
        bundle: bundle.file,
        samples,
        target: lab.target,
        headers,
        segment: opts.segment,
        stop: intr?.stop,
        abort: intr?.abort,
      });
      thresholdsOk = code !== 99;
      stoppedEarly = code === K6_EXTERNAL_ABORT || intr?.stop.aborted === true;
    } else {
      const result = await runDriver({
        spec,
        target: lab.target,
        ...(lab.targets ? { targets: lab.targets } : {}),
        headers,
        out: samples,
        segment: opts.segment,
        stop: intr?.stop,
        stopGraceMs: intr?.graceMs,
        signal: intr?.abort,
      });
      thresholdsOk = driverExitCode(result) === 0;
      stoppedEarly = result.aborted === 'stop' || (result.aborted === 'signal' && intr?.abort.aborted === true);
      cut = result.interrupted;
    }
    const endedAt = new Date();
    await opts.beforeStop?.();
    if (lab.procs.length > 0 && !intr?.abort.aborted) {
      // one snapshot per regional gateway (metrics.<region>.prom), the report adds them up; several
      // instances: the first one running (through the front, any one would answer)
      const regional = lab.gateways?.map((g) => ({ url: g.url, file: `metrics.${g.region}.prom` }));
      const first = lab.instances ? lab.instances.urls().find((_, i) => lab.instances?.running(i + 1)) : lab.target;
      const snaps = regional ?? (first ? [{ url: first, file: 'metrics.prom' }] : []);
      await Promise.all(snaps.map((s) => snapshotMetrics(s.url, runDir, intr?.abort, s.file)));
    }
    const status = intr?.abort.aborted ? 'aborted' : stoppedEarly ? 'interrupted' : 'complete';
    record.end(endedAt, { status, signal: intr?.first, cut });
  } catch (e) {
    record?.end(new Date(), { status: intr?.abort.aborted ? 'aborted' : 'failed', signal: intr?.first, cut });
    throw intr?.abort.aborted ? aborted() : e;
  } finally {
    await Promise.all(lab.procs.map((p) => p.stop(intr?.abort.aborted ? 1000 : 5000)));
  }
  if (intr?.abort.aborted) throw aborted();
  const { summary } = await unlessAborted(buildReport(runDir), intr?.abort, aborted);
  if (summary.thresholds.length > 0) thresholdsOk = summary.thresholds.every((t) => t.ok);
  return { runDir, summary, thresholdsOk, ...(stoppedEarly && intr?.first ? { interrupted: intr.first } : {}) };
}
