/**
 * The spec's `topology`: client regions, gateway regions, a round-trip-time matrix, where the
 * fleet's regions lie. Validated here; the numbers are read through ./topology.ts (pure).
 */
import { z } from 'zod';
import { DEFAULT_RTT_MS, knownRegions, nearestGateway, rttBetween, type Topology } from './topology.js';

const region = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'a region name: lowercase letters, digits and "-"' });
const rtt = z
  .number({ message: 'a round-trip time in ms' })
  .nonnegative({ message: 'a round-trip time in ms, 0 or more' })
  .max(10_000, { message: 'a round-trip time in ms, at most 10000' });

function uniqueList(what: string) {
  return z
    .array(region)
    .min(1, { message: `at least one ${what} region` })
    .superRefine((list, ctx) => {
      list.forEach((r, i) => {
        if (list.indexOf(r) === i) return;
        ctx.addIssue({ code: 'custom', path: [i], message: `a region listed once (${r} repeats)` });
      });
    });
}

export const TopologySchema = z
  .strictObject({
    /** regions with a gateway: the lab starts one gateway in each */
    gateways: uniqueList('gateway'),
    /** client regions (default: the regions the classes name) */
    clients: uniqueList('client').optional(),
    /** round-trip times in ms between two regions, either direction; adds to and overrides the defaults */
    rttMs: z.record(region, z.record(region, rtt)).default({}),
    /** round trip inside one region */
    sameRegionRttMs: rtt.default(1),
    /** fleet region → lab region, for provider regions the defaults do not place */
    locations: z.record(z.string().min(1), region).default({}),
    /** a new connection pays one round trip before its first byte (a TCP handshake) */
    handshake: z.boolean().default(true),
  })
  .superRefine((t, ctx) => {
    const known = knownRegions(t);
    const issue = (path: PropertyKey[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
    for (const [a, row] of Object.entries(t.rttMs)) {
      if (!known.includes(a)) issue(['rttMs', a], unknownRegion(a, known));
      for (const [b, ms] of Object.entries(row)) {
        if (!known.includes(b)) issue(['rttMs', a, b], unknownRegion(b, known));
        if (a === b) issue(['rttMs', a, b], 'a pair of two regions (use sameRegionRttMs within one)');
        const back = t.rttMs[b]?.[a];
        if (back !== undefined && back !== ms && a < b) {
          issue(['rttMs', b, a], `the same round trip both ways (${a}→${b} is ${ms} ms, ${b}→${a} ${back} ms)`);
        }
      }
    }
    const clients = t.clients ?? [];
    for (const [i, c] of clients.entries()) requireRoute(t, c, ['clients', i], ctx);
  });
export type TopologyOutput = z.output<typeof TopologySchema>;

function unknownRegion(r: string, known: string[]): string {
  return `a known region (${r} is not one of ${known.join(', ')}; name it in gateways, clients or locations)`;
}

/** A client region needs a round trip to every gateway region, to pick the nearest. */
export function requireRoute(t: Topology, client: string, path: PropertyKey[], ctx: z.RefinementCtx): void {
  const missing = t.gateways.filter((g) => rttBetween(t, client, g) === undefined);
  for (const g of missing) {
    const message = `a region with a round-trip time to gateway region ${g} (add topology.rttMs.${client}.${g})`;
    ctx.addIssue({ code: 'custom', path, message });
  }
}

/** Cross-checks between the classes and the topology (the spec's superRefine calls this). */
export function checkClassRegions(
  topology: Topology | undefined,
  classes: ReadonlyArray<{ clientRegion?: string | undefined }>,
  ctx: z.RefinementCtx,
): void {
  classes.forEach((c, i) => {
    const path = ['workload', 'classes', i, 'clientRegion'];
    if (c.clientRegion === undefined) return;
    if (!topology) {
      const message = 'a topology (spec field `topology` with its gateway regions) to route this client region to';
      ctx.addIssue({ code: 'custom', path, message });
      return;
    }
    const clients = topology.clients;
    if (clients && !clients.includes(c.clientRegion)) {
      const message = `one of topology.clients (${clients.join(', ')}), not ${c.clientRegion}`;
      ctx.addIssue({ code: 'custom', path, message });
      return;
    }
    const known = knownRegions(topology);
    if (!known.includes(c.clientRegion)) {
      ctx.addIssue({ code: 'custom', path, message: unknownRegion(c.clientRegion, known) });
      return;
    }
    requireRoute(topology, c.clientRegion, path, ctx);
  });
}

export { DEFAULT_RTT_MS, nearestGateway };
