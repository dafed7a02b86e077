/**
 * The lab's regions: where clients and gateways sit, where each fleet region lies, and the
 * round-trip time between two regions. Pure TS (k6-safe): the workload tags each request with its
 * client region and the gateway it is routed to; the lab sizes its latency relays from the same
 * numbers; the report places the regions that served requests.
 */

/** What the workload and the lab read of a spec's `topology` (scenarios/topology-schema.ts). */
export interface Topology {
  /** regions with a gateway, in order of preference on a tie */
  gateways: string[];
  /** client regions (default: the classes' `clientRegion`s) */
  clients?: string[] | undefined;
  /** round-trip times in ms, either direction: `{ us-east: { eu-west: 80 } }` (adds to and overrides the defaults) */
  rttMs: Record<string, Record<string, number>>;
  /** round trip inside one region */
  sameRegionRttMs: number;
  /** fleet region name → lab region (adds to and overrides DEFAULT_LOCATIONS) */
  locations: Record<string, string>;
  /** a new connection pays one round trip before its first byte, as a TCP handshake does */
  handshake: boolean;
}

/**
 * Round-trip times between the default lab regions, ms: rounded public inter-region figures
 * (cloud providers' published region-to-region latency tables; Virginia, Iowa, Ireland/London,
 * Singapore, Hangzhou). A spec's `topology.rttMs` overrides any of them.
 */
export const DEFAULT_RTT_MS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'us-east': { 'us-central': 30, 'eu-west': 80, 'ap-southeast': 220, 'cn-east': 230 },
  'us-central': { 'eu-west': 105, 'ap-southeast': 190, 'cn-east': 210 },
  'eu-west': { 'ap-southeast': 160, 'cn-east': 220 },
  'ap-southeast': { 'cn-east': 50 },
};

/** The default lab regions. */
export const DEFAULT_REGIONS: readonly string[] = ['us-east', 'us-central', 'eu-west', 'ap-southeast', 'cn-east'];

/** Where the fleets' provider regions lie (a lab region's own name lies in itself). */
export const DEFAULT_LOCATIONS: Readonly<Record<string, string>> = {
  eastus: 'us-east',
  'us-east-1': 'us-east',
  'us-east1': 'us-east',
  'us-central1': 'us-central',
  centralus: 'us-central',
  westeurope: 'eu-west',
  'eu-west-1': 'eu-west',
  'europe-west1': 'eu-west',
  'europe-west4': 'eu-west',
  southeastasia: 'ap-southeast',
  'ap-southeast-1': 'ap-southeast',
  'asia-southeast1': 'ap-southeast',
  'cn-hangzhou': 'cn-east',
};

/** Own property (k6's runtime predates Object.hasOwn). */
function has(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** The lab regions a topology can name: the defaults, its gateways and clients, and where its locations point. */
export function knownRegions(t: Pick<Topology, 'gateways' | 'clients' | 'locations'>): string[] {
  const all = new Set([...DEFAULT_REGIONS, ...t.gateways, ...(t.clients ?? []), ...Object.values(t.locations)]);
  return [...all];
}

/** The lab region a fleet region lies in; undefined when the topology does not place it. */
export function labRegionOf(
  t: Pick<Topology, 'gateways' | 'clients' | 'locations'>,
  fleetRegion: string,
): string | undefined {
  if (has(t.locations, fleetRegion)) return t.locations[fleetRegion];
  if (knownRegions(t).includes(fleetRegion)) return fleetRegion;
  return has(DEFAULT_LOCATIONS, fleetRegion) ? DEFAULT_LOCATIONS[fleetRegion] : undefined;
}

type Matrix = Readonly<Record<string, Readonly<Record<string, number>>>>;

function lookup(table: Matrix, a: string, b: string): number | undefined {
  const ab = has(table, a) ? table[a] : undefined;
  if (ab && has(ab, b)) return ab[b];
  const ba = has(table, b) ? table[b] : undefined;
  return ba && has(ba, a) ? ba[a] : undefined;
}

/** The round trip between two lab regions, ms; undefined when neither the spec nor the defaults know it. */
export function rttBetween(t: Pick<Topology, 'rttMs' | 'sameRegionRttMs'>, a: string, b: string): number | undefined {
  if (a === b) return t.sameRegionRttMs;
  return lookup(t.rttMs, a, b) ?? lookup(DEFAULT_RTT_MS, a, b);
}

/** The gateway region a client region is routed to: the smallest round trip, the first listed on a tie. */
export function nearestGateway(t: Topology, clientRegion: string): string {
  let best: { region: string; rtt: number } | undefined;
  for (const g of t.gateways) {
    const rtt = rttBetween(t, clientRegion, g);
    if (rtt === undefined) continue;
    if (!best || rtt < best.rtt) best = { region: g, rtt };
  }
  if (!best) {
    throw new RangeError(`no round-trip time from ${clientRegion} to any gateway region (${t.gateways.join(', ')})`);
  }
  return best.region;
}

/** A class's client region: its own, else the first gateway's region. */
export function clientRegionOf(t: Topology, cls: { clientRegion?: string | undefined }): string {
  return cls.clientRegion ?? (t.gateways[0] as string);
}

/** Every client region of a spec: the topology's list, else the classes' regions. */
export function clientRegions(t: Topology, classes: ReadonlyArray<{ clientRegion?: string | undefined }>): string[] {
  if (t.clients) return [...t.clients];
  return [...new Set(classes.map((c) => clientRegionOf(t, c)))];
}
