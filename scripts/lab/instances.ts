/**
 * The gateway tier of a lab run: one gateway process (the default), or several instances of the
 * same config behind the round-robin front (./front.ts), sharing their state through a Redis the
 * lab starts for the run (./redis.ts). The driver targets the front, as clients target a load
 * balancer: any driver (k6 too) works unchanged, and the front sees which instance each request
 * was on when one dies.
 *
 * A game day can kill an instance (SIGKILL) and restart it (on the same port when it is still
 * free, as a restarted pod keeps its address). Starts, kills, restarts and every request the front
 * lost to a dead instance go to instances.ndjson in the run directory.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GatewayConfigSchema } from '../../gateway/index.js';
import { INSTANCES_FILE, type InstanceEvent } from '../../reports/gameday/instance-events.js';
import { startFront, type RunningFront } from './front.js';
import { spawnCli, type LabProcess } from './processes.js';
import { startRedis, type RunningRedis } from './redis.js';
import { writeJson } from './run-dir.js';

/** What the lab stops when the run ends. */
export interface Stoppable {
  stop(graceMs?: number): Promise<void>;
}

export interface InstanceGroup {
  count: number;
  front: RunningFront;
  /** the Redis the instances share; absent when this gateway build has no `redis` config key */
  redis?: RunningRedis;
  /** each instance's own base URL (instance 1 first), e.g. for Prometheus to scrape them all */
  urls(): string[];
  /** SIGKILL instance `n` (1-based); resolves once it is gone */
  kill(n: number): Promise<void>;
  /** start instance `n` again with the same config; resolves with its URL once it serves */
  restart(n: number): Promise<string>;
  /** whether instance `n` runs now */
  running(n: number): boolean;
}

export interface GatewayTier {
  /** where the load goes: the gateway, or the front before the instances */
  target: string;
  procs: Stoppable[];
  /** the first gateway process (run.json's `lab.gateway`) */
  first: LabProcess<{ url: string }>;
  /** with several instances */
  group?: InstanceGroup;
}

export interface GatewayTierOptions {
  count: number;
  /** the gateway config file (built-in resolved to a path) */
  configFile: string;
  endpointsFile: string;
  runDir: string;
  log: (line: string) => void;
  /** a signal while the tier starts: what started stops, and the start fails */
  stopped?: AbortSignal | undefined;
}

type Gateway = LabProcess<{ url: string }>;

const gatewayArgs = (configFile: string, port: number, endpointsFile: string): string[] => [
  'gateway',
  '--config',
  configFile,
  '--port',
  String(port),
  '--upstreams',
  endpointsFile,
  '--json',
];

/**
 * The config file the instances run, in the run directory: the given one with the run's Redis as
 * `redis.url` (a `redis:` block it has keeps its other settings, its key prefix for one).
 */
export function sharedConfig(configFile: string, redisUrl: string, runDir: string): string {
  const raw = parseYaml(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  const own = typeof raw.redis === 'object' && raw.redis !== null ? raw.redis : {};
  return writeJson(runDir, 'gateway-instances.json', { ...raw, redis: { ...own, url: redisUrl } });
}

/** Does this gateway build read `redis: { url }` from its config? */
export function gatewaySupportsRedis(): boolean {
  const probe = GatewayConfigSchema.safeParse({ redis: { url: 'redis://127.0.0.1:6379' } });
  return probe.success || !probe.error.issues.some((i) => i.code === 'unrecognized_keys' && i.keys.includes('redis'));
}

export async function startGatewayTier(opts: GatewayTierOptions): Promise<GatewayTier> {
  const { count, runDir, log } = opts;
  if (count <= 1) {
    const gw = await spawnCli<{ url: string }>('gateway', gatewayArgs(opts.configFile, 0, opts.endpointsFile));
    return { target: gw.ready.url, procs: [gw], first: gw };
  }
  const events = join(runDir, INSTANCES_FILE);
  writeFileSync(events, ''); // a reused run directory starts the log afresh
  const note = (e: InstanceEvent): void => appendFileSync(events, `${JSON.stringify(e)}\n`);
  const procs: Stoppable[] = [];
  const gateways: Gateway[] = [];
  const unlessStopped = (): void => {
    if (opts.stopped?.aborted) throw new Error('stopped while the gateway instances were starting');
  };
  try {
    let redis: RunningRedis | undefined;
    let configFile = opts.configFile;
    if (gatewaySupportsRedis()) {
      redis = await startRedis();
      procs.push(redis);
      configFile = sharedConfig(opts.configFile, redis.url, runDir);
      log(`redis: ${redis.url} (no persistence) for ${count} gateway instances`);
      unlessStopped();
    } else {
      log(`this gateway has no \`redis\` config key: its ${count} instances keep their limits and budgets in process`);
    }
    const starts = await Promise.allSettled(
      Array.from({ length: count }, (_, k) =>
        spawnCli<{ url: string }>(`gateway instance ${k + 1}`, gatewayArgs(configFile, 0, opts.endpointsFile)),
      ),
    );
    for (const s of starts) if (s.status === 'fulfilled') gateways.push(s.value);
    const failed = starts.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    unlessStopped();
    const started = [...gateways];
    const now = (): string => new Date().toISOString();
    started.forEach((g, k) => note({ time: now(), event: 'start', instance: k + 1, url: g.ready.url, pid: g.child.pid }));
    const front = await startFront({
      instances: started.map((g) => g.ready.url),
      onLost: (l) =>
        note({
          time: new Date(l.lostMs).toISOString(),
          event: 'lost',
          instance: l.instance,
          startedAt: new Date(l.startedMs).toISOString(),
          phase: l.phase,
          path: l.path,
          error: l.error,
        }),
    });
    procs.unshift({ stop: () => front.close() });
    unlessStopped();
    log(`gateway: ${count} instances (${started.map((g) => g.ready.url).join(', ')}) behind the front ${front.url}`);
    const group = instanceGroup(gateways, front, configFile, opts.endpointsFile, note, log, redis);
    // the front stops first (no request reaches a stopping instance), Redis last
    const stopGateways = async (grace?: number): Promise<void> => void (await Promise.all(gateways.map((p) => p.stop(grace))));
    procs.splice(1, 0, { stop: stopGateways });
    return { target: front.url, procs, first: gateways[0]!, group };
  } catch (e) {
    await Promise.all(gateways.map((g) => g.stop(1000)));
    await Promise.all(procs.map((p) => p.stop(1000)));
    throw e;
  }
}

function instanceGroup(
  gateways: Gateway[],
  front: RunningFront,
  configFile: string,
  endpointsFile: string,
  note: (e: InstanceEvent) => void,
  log: (line: string) => void,
  redis: RunningRedis | undefined,
): InstanceGroup {
  const count = gateways.length;
  const check = (n: number): Gateway => {
    const g = gateways[n - 1];
    if (!Number.isInteger(n) || !g) throw new Error(`no gateway instance ${n} (1–${count})`);
    return g;
  };
  const alive = (g: Gateway): boolean => g.child.exitCode === null && g.child.signalCode === null;
  return {
    count,
    front,
    ...(redis ? { redis } : {}),
    urls: () => front.instances(),
    running: (n) => alive(check(n)),
    async kill(n) {
      const g = check(n);
      if (!alive(g)) return;
      const inFlight = front.inFlight(n);
      const exited = new Promise<string>((resolve) => g.child.once('exit', () => resolve(new Date().toISOString())));
      const time = new Date().toISOString();
      g.child.kill('SIGKILL');
      // the signal takes a moment to land: until the process is gone, it may still take requests
      const exitedAt = await exited;
      note({ time, exitedAt, event: 'kill', instance: n, pid: g.child.pid, inFlight });
      log(`gateway instance ${n} killed (SIGKILL) with ${inFlight} request(s) in flight on it`);
    },
    async restart(n) {
      const old = check(n);
      if (alive(old)) throw new Error(`gateway instance ${n} is still running`);
      const spawnedAt = new Date().toISOString();
      const port = Number(new URL(front.instances()[n - 1]!).port);
      let g: Gateway;
      try {
        g = await spawnCli<{ url: string }>(`gateway instance ${n}`, gatewayArgs(configFile, port, endpointsFile));
      } catch {
        // its port was taken meanwhile: anywhere else, and the front follows
        g = await spawnCli<{ url: string }>(`gateway instance ${n}`, gatewayArgs(configFile, 0, endpointsFile));
      }
      gateways[n - 1] = g;
      front.setInstance(n, g.ready.url);
      const time = new Date().toISOString();
      note({ time, event: 'restart', instance: n, url: g.ready.url, pid: g.child.pid, spawnedAt });
      log(`gateway instance ${n} restarted at ${g.ready.url}`);
      return g.ready.url;
    },
  };
}
