/** What the bench processes say to each other over IPC, and the models the bench fleet serves. */

/** Constant latencies, so the configured TTFT of every call is known. */
export const BENCH_MODELS = {
  /** non-stream throughput: answers at once */
  fast: { ttftMs: 0, itlMs: 0, outputTokens: 16 },
  /** TTFT accuracy at 1,000 streams */
  ttft: { ttftMs: 250, itlMs: 150, outputTokens: 20 },
  /** 10,000 streams held open, tokens trickling */
  hold: { ttftMs: 300, itlMs: 700, outputTokens: 24 },
  /** 1,000 readers that never read: long answers (~0.9 MB of SSE each), all due within ~2 s */
  slow: { ttftMs: 50, itlMs: 0.5, outputTokens: 4000 },
  /** 100 readers that never read answers larger than a loopback socket buffers (~9 MB each) */
  huge: { ttftMs: 50, itlMs: 0.05, outputTokens: 40_000 },
} as const;

export interface ServerReady {
  type: 'ready';
  mockUrl: string;
  bareUrl: string;
  sampleBytes: number;
}

export interface ServerStats {
  type: 'stats';
  /** realised − configured TTFT of each `ttft` call, server side (ledger), ms */
  ttftErrorsMs: number[];
  /** the same for the bare streaming route (the yardstick), ms */
  bareTtftErrorsMs: number[];
  peakInFlight: number;
  inFlight: number;
  outcomes: Record<string, Record<string, number>>;
  heapMb: number;
  at: number;
  /** event-loop delay of the mock since the last reset (perf_hooks, 1 ms resolution), ms */
  loopDelayMs: { p50: number; p99: number; max: number };
}

export interface StreamJob {
  type: 'streams';
  url: string;
  model: string;
  count: number;
  /** open the streams evenly over this many ms */
  rampMs: number;
  configuredTtftMs: number;
  /** slow readers: never read the answers; close every socket after this many ms */
  holdUnreadMs?: number;
}

export interface StreamResult {
  type: 'streams-done';
  opened: number;
  completed: number;
  errors: number;
  /** streams open and receiving at the same time, at most */
  peakOpen: number;
  /** first content − request written − configured TTFT, client side, ms */
  ttftErrorsMs: number[];
  /** largest gap between two data events in any stream, ms */
  maxGapMs: number;
  events: number;
}

/** The mock process's memory after a full GC (live heap and buffers) and its RSS, MB */
export interface ServerMemory {
  type: 'memory';
  liveMb: number;
  rssMb: number;
  /** streams waiting for their socket to drain now, and at most since the last reset */
  drainWaiting: number;
  drainWaitingPeak: number;
  /** calls not yet ended */
  inFlight: number;
}

/** CPU time the mock process has used so far (process.cpuUsage), µs */
export interface ServerCpu {
  type: 'cpu-used';
  us: number;
}

export type BenchMessage = ServerReady | ServerStats | ServerCpu | ServerMemory | StreamJob | StreamResult | { type: 'reset' | 'stats' | 'cpu' | 'mem' | 'close' | 'ok' };
