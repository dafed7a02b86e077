/**
 * A small real lab for gateway tests: a mock fleet on loopback ports (fault units through its
 * API) and the reference gateway in front of it, built from a config written in the test.
 */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { FleetSchema } from '../../mock-providers/fleet-schema.js';
import { startFleet, type RunningFleet } from '../../mock-providers/fleet.js';
import type { FaultSpecInput } from '../../mock-providers/chaos/timeline-schema.js';
import type { LedgerEntry } from '../../mock-providers/ledger.js';
import {
  GatewayConfigSchema,
  loadGatewayConfig,
  resolveGatewayConfigFile,
  startGateway,
  type GatewayConfigInput,
  type RunningGateway,
} from '../../gateway/index.js';
import { loadFleet, resolveFleetFile } from '../../mock-providers/index.js';

export const KEY = 'sk-test-gateway-key-0001';

export const model = (name: string, ttft = 30, itl = 3, out = 12, extra: Record<string, unknown> = {}) => ({
  name,
  price: { input: 1, cachedInput: 0.1, output: 2 },
  ttftMs: { dist: 'constant', value: ttft },
  itlMs: { dist: 'constant', value: itl },
  outputTokens: { dist: 'constant', value: out },
  ...extra,
});

/** Two regions (`a`, `b`) of an OpenAI-format provider, one each of Anthropic and Gemini. */
export const LAB_FLEET = {
  seed: 5,
  providers: [
    { name: 'oai', format: 'openai', regions: ['a', 'b'], models: [model('m1'), model('m2', 30, 3, 12)] },
    { name: 'ant', format: 'anthropic', regions: ['a'], models: [model('claude-x')] },
    { name: 'goo', format: 'gemini', regions: ['a'], models: [model('gemini-x')] },
  ],
};

export const PRICES = {
  m1: { input: 1, cachedInput: 0.1, output: 2 },
  m2: { input: 1, cachedInput: 0.1, output: 2 },
  'claude-x': { input: 1, cachedInput: 0.1, output: 2 },
  'gemini-x': { input: 1, cachedInput: 0.1, output: 2 },
};

export const UPSTREAMS = [
  { id: 'oai/a', provider: 'oai', region: 'a', format: 'openai' },
  { id: 'oai/b', provider: 'oai', region: 'b', format: 'openai' },
  { id: 'ant/a', provider: 'ant', region: 'a', format: 'anthropic', prefill: true },
  { id: 'goo/a', provider: 'goo', region: 'a', format: 'gemini' },
] as const;

export interface GatewayLab {
  fleet: RunningFleet;
  gw: RunningGateway;
  url: string;
  ledger: LedgerEntry[];
  /** the gateway's log lines (JSON) */
  logs: string[];
  fault(spec: FaultSpecInput): Promise<void>;
  /** stop every fault */
  reset(): Promise<void>;
  headers(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export type GatewayConfigPart = Partial<GatewayConfigInput> & Pick<GatewayConfigInput, 'routes'>;

/** A real mock fleet: its ledger, its endpoints by id, faults through its control API. */
export interface LabFleet {
  fleet: RunningFleet;
  ledger: LedgerEntry[];
  /** endpoint id → URL, as the gateway's upstreamUrls */
  urls: Record<string, string>;
  fault(spec: FaultSpecInput): Promise<void>;
  /** stop every fault */
  reset(): Promise<void>;
}

export async function startLabFleet(fleetDef: unknown = LAB_FLEET): Promise<LabFleet> {
  const ledger: LedgerEntry[] = [];
  const fleet = await startFleet(FleetSchema.parse(fleetDef), { ledger: (e) => ledger.push(e) });
  return {
    fleet,
    ledger,
    urls: Object.fromEntries(fleet.endpoints.map((e) => [e.id, e.url])),
    // faults go through the fleet's control API, as a game day applies them
    fault: async (spec) => {
      const res = await fetch(`${fleet.control}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
      if (!res.ok) throw new Error(`control API refused the fault: ${res.status} ${await res.text()}`);
    },
    reset: async () => {
      await fetch(`${fleet.control}/reset`, { method: 'POST' });
    },
  };
}

/** The reference gateway on a free port in front of `upstreamUrls`, with the lab's upstreams, key and prices under `config`. */
export async function startLabGateway(
  config: GatewayConfigPart,
  upstreamUrls: Record<string, string>,
): Promise<{ gw: RunningGateway; logs: string[] }> {
  const parsed = GatewayConfigSchema.parse({
    upstreams: UPSTREAMS,
    keys: [{ id: 'tester', key: KEY, tenant: 't1', maxPriority: 'P0' }],
    prices: PRICES,
    ...config,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const gw = await startGateway(parsed, { port: 0, upstreamUrls, logger: { level: 'info', stream: sink } });
  return { gw, logs };
}

export async function startGatewayLab(config: GatewayConfigPart, fleetDef: unknown = LAB_FLEET): Promise<GatewayLab> {
  const lab = await startLabFleet(fleetDef);
  const { gw, logs } = await startLabGateway(config, lab.urls);
  return {
    fleet: lab.fleet,
    gw,
    url: gw.url,
    ledger: lab.ledger,
    logs,
    fault: lab.fault,
    reset: lab.reset,
    headers: (extra = {}) => ({ authorization: `Bearer ${KEY}`, ...extra }),
    close: async () => {
      await gw.close();
      await lab.fleet.close();
    },
  };
}

/** The lab's virtual key, as the load sends it to the default gateway config. */
export const LAB_AUTH = { authorization: 'Bearer sk-stormlab-lab' } as const;

export interface DefaultLab {
  fleet: RunningFleet;
  gateway: RunningGateway;
  /** gateway first, then the fleet (which flushes its ledger); safe to call twice */
  close(): Promise<void>;
}

/** The default fleet (ledger in `dir/ledger.ndjson`) and the default gateway config in front of it, in process. */
export async function startDefaultLab(dir: string, fleetOptions: { control?: false } = {}): Promise<DefaultLab> {
  const fleet = await startFleet(loadFleet(resolveFleetFile('default')), { ledger: join(dir, 'ledger.ndjson'), ...fleetOptions });
  const urls = Object.fromEntries(fleet.endpoints.map((e) => [e.id, e.url]));
  const gateway = await startGateway(loadGatewayConfig(resolveGatewayConfigFile('default')), { port: 0, upstreamUrls: urls });
  let closed = false;
  return {
    fleet,
    gateway,
    close: async () => {
      if (closed) return;
      closed = true;
      await gateway.close();
      await fleet.close();
    },
  };
}
