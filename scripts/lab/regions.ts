/**
 * The lab in regions (a spec with `topology`): the fleet, one gateway per gateway region, and two
 * latency relays — gateway→provider (one listener per gateway region × upstream, delayed by the
 * round trip between the gateway's region and the endpoint's) and client→gateway (one listener
 * per client region, to its nearest gateway). Each gateway gets its own config, written here: its
 * region as the home of keys that name none, and each upstream's url pointing at the relay for
 * that pair. Nothing in the gateway, the fleet or the driver knows about the delays.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYamlText } from '../../core/config-file.js';
import { StormlabError } from '../../core/errors.js';
import { loadGatewayConfig, resolveGatewayConfigFile } from '../../gateway/index.js';
import { loadFleet, resolveFleetFile } from '../../mock-providers/index.js';
import type { Spec } from '../../scenarios/spec-schema.js';
import { clientRegions, labRegionOf, nearestGateway, rttBetween, type Topology } from '../../scenarios/topology.js';
import type { RelayRoute } from './latency-relay.js';
import { spawnCli, type LabProcess } from './processes.js';
import { writeJson } from './run-dir.js';

export interface RegionalGateway {
  region: string;
  url: string;
  pid: number | undefined;
  /** the config file this gateway runs */
  config: string;
}

export interface RegionalLab {
  procs: LabProcess<unknown>[];
  control?: string;
  endpoints: Array<{ id: string; url: string }>;
  gateways: RegionalGateway[];
  /** client region → the relay listener in front of its nearest gateway */
  targets: Record<string, string>;
}

type Endpoint = { id: string; url: string };
type MocksReady = Endpoint[] | { control?: string; endpoints: Endpoint[] };
type RelayReady = { listeners: Array<{ id: string; url: string; port: number }> };
type Entry = Record<string, unknown>;
type RawConfig = { upstreams?: Entry[]; keys?: Entry[] } & Entry;

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

function badTopology(path: string, message: string, expected: string): StormlabError {
  return new StormlabError('SL_CONFIG_INVALID', `topology: ${message}`, [{ path, expected }]);
}

/** The round trip between two lab regions, or a clear error naming the missing matrix entry. */
function rttOrFail(t: Topology, a: string, b: string, why: string): number {
  const rtt = rttBetween(t, a, b);
  if (rtt !== undefined) return rtt;
  throw badTopology(`topology.rttMs.${a}.${b}`, `no round-trip time between ${a} and ${b} (${why})`, 'a round-trip time in ms');
}

/** The relay routes from each gateway region to each upstream the lab's fleet serves. */
export function upstreamRoutes(t: Topology, upstreams: Array<Endpoint & { region: string }>): RelayRoute[] {
  const routes: RelayRoute[] = [];
  for (const g of t.gateways) {
    for (const u of upstreams) {
      const at = labRegionOf(t, u.region);
      if (at === undefined) {
        const why = `the fleet region ${u.region} (upstream ${u.id}) is not placed`;
        throw badTopology(`topology.locations.${u.region}`, why, 'the lab region it lies in');
      }
      const rtt = rttOrFail(t, g, at, `gateway region ${g} → upstream ${u.id}`);
      routes.push({ id: `${g}>${u.id}`, to: hostPort(u.url), delayMs: rtt / 2, handshake: t.handshake });
    }
  }
  return routes;
}

/** The relay routes from each client region to its nearest gateway. */
export function clientRoutes(t: Topology, clients: string[], gateways: Record<string, string>): RelayRoute[] {
  return clients.map((c) => {
    const g = nearestGateway(t, c);
    const rtt = rttOrFail(t, c, g, `client region ${c} → gateway region ${g}`);
    return { id: `${c}>${g}`, to: hostPort(gateways[g] as string), delayMs: rtt / 2, handshake: t.handshake };
  });
}

/** A gateway region's config: the raw file, its region the home of keys that name none, upstreams through the relay. */
export function regionalConfig(raw: RawConfig, region: string, urls: Record<string, string>): RawConfig {
  return {
    ...raw,
    upstreams: (raw.upstreams ?? []).map((u) => {
      const url = typeof u.id === 'string' ? urls[u.id] : undefined;
      return url ? { ...u, url } : u;
    }),
    keys: (raw.keys ?? []).map((k) => (k.homeRegion === undefined ? { ...k, homeRegion: region } : k)),
  };
}

function spawnRelay(label: string, routes: RelayRoute[], runDir: string, file: string): Promise<LabProcess<RelayReady>> {
  const path = join(runDir, file);
  writeFileSync(path, `${JSON.stringify(routes, null, 2)}\n`);
  return spawnCli<RelayReady>(label, ['relay', '--routes', path, '--json']);
}

export async function startRegionalLab(
  spec: Spec,
  runDir: string,
  log: (l: string) => void,
  stopped?: AbortSignal,
): Promise<RegionalLab> {
  const t = spec.topology;
  if (!t || !('gateway' in spec.target)) throw new Error('startRegionalLab needs a topology and a gateway target');
  const fleetFile = resolveFleetFile(spec.target.fleet);
  const gatewayFile = resolveGatewayConfigFile(spec.target.gateway);
  writeJson(runDir, 'fleet.json', loadFleet(fleetFile));
  const gatewayConfig = loadGatewayConfig(gatewayFile); // a bad file is reported plainly before anything starts
  const raw = parseYamlText(readFileSync(gatewayFile, 'utf8'), gatewayFile) as RawConfig;
  const clients = clientRegions(t, spec.workload.classes);
  for (const c of clients) rttOrFail(t, c, nearestGateway(t, c), 'client to gateway');

  const procs: LabProcess<unknown>[] = [];
  const check = (): void => {
    if (stopped?.aborted) throw new Error('stopped while the lab was starting');
  };
  try {
    const mocks = await spawnCli<MocksReady>('mock fleet', [
      'mocks', '--fleet', fleetFile, '--json',
      '--ledger', join(runDir, 'ledger.ndjson'),
      '--chaos-log', join(runDir, 'chaos.ndjson'),
    ]);
    procs.push(mocks);
    const endpoints = Array.isArray(mocks.ready) ? mocks.ready : mocks.ready.endpoints;
    writeJson(runDir, 'endpoints.json', endpoints);
    const endpointUrl = new Map(endpoints.map((e) => [e.id, e.url]));
    const upstreams = gatewayConfig.upstreams
      .filter((u) => u.url === undefined && endpointUrl.has(u.id))
      .map((u) => ({ id: u.id, region: u.region, url: endpointUrl.get(u.id) as string }));
    check();
    const upRoutes = upstreamRoutes(t, upstreams);
    const upRelay = await spawnRelay('latency relay (gateway→provider)', upRoutes, runDir, 'relay-upstreams.json');
    procs.push(upRelay);
    const relayUrl = new Map(upRelay.ready.listeners.map((l) => [l.id, l.url]));

    const gateways: RegionalGateway[] = [];
    for (const g of t.gateways) {
      check();
      const urls = Object.fromEntries(upstreams.map((u) => [u.id, relayUrl.get(`${g}>${u.id}`) as string]));
      const config = join(runDir, `gateway.${g}.json`);
      writeFileSync(config, `${JSON.stringify(regionalConfig(raw, g, urls), null, 2)}\n`);
      const args = ['gateway', '--config', config, '--port', '0', '--json'];
      const gw = await spawnCli<{ url: string }>(`gateway (${g})`, args);
      procs.push(gw);
      gateways.push({ region: g, url: gw.ready.url, pid: gw.child.pid, config });
      log(`gateway ${g}: ${gw.ready.url}`);
    }
    // the report reads prices and upstreams from gateway.json: the first region's resolved config
    const first = loadGatewayConfig((gateways[0] as RegionalGateway).config);
    writeJson(runDir, 'gateway.json', first);

    check();
    const gatewayUrls = Object.fromEntries(gateways.map((g) => [g.region, g.url]));
    const inRoutes = clientRoutes(t, clients, gatewayUrls);
    const clientRelay = await spawnRelay('latency relay (client→gateway)', inRoutes, runDir, 'relay-clients.json');
    procs.push(clientRelay);
    const targets: Record<string, string> = {};
    for (const l of clientRelay.ready.listeners) targets[l.id.split('>')[0] as string] = l.url;
    for (const c of clients) {
      const g = nearestGateway(t, c);
      log(`clients ${c} → gateway ${g} (${rttBetween(t, c, g)} ms round trip)`);
    }
    const control = Array.isArray(mocks.ready) ? undefined : mocks.ready.control;
    return { procs, ...(control ? { control } : {}), endpoints, gateways, targets };
  } catch (e) {
    await Promise.all(procs.map((p) => p.stop()));
    throw e;
  }
}
