/** Start driver/testing/delay-server.ts in a child process (tests and the bench). */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Truth {
  id: string;
  /** server clock: arrival → first content write (null for non-streams) */
  ttftMs: number | null;
  /** server clock: arrival → end of the response */
  e2eMs: number;
}

export interface DelayServer {
  url: string;
  child: ChildProcess;
  truth(): Promise<Truth[]>;
  /** the server's worst event-loop delay since the last reset, ms */
  stallMs(): Promise<number>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('./delay-server.ts', import.meta.url));

export async function startDelayServer(timeoutMs = 15_000): Promise<DelayServer> {
  const child = fork(SERVER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('delay server did not start')), timeoutMs);
    child.once('message', (m: { port: number }) => {
      clearTimeout(timer);
      resolve(m.port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`delay server exited (${code})`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    child,
    truth: async () => (await (await fetch(`${url}/truth`)).json()) as Truth[],
    stallMs: async () => ((await (await fetch(`${url}/stall`)).json()) as { maxMs: number }).maxMs,
    reset: async () => {
      await fetch(`${url}/truth/reset`, { method: 'POST' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.disconnect();
      }),
  };
}
