/**
 * Start a fleet: one endpoint per provider × region, each on its own port, all writing to one
 * ledger; a chaos engine that applies timelines (the fleet's own `chaos:`, applyTimeline, the
 * control API) and logs every fault start and stop; and the control API on a loopback port.
 * Regions can be killed and revived by id while a run is going.
 */
import { StormlabError } from '../core/errors.js';
import { createChaosLog, type ChaosLogEntry, type ChaosLogOption } from './chaos/chaos-log.js';
import { ChaosEngine, type FaultInfo } from './chaos/engine.js';
import type { ChaosEvent, FaultSpec } from './chaos/timeline-schema.js';
import { startControl, type ControlOptions, type ControlServer } from './control/server.js';
import { createEndpoint, type Endpoint, type EndpointInfo } from './endpoint.js';
import { reserveFds } from './fd-table.js';
import { fleetNames, type Fleet } from './fleet-schema.js';
import { createLedger, type LedgerSinkOption } from './ledger.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { createQualityModel } from './quality/index.js';

export interface StartFleetOptions {
  /** NDJSON file to append to, or a callback per entry */
  ledger?: LedgerSinkOption;
  /** the chaos event log: NDJSON file to append to, or a callback per fault start/stop */
  chaosLog?: ChaosLogOption;
  /** overrides fleet.host */
  host?: string;
  /**
   * stable ports: endpoint i (in fleet order) listens on basePort + i, and the control API (unless
   * given its own port) on the next one; absent → free ports
   */
  basePort?: number;
  /** the control API: false → none; default a free port on 127.0.0.1 */
  control?: false | ControlOptions;
  /**
   * grow the process's descriptor table to this many before serving (fd-table.ts), so crossing
   * 256, 512, 1024… open connections does not stall the event loop; capped by `ulimit -n`, once
   * per process; 0 → leave it. Default 16,384.
   */
  reserveFds?: number;
}

const RESERVE_FDS = 16_384;

export interface RunningFleet {
  /** in fleet order (providers, then their regions); `url` stays valid across stop/start */
  readonly endpoints: EndpointInfo[];
  /** the control API's base URL, null when disabled */
  readonly control: string | null;
  /** a dead region: the port refuses connections and calls in flight are cut */
  stopEndpoint(id: string): Promise<void>;
  /** serve again on the same port (unless an outage-refuse fault still holds it down) */
  startEndpoint(id: string): Promise<void>;
  /** is the endpoint's port open */
  isUp(id: string): boolean;
  /** calls not yet ended (all endpoints, or one) */
  inFlight(id?: string): number;
  /**
   * Schedule a timeline relative to `startAtMs` (epoch ms, default now), run by the fleet's own
   * timers. Resolves once the events already due act.
   */
  applyTimeline(events: ChaosEvent[], startAtMs?: number): Promise<FaultInfo[]>;
  /** active and scheduled faults */
  faults(): FaultInfo[];
  fault(id: string): FaultInfo | undefined;
  /** start one fault now */
  addFault(spec: FaultSpec): Promise<FaultInfo>;
  /** stop or cancel one fault (MOCK_FAULT_NOT_FOUND when unknown) */
  removeFault(id: string): Promise<void>;
  /** stop and cancel every fault */
  resetFaults(): Promise<void>;
  /** the chaos event log so far (the most recent 10,000) */
  chaosEvents(): readonly ChaosLogEntry[];
  /** stop everything, log the stop of every active fault, flush the ledger and the chaos log */
  close(): Promise<void>;
}

const MANUAL = '(stopEndpoint)';

export async function startFleet(fleet: Fleet, opts: StartFleetOptions = {}): Promise<RunningFleet> {
  await reserveFds(opts.reserveFds ?? RESERVE_FDS);
  const quality = createQualityModel(fleet.seed, fleet.quality);
  const ledger = createLedger(opts.ledger);
  const log = createChaosLog(opts.chaosLog);
  const host = opts.host ?? fleet.host;
  const byId = new Map<string, Endpoint>();
  const get = (id: string): Endpoint => {
    const ep = byId.get(id);
    if (!ep) throw new StormlabError('SL_USAGE', `no endpoint "${id}" in this fleet`, [{ path: 'endpoint', expected: `one of ${[...byId.keys()].join(', ')}`, received: id }]);
    return ep;
  };
  const chaos = new ChaosEngine(fleet.seed, fleetNames(fleet), log, {
    endpoints: () => [...byId.values()].map((ep) => ep.info),
    hold: (id, faultId) => get(id).hold(faultId, 'outage-refuse'),
    release: (id, faultId) => get(id).release(faultId),
    endHung: (faultId) => {
      for (const ep of byId.values()) ep.endHung(faultId);
    },
  });

  let control: ControlServer | undefined;
  const shutdown = async (): Promise<void> => {
    await control?.close();
    // ports first (calls in flight are cut and ledgered), then the faults stop (logged as closed)
    await Promise.all([...byId.values()].map((ep) => ep.close()));
    await chaos.close();
    await ledger.close();
  };

  const running: RunningFleet = {
    endpoints: [],
    control: null,
    stopEndpoint: async (id) => get(id).hold(MANUAL, 'endpoint_stopped'),
    startEndpoint: async (id) => get(id).release(MANUAL),
    isUp: (id) => get(id).running,
    inFlight: (id) => (id === undefined ? [...byId.values()] : [get(id)]).reduce((n, ep) => n + ep.inFlight, 0),
    applyTimeline: (events, startAtMs) => chaos.applyTimeline(events, startAtMs),
    faults: () => chaos.list(),
    fault: (id) => chaos.get(id),
    addFault: (spec) => chaos.add(spec),
    removeFault: (id) => chaos.remove(id),
    resetFaults: () => chaos.reset(),
    chaosEvents: () => chaos.events(),
    close: () => (closing ??= shutdown()),
  };
  let closing: Promise<void> | undefined;

  try {
    let next = opts.basePort;
    for (const provider of fleet.providers) {
      // rate limits are per organisation across all regions of a provider
      const limiter = new RateLimiter();
      for (const region of provider.regions) {
        const port = next === undefined ? undefined : next++;
        const ep = await createEndpoint({ seed: fleet.seed, provider, region, host, ledger, chaos, limiter, quality, ...(port === undefined ? {} : { port }) });
        byId.set(ep.info.id, ep);
      }
    }
    (running as { endpoints: EndpointInfo[] }).endpoints = [...byId.values()].map((ep) => ep.info);
    if (opts.control !== false) {
      const controlOpts = opts.control ?? {};
      control = await startControl(running, next === undefined || controlOpts.port !== undefined ? controlOpts : { ...controlOpts, port: next });
      (running as { control: string | null }).control = control.url;
    }
    if (fleet.chaos.length > 0) await chaos.applyTimeline(fleet.chaos, Date.now(), 'fleet');
  } catch (e) {
    await shutdown().catch(() => undefined);
    throw e;
  }
  return running;
}
