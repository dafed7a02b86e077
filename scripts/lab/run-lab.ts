/**
 * One lab run, as an API (the `run` command is a thin wrapper): start the mock fleet and the
 * gateway as child processes on free ports (unless the target is an external URL), run the
 * driver, snapshot the gateway metrics, stop everything, and build the report in a run directory
 * that holds all it needs to be rebuilt offline.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDriver } from '../../driver/index.js';
import { loadGatewayConfig, resolveGatewayConfigFile } from '../../gateway/index.js';
import { loadFleet, resolveFleetFile } from '../../mock-providers/index.js';
import { buildReport, type Summary } from '../../reports/index.js';
import { bundleSpec } from '../../scenarios/bundle.js';
import { applyOverrides, loadSpec } from '../../scenarios/load-spec.js';
import type { Spec } from '../../scenarios/spec-schema.js';
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

async function startLab(spec: Spec, runDir: string, log: (l: string) => void) {
  if (!('gateway' in spec.target)) throw new Error('startLab needs a gateway target');
  const fleetFile = resolveFleetFile(spec.target.fleet);
  const gatewayFile = resolveGatewayConfigFile(spec.target.gateway);
  // Validate both in-process first, so a bad file is reported plainly before anything starts.
  writeJson(runDir, 'fleet.json', loadFleet(fleetFile));
  const gatewayConfig = loadGatewayConfig(gatewayFile);

  const procs: LabProcess<unknown>[] = [];
  try {
    const mocks = await spawnCli<MocksReady>('mock fleet', ['mocks', '--fleet', fleetFile, '--json', '--ledger', join(runDir, 'ledger.ndjson')]);
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
    return { target: gateway.ready.url, procs };
  } catch (e) {
    await Promise.all(procs.map((p) => p.stop()));
    throw e;
  }
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

  const runDir = makeRunDir(opts.out ?? defaultRunDir(spec.name));
  writeJson(runDir, 'spec.json', spec);
  const lab = 'url' in spec.target ? { target: spec.target.url.replace(/\/+$/, ''), procs: [] } : await startLab(spec, runDir, log);
  const headers = 'url' in spec.target ? spec.target.headers : {};
  const samples = join(runDir, 'samples.ndjson');
  let thresholdsOk = true;
  // the run's clock starts with the load, not with the lab around it
  const startedAt = new Date();
  let endedAt = startedAt;
  try {
    log(`driver: ${driver}, ${spec.name} against ${lab.target}`);
    if (k6) {
      const bundle = await bundleSpec(spec, join(runDir, 'k6-bundle.js'));
      const code = await runK6({ k6, bundle: bundle.file, samples, target: lab.target, headers });
      thresholdsOk = code !== 99;
    } else {
      const result = await runDriver({ spec, target: lab.target, headers, out: samples });
      thresholdsOk = result.thresholds.every((t) => t.ok);
    }
    endedAt = new Date();
    if (lab.procs.length > 0) await snapshotMetrics(lab.target, runDir);
  } finally {
    await Promise.all(lab.procs.map((p) => p.stop()));
  }
  writeJson(runDir, 'run.json', {
    spec: spec.name,
    driver,
    ttftDefinition: driver === 'k6' ? 'first-byte' : 'first-content-chunk',
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
