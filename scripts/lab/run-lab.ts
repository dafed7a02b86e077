/**
 * One lab run, as an API (the `run` command is a thin wrapper): start the mock fleet and the
 * gateway as child processes on free ports (unless the target is an external URL), run the
 * driver, snapshot the gateway metrics, stop everything, and build the report in a run directory
 * that holds all it needs to be rebuilt offline.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { driverExitCode, parseSegment, runDriver } from '../../driver/index.js';
import { loadGatewayConfig, resolveGatewayConfigFile } from '../../gateway/index.js';
import { loadFleet, resolveFleetFile } from '../../mock-providers/index.js';
import { buildReport, type Summary } from '../../reports/index.js';
import { bundleSpec } from '../../scenarios/bundle.js';
import { applyOverrides, loadSpec } from '../../scenarios/load-spec.js';
import type { Spec } from '../../scenarios/spec-schema.js';
import { StormlabError } from '../../core/errors.js';
import { requireK6, runK6 } from './k6.js';
import { spawnCli, type LabProcess } from './processes.js';
import { defaultRunDir, makeRunDir, writeJson } from './run-dir.js';

export interface RunLabOptions {
  /** built-in spec name or a YAML path */
  spec: string;
  durationMs?: number;
  rate?: number;
  seed?: number;
  /** run directory (default runs/<timestamp>-<spec>) */
  out?: string;
  /** an external OpenAI-compatible base URL instead of our gateway */
  target?: string;
  driver?: 'native' | 'k6';
  /** with `--driver k6`: bundle with xk6-sse so TTFT is the first content event */
  sse?: boolean;
  /** run only this share of the schedule (k6 execution segments: `0:1/3`), to split one spec over several runners */
  segment?: string;
  /** progress lines for a person */
  log?: (line: string) => void;
}

export interface RunLabResult {
  runDir: string;
  summary: Summary;
  /** false when a spec threshold was crossed */
  thresholdsOk: boolean;
}

interface Endpoint {
  id: string;
  url: string;
}

/** `stormlab mocks --json`: `{ control, endpoints }` (or, from older fleets, the bare endpoint array). */
type MocksReady = Endpoint[] | { control?: string; endpoints: Endpoint[] };

export async function startLab(spec: Spec, runDir: string, log: (l: string) => void) {
  if (!('gateway' in spec.target)) throw new Error('startLab needs a gateway target');
  const fleetFile = resolveFleetFile(spec.target.fleet);
  const gatewayFile = resolveGatewayConfigFile(spec.target.gateway);
  // Validate both in-process first, so a bad file is reported plainly before anything starts.
  writeJson(runDir, 'fleet.json', loadFleet(fleetFile));
  const gatewayConfig = loadGatewayConfig(gatewayFile);

  const procs: LabProcess<unknown>[] = [];
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
    const gateway = await spawnCli<{ url: string }>('gateway', ['gateway', '--config', gatewayFile, '--port', '0', '--upstreams', endpointsFile, '--json']);
    procs.push(gateway);
    const urls = Object.fromEntries(endpoints.map((e) => [e.id, e.url]));
    writeJson(runDir, 'gateway.json', {
      ...gatewayConfig,
      upstreams: gatewayConfig.upstreams.map((u) => ({ ...u, url: u.url ?? urls[u.id] })),
    });
    log(`gateway: ${gateway.ready.url}`);
    const control = Array.isArray(mocks.ready) ? undefined : mocks.ready.control;
    return { target: gateway.ready.url, procs, control };
  } catch (e) {
    await Promise.all(procs.map((p) => p.stop()));
    throw e;
  }
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

async function snapshotMetrics(target: string, runDir: string): Promise<void> {
  try {
    const res = await fetch(`${target}/metrics`, { signal: AbortSignal.timeout(5000) });
    if (res.ok) writeFileSync(join(runDir, 'metrics.prom'), await res.text());
  } catch {
    // the snapshot is a bonus; a gateway that cannot give one does not fail the run
  }
}

export async function runLab(opts: RunLabOptions): Promise<RunLabResult> {
  const log = opts.log ?? (() => {});
  const driver = opts.driver ?? 'native';
  const loaded = loadSpec(opts.spec);
  let spec = applyOverrides(loaded.spec, { durationMs: opts.durationMs, rate: opts.rate, seed: opts.seed });
  if (opts.target) spec = { ...spec, target: { url: opts.target, headers: 'url' in spec.target ? spec.target.headers : {} } };
  const k6 = driver === 'k6' ? requireK6() : undefined;
  if (opts.segment !== undefined) parseSegment(opts.segment); // a bad segment fails before anything starts

  const runDir = makeRunDir(opts.out ?? defaultRunDir(spec.name));
  writeJson(runDir, 'spec.json', spec);
  const lab: { target: string; procs: LabProcess<unknown>[]; control?: string } =
    'url' in spec.target ? { target: spec.target.url.replace(/\/+$/, ''), procs: [] } : await startLab(spec, runDir, log);
  const headers = 'url' in spec.target ? spec.target.headers : {};
  const samples = join(runDir, 'samples.ndjson');
  let thresholdsOk = true;
  let ttftDefinition = 'first-content-chunk';
  // the run's clock starts with the load, not with the lab around it
  const startedAt = new Date();
  let endedAt = startedAt;
  try {
    log(`driver: ${driver}, ${spec.name} against ${lab.target}`);
    if (spec.chaos.length > 0) {
      if (lab.control) {
        await startChaos(lab.control, spec.chaos, startedAt.getTime());
        log(`chaos: ${spec.chaos.length} timeline event(s) handed to the fleet`);
      } else log('chaos: the timeline is not applied: the target is not the lab fleet (--target)');
    }
    if (k6) {
      const bundle = await bundleSpec(spec, join(runDir, 'k6-bundle.js'), { sse: opts.sse === true });
      ttftDefinition = bundle.ttftDefinition;
      const code = await runK6({ k6, bundle: bundle.file, samples, target: lab.target, headers, segment: opts.segment });
      thresholdsOk = code !== 99;
    } else {
      const result = await runDriver({ spec, target: lab.target, headers, out: samples, segment: opts.segment });
      thresholdsOk = driverExitCode(result) === 0;
    }
    endedAt = new Date();
    if (lab.procs.length > 0) await snapshotMetrics(lab.target, runDir);
  } finally {
    await Promise.all(lab.procs.map((p) => p.stop()));
  }
  writeJson(runDir, 'run.json', {
    spec: spec.name,
    driver,
    ttftDefinition,
    ...(opts.segment ? { segment: opts.segment } : {}),
    target: lab.target,
    seed: spec.workload.seed,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    thresholds: spec.thresholds,
  });
  const { summary } = await buildReport(runDir);
  if (summary.thresholds.length > 0) thresholdsOk = summary.thresholds.every((t) => t.ok);
  return { runDir, summary, thresholdsOk };
}
