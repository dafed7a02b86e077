/**
 * Several real gateway servers in front of one real mock fleet, as instances behind a balancer:
 * each its own process state, logs and /metrics; what they share is whatever their config points
 * at (a Redis).
 */
import { Writable } from 'node:stream';
import { FleetSchema } from '../../mock-providers/fleet-schema.js';
import { startFleet, type RunningFleet } from '../../mock-providers/fleet.js';
import type { LedgerEntry } from '../../mock-providers/ledger.js';
import { GatewayConfigSchema, startGateway, type GatewayConfigInput, type RunningGateway } from '../../gateway/index.js';
import { KEY, LAB_FLEET, PRICES, UPSTREAMS } from './gateway-lab.js';

export interface Instance {
  readonly gw: RunningGateway;
  readonly url: string;
  /** its log lines (JSON) */
  readonly logs: string[];
  /** one sample of its /metrics: `name{labels}` → value */
  metric(nameWithLabels: string): Promise<number | undefined>;
}

export interface Fleet {
  readonly fleet: RunningFleet;
  readonly ledger: LedgerEntry[];
  readonly urls: Record<string, string>;
  fault(spec: Record<string, unknown>): Promise<void>;
  reset(): Promise<void>;
}

export async function startLabFleet(): Promise<Fleet> {
  const ledger: LedgerEntry[] = [];
  const fleet = await startFleet(FleetSchema.parse(LAB_FLEET), { ledger: (e) => ledger.push(e) });
  return {
    fleet,
    ledger,
    urls: Object.fromEntries(fleet.endpoints.map((e) => [e.id, e.url])),
    fault: async (spec) => {
      const res = await fetch(`${fleet.control}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
      if (!res.ok) throw new Error(`control API refused the fault: ${res.status} ${await res.text()}`);
    },
    reset: async () => {
      await fetch(`${fleet.control}/reset`, { method: 'POST' });
    },
  };
}

export async function startInstance(fleet: Fleet, config: Partial<GatewayConfigInput> & Pick<GatewayConfigInput, 'routes'>): Promise<Instance> {
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
  const gw = await startGateway(parsed, { port: 0, upstreamUrls: fleet.urls, logger: { level: 'info', stream: sink } });
  return {
    gw,
    url: gw.url,
    logs,
    metric: async (nameWithLabels) => {
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${nameWithLabels} `));
      return line === undefined ? undefined : Number(line.slice(nameWithLabels.length + 1));
    },
  };
}

/** Poll `read` until `ok` holds (bounded): the last value read. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, withinMs = 5_000): Promise<T> {
  const end = Date.now() + withinMs;
  let v = await read();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    v = await read();
  }
  return v;
}
