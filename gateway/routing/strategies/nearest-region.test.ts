import { describe, expect, it } from 'vitest';
import { ids, input, make, targets } from '../testing.js';

describe('nearest-region strategy', () => {
  const route = targets(
    { upstream: 'us-east', region: 'us-east-1', zone: 'us' },
    { upstream: 'eu-west', region: 'eu-west-1', zone: 'eu' },
    { upstream: 'ap', region: 'ap-south-1', zone: 'ap' },
    { upstream: 'eu-central', region: 'eu-central-1', zone: 'eu' },
    { upstream: 'us-west', region: 'us-west-2', zone: 'us' },
  );
  const s = make('nearest-region', route);

  it('orders same region, then same zone, then the others (by priority within each)', () => {
    const from = (clientRegion: string): string[] => ids(s.order(input({ clientRegion }), route));
    expect(from('eu-central-1')).toEqual(['eu-central', 'eu-west', 'us-east', 'ap', 'us-west']);
    expect(from('us-west-2')).toEqual(['us-west', 'us-east', 'eu-west', 'ap', 'eu-central']);
  });

  it('finds the client region’s zone from the route’s upstreams, even when its target is not a candidate', () => {
    const withoutEuCentral = route.filter((t) => t.upstream.id !== 'eu-central');
    const order = ids(s.order(input({ clientRegion: 'eu-central-1' }), withoutEuCentral));
    expect(order).toEqual(['eu-west', 'us-east', 'ap', 'us-west']);
  });

  it('takes the zone of other client regions from the zones option, or a client region that is a zone', () => {
    const mapped = make({ type: 'nearest-region', zones: { 'eu-north-1': 'eu' } }, route);
    const north = ids(mapped.order(input({ clientRegion: 'eu-north-1' }), route));
    expect(north.slice(0, 2)).toEqual(['eu-west', 'eu-central']);
    expect(ids(s.order(input({ clientRegion: 'ap' }), route))[0]).toBe('ap');
    // an unknown region gets priority order
    expect(ids(s.order(input({ clientRegion: 'sa-east-1' }), route))).toEqual(ids(route));
  });

  it('without a client region, orders by priority', () => {
    expect(ids(s.order(input(), route))).toEqual(ids(route));
  });
});
