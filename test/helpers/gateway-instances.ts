/**
 * Several real gateway servers in front of one real mock fleet, as instances behind a balancer:
 * each its own process state, logs and /metrics; what they share is whatever their config points
 * at (a Redis).
 */
import type { RunningGateway } from '../../gateway/index.js';
import { startLabFleet, startLabGateway, type GatewayConfigPart, type LabFleet } from './gateway-lab.js';
import { startRedis, type TestRedis } from './redis.js';

export { startLabFleet };
export type Fleet = LabFleet;

export interface Instance {
  readonly gw: RunningGateway;
  readonly url: string;
  /** its log lines (JSON) */
  readonly logs: string[];
  /** one sample of its /metrics: `name{labels}` → value */
  metric(nameWithLabels: string): Promise<number | undefined>;
}

export async function startInstance(fleet: Fleet, config: GatewayConfigPart): Promise<Instance> {
  const { gw, logs } = await startLabGateway(config, fleet.urls);
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

/** A real redis-server, a fleet, and gateway instances sharing their state through that Redis. */
export interface InstancesOnRedis {
  readonly redis: TestRedis;
  readonly fleet: Fleet;
  /** every instance started, in order: the first ones, then each add() */
  readonly instances: Instance[];
  /** one more instance with the same config, on the same fleet and Redis */
  add(): Promise<Instance>;
  /** the instances, the fleet, then Redis */
  close(): Promise<void>;
}

/** Redis and the fleet (started together), then `count` instances whose config `config` makes from Redis's URL. */
export async function startInstancesOnRedis(
  config: (redisUrl: string) => GatewayConfigPart,
  count = 2,
): Promise<InstancesOnRedis> {
  const [redis, fleet] = await Promise.all([startRedis(), startLabFleet()]);
  const instances = await Promise.all(Array.from({ length: count }, () => startInstance(fleet, config(redis.url))));
  return {
    redis,
    fleet,
    instances,
    add: async () => {
      const i = await startInstance(fleet, config(redis.url));
      instances.push(i);
      return i;
    },
    close: async () => {
      await Promise.all(instances.map((i) => i.gw.close()));
      await fleet.fleet.close();
      await redis.stop();
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
