/**
 * Start a fleet: one endpoint per provider × region, each on its own port, all writing to one
 * ledger. Regions can be killed and revived by id while a run is going.
 */
import { StormlabError } from '../core/errors.js';
import { createEndpoint, type Endpoint, type EndpointInfo } from './endpoint.js';
import type { Fleet } from './fleet-schema.js';
import { createLedger, type LedgerSinkOption } from './ledger.js';

export interface StartFleetOptions {
  /** NDJSON file to append to, or a callback per entry */
  ledger?: LedgerSinkOption;
  /** overrides fleet.host */
  host?: string;
}

export interface RunningFleet {
  /** in fleet order (providers, then their regions); `url` stays valid across stop/start */
  readonly endpoints: EndpointInfo[];
  /** a dead region: the port refuses connections and calls in flight are cut */
  stopEndpoint(id: string): Promise<void>;
  /** serve again on the same port */
  startEndpoint(id: string): Promise<void>;
  /** calls not yet ended (all endpoints, or one) */
  inFlight(id?: string): number;
  /** stop everything and flush the ledger */
  close(): Promise<void>;
}

export async function startFleet(fleet: Fleet, opts: StartFleetOptions = {}): Promise<RunningFleet> {
  const ledger = createLedger(opts.ledger);
  const host = opts.host ?? fleet.host;
  const byId = new Map<string, Endpoint>();
  try {
    for (const provider of fleet.providers) {
      for (const region of provider.regions) {
        const ep = await createEndpoint({ seed: fleet.seed, provider, region, host, ledger });
        byId.set(ep.info.id, ep);
      }
    }
  } catch (e) {
    await Promise.allSettled([...byId.values()].map((ep) => ep.close()));
    await ledger.close();
    throw e;
  }

  const get = (id: string): Endpoint => {
    const ep = byId.get(id);
    if (!ep) throw new StormlabError('SL_USAGE', `no endpoint "${id}" in this fleet`, [{ path: 'endpoint', expected: `one of ${[...byId.keys()].join(', ')}`, received: id }]);
    return ep;
  };
  let closing: Promise<void> | undefined;
  return {
    endpoints: [...byId.values()].map((ep) => ep.info),
    stopEndpoint: async (id) => get(id).stop(),
    startEndpoint: async (id) => get(id).start(),
    inFlight: (id) => (id === undefined ? [...byId.values()] : [get(id)]).reduce((n, ep) => n + ep.inFlight, 0),
    close() {
      closing ??= (async () => {
        await Promise.all([...byId.values()].map((ep) => ep.close()));
        await ledger.close();
      })();
      return closing;
    },
  };
}
