/**
 * Who used the machine's cores during a bench phase (Linux /proc; null elsewhere): CPU of the
 * mock and of the stream clients, of everything else on the machine, what the hypervisor took
 * (steal), and how long the mock's main thread waited in a run queue for a core. The client shares the cores with the mock it
 * measures; this says how much, rather than hiding it.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

/** clock ticks per second of /proc/stat and /proc/<pid>/stat (USER_HZ, 100 on Linux) */
const HZ = 100;

export interface CpuSnapshot {
  at: number;
  /** busy time of all cores, ms (steal not included) */
  busyMs: number;
  /** time the hypervisor ran something else on this machine's cores (steal), ms */
  stealMs: number;
  /** CPU time of each watched process, ms */
  procMs: number[];
  /** CPU time of this process (the orchestrator), ms */
  selfMs: number;
  /** run-queue wait of the first watched process's main thread, ms (null: no schedstat) */
  waitMs: number | null;
}

export interface CpuShare {
  spanMs: number;
  /** per watched process, % of one core */
  pct: number[];
  /** everything else on the machine (other processes, the kernel), % of one core */
  otherPct: number;
  /** run-queue wait of the first watched process's main thread, ms */
  waitMs: number | null;
  /** share of all cores' time the hypervisor ran something else on them (steal), % */
  stealPct: number | null;
}

const read = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

function procMs(pid: number): number | null {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / HZ;
}

export function cpuSnapshot(pids: number[]): CpuSnapshot | null {
  const stat = read('/proc/stat');
  if (stat === null) return null;
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  const ticks = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const steal = ticks[7] ?? 0;
  const procs = pids.map(procMs);
  const self = procMs(process.pid);
  if (procs.some((x) => x === null) || self === null) return null;
  const sched = pids[0] === undefined ? null : read(`/proc/${pids[0]}/task/${pids[0]}/schedstat`);
  return {
    at: performance.now(),
    busyMs: ((ticks.reduce((a, b) => a + b, 0) - idle - steal) * 1000) / HZ,
    stealMs: (steal * 1000) / HZ,
    procMs: procs as number[],
    selfMs: self,
    waitMs: sched === null ? null : Number(sched.split(' ')[1]) / 1e6,
  };
}

export function cpuShare(a: CpuSnapshot | null, b: CpuSnapshot | null): CpuShare | null {
  if (!a || !b) return null;
  const spanMs = b.at - a.at;
  const used = b.procMs.map((x, i) => x - a.procMs[i]!);
  const ours = used.reduce((s, x) => s + x, 0) + (b.selfMs - a.selfMs);
  return {
    spanMs,
    pct: used.map((x) => (100 * x) / spanMs),
    otherPct: Math.max(0, (100 * (b.busyMs - a.busyMs - ours)) / spanMs),
    waitMs: a.waitMs === null || b.waitMs === null ? null : b.waitMs - a.waitMs,
    stealPct: (100 * (b.stealMs - a.stealMs)) / (spanMs * availableParallelism()),
  };
}
