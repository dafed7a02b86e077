/**
 * The bench's "all controls" gateway: the plain bench gateway (one route, one virtual key, metrics)
 * with every control a production deployment turns on. One line per control; a new control is
 * one more line here.
 *
 * The cache runs its miss path: the load sends a different prompt each time (`variedPrompt`), so
 * each request is looked up, misses, and its answer is written back (exact cache; the semantic one
 * would add an embeddings call upstream per request, which is a different bench: bench:cache).
 */
import { devNull } from 'node:os';
import type { GatewayConfigInput } from '../config/schema.js';
import type { BuildGatewayOptions } from '../app.js';
import { BENCH_MODEL } from './protocol.js';

export interface BenchSetup {
  config: GatewayConfigInput;
  options: BuildGatewayOptions;
}

export const CONTROLS: Record<string, (s: BenchSetup) => void> = {
  // a request and a token bucket per key, never reached: the admission work without the refusals
  'rate limits': (s) =>
    void (s.config.limits = [
      { id: 'rpm', per: 'key', requests: '100000000/min' },
      { id: 'tpm', per: ['key', 'model'], tokens: '100000000000/min' },
    ]),
  // the upstream's known limits, far above the bench's rate: every attempt goes through its pacer
  pacing: (s) =>
    void (s.config.upstreams = (s.config.upstreams ?? []).map((u) => ({ ...u, rpm: 100_000_000, tpm: 100_000_000_000 }))),
  budgets: (s) => void (s.config.budgets = [{ id: 'daily', per: ['key', 'model'], limitUsd: 1e9, period: 'day' }]),
  cache: (s) => void (s.config.cache = { routes: { [BENCH_MODEL]: { ttl: 'general', semantic: false } } }),
  // one JSON line per request, serialised and written to the null device through the gateway's log
  // destination (lines batched into few writes: telemetry/log-stream.ts), as `stormlab gateway --log` writes stdout
  logs: (s) => void (s.options.logger = { level: 'info', file: devNull }),
};

/** Every control on, over a base setup (keys and metrics are always on). */
export function allControls(base: BenchSetup): BenchSetup {
  return withControls(base, Object.keys(CONTROLS));
}

/** The named controls on, over a base setup; an unknown name is an error naming the known ones. */
export function withControls(base: BenchSetup, names: readonly string[]): BenchSetup {
  const s: BenchSetup = { config: { ...base.config }, options: { ...base.options } };
  for (const name of names) {
    const apply = CONTROLS[name];
    if (!apply) throw new Error(`unknown control "${name}" (known: ${Object.keys(CONTROLS).join(', ')})`);
    apply(s);
  }
  return s;
}
