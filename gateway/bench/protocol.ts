/**
 * What the bench processes say to the orchestrator over IPC: a server child announces its URL,
 * reports the CPU time its process has used so far (process.cpuUsage, µs) when asked, and closes.
 */

/** The client model name the bench asks for; the upstream answers with it. */
export const BENCH_MODEL = 'bench-model';
/** The virtual key the gateway child is configured with. */
export const BENCH_KEY = 'sk-stormlab-bench-key';

export type BenchMessage =
  | { type: 'ready'; url: string }
  | { type: 'cpu' }
  | { type: 'cpu-used'; us: number }
  | { type: 'close' }
  | { type: 'closed' };

/** In a child: announce `url`, answer CPU questions, close on request (then exit). */
export function serveBench(url: string, close: () => Promise<void>): void {
  const send = (m: BenchMessage): void => void process.send?.(m);
  process.on('message', (raw) => {
    const m = raw as BenchMessage;
    if (m.type === 'cpu') {
      const u = process.cpuUsage();
      send({ type: 'cpu-used', us: u.user + u.system });
    } else if (m.type === 'close') {
      void close()
        .catch(() => undefined)
        .then(() => {
          send({ type: 'closed' });
          // let the IPC message go out before exiting (a --cpu-prof profile is written on exit)
          setImmediate(() => process.exit(0));
        });
    }
  });
  // the orchestrator went away: do not linger
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url });
}

/** The port of a listening server's address. */
export function portOf(address: unknown): number {
  if (typeof address === 'object' && address !== null && 'port' in address) return Number(address.port);
  throw new Error(`not listening on a TCP port (${String(address)})`);
}
