/**
 * `nearest-region`: targets in the client's region first (the request's region, else the key's
 * home region), then those in the same zone, then the rest; by priority within each. The
 * client region's zone comes from `zones` (region → zone) when it names it, else from the route's
 * upstreams in that region; a client region that is itself a zone name (`eu`) means that zone.
 * Without a client region the order is by priority.
 */
import { z } from 'zod';
import type { StrategyUnit } from '../../domain/strategy.js';
import { byKey } from '../order.js';

export const NearestRegionOptionsSchema = z.strictObject({
  type: z.literal('nearest-region'),
  /** client region → zone, for client regions no upstream of the route is in */
  zones: z.record(z.string().min(1), z.string().min(1)).default({}),
});

export const nearestRegionUnit = {
  name: 'nearest-region',
  options: NearestRegionOptionsSchema,
  create(options, targets) {
    const zoneOfRegion = new Map(targets.map((t) => [t.upstream.region, t.upstream.zone]));
    const zones = new Set(targets.map((t) => t.upstream.zone));
    const zoneOf = (region: string): string | undefined =>
      (Object.hasOwn(options.zones, region) ? options.zones[region] : undefined) ??
      zoneOfRegion.get(region) ??
      (zones.has(region) ? region : undefined);
    return {
      name: 'nearest-region',
      order(input, candidates) {
        const region = input.clientRegion;
        if (region === undefined) return byKey(candidates, () => 0);
        const zone = zoneOf(region);
        return byKey(candidates, (t) => (t.upstream.region === region ? 0 : t.upstream.zone === zone ? 1 : 2));
      },
    };
  },
} satisfies StrategyUnit<typeof NearestRegionOptionsSchema>;
