import { describe, expect, it } from 'vitest';
import { StormlabError } from '../../core/errors.js';
import { TopologySchema } from '../../scenarios/topology-schema.js';
import { clientRoutes, regionalConfig, upstreamRoutes } from './regions.js';
import { runLab } from './run-lab.js';

const topology = TopologySchema.parse({ gateways: ['us-east', 'eu-west'] });
const upstreams = [
  { id: 'openai/us-east', region: 'us-east', url: 'http://127.0.0.1:9001' },
  { id: 'azure/westeurope', region: 'westeurope', url: 'http://127.0.0.1:9002' },
];

describe('regional lab plan', () => {
  it('relays every gateway region to every upstream at half their round trip', () => {
    const routes = upstreamRoutes(topology, upstreams);
    expect(routes.map((r) => [r.id, r.delayMs, r.to.port])).toEqual([
      ['us-east>openai/us-east', 0.5, 9001],
      ['us-east>azure/westeurope', 40, 9002],
      ['eu-west>openai/us-east', 40, 9001],
      ['eu-west>azure/westeurope', 0.5, 9002],
    ]);
    expect(routes.every((r) => r.handshake === true)).toBe(true);
  });

  it('sends each client region to its nearest gateway', () => {
    const gateways = { 'us-east': 'http://127.0.0.1:8001', 'eu-west': 'http://127.0.0.1:8002' };
    const routes = clientRoutes(topology, ['ap-southeast', 'us-east'], gateways);
    expect(routes.map((r) => [r.id, r.delayMs, r.to.port])).toEqual([
      ['ap-southeast>eu-west', 80, 8002],
      ['us-east>us-east', 0.5, 8001],
    ]);
  });

  it('names a fleet region the topology does not place', () => {
    let err: unknown;
    try {
      upstreamRoutes(topology, [{ id: 'acme/moon-1', region: 'moon-1', url: 'http://127.0.0.1:9003' }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StormlabError);
    expect((err as StormlabError).code).toBe('SL_CONFIG_INVALID');
    expect((err as StormlabError).details[0]).toMatchObject({ path: 'topology.locations.moon-1' });
    const placed = TopologySchema.parse({ gateways: ['us-east'], locations: { 'moon-1': 'eu-west' } });
    expect(upstreamRoutes(placed, [{ id: 'acme/moon-1', region: 'moon-1', url: 'http://127.0.0.1:9003' }])[0]!.delayMs).toBe(40);
  });

  it('writes each gateway its region as home (a key that names its own keeps it) and the relay URLs', () => {
    const raw = {
      upstreams: [{ id: 'openai/us-east' }, { id: 'external', url: 'https://api.example.com' }],
      keys: [{ id: 'lab' }, { id: 'eu-bank', homeRegion: 'eu-west' }],
      routes: [],
    };
    const cfg = regionalConfig(raw, 'us-east', { 'openai/us-east': 'http://127.0.0.1:7001' });
    expect(cfg.upstreams).toEqual([
      { id: 'openai/us-east', url: 'http://127.0.0.1:7001' },
      { id: 'external', url: 'https://api.example.com' },
    ]);
    expect(cfg.keys).toEqual([{ id: 'lab', homeRegion: 'us-east' }, { id: 'eu-bank', homeRegion: 'eu-west' }]);
  });
});

describe('a spec with a topology', () => {
  it('is refused on the k6 driver before anything starts', async () => {
    await expect(runLab({ spec: 'multi-region', driver: 'k6', out: '/nonexistent/never-made' })).rejects.toMatchObject({
      code: 'SL_USAGE',
      message: expect.stringMatching(/native driver/),
    });
  });

  it('is refused against an external --target', async () => {
    await expect(runLab({ spec: 'multi-region', target: 'http://127.0.0.1:1', out: '/nonexistent/never-made' })).rejects.toMatchObject({
      code: 'SL_USAGE',
      message: expect.stringMatching(/not --target/),
    });
  });
});
