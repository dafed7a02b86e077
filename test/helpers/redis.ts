/**
 * A real redis-server for tests (Debian's package; STORMLAB_REDIS_SERVER names another binary):
 * started on a free loopback port with no persistence, stopped (or SIGKILLed to play an outage)
 * and restarted on the same port, so clients configured with its URL find it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createConnection } from 'node:net';

const BINARY = process.env.STORMLAB_REDIS_SERVER || 'redis-server';
const READY_WITHIN_MS = 5_000;

export interface TestRedis {
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** SIGKILL: no goodbye to clients, as a crash */
  kill(): Promise<void>;
  /** start again on the same port (after kill or stop) */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a server that holds connections open and answers nothing */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once the server answers PING with PONG. */
async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
    sock.once('connect', () => sock.write('PING\r\n'));
  });
}

function launch(port: number): { child: ChildProcess; exited: Promise<void>; stderr: () => string } {
  const child = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (e) => {
      err += String(e);
      resolve();
    });
  });
  return { child, exited, stderr: () => err };
}

async function startOn(port: number): Promise<{ child: ChildProcess; exited: Promise<void> } | { failed: string }> {
  const p = launch(port);
  let gone = false;
  void p.exited.then(() => (gone = true));
  const end = Date.now() + READY_WITHIN_MS;
  while (Date.now() < end && !gone) {
    if (await answersPing(port)) return p;
    await new Promise((r) => setTimeout(r, 25));
  }
  p.child.kill('SIGKILL');
  return { failed: gone ? `exited: ${p.stderr().trim() || 'no output'}` : `no PONG within ${READY_WITHIN_MS} ms` };
}

/** Start a redis-server on a free port (a few ports are tried if another process takes one first). */
export async function startRedis(): Promise<TestRedis> {
  let problem = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let running = await startOn(port);
    if ('failed' in running) {
      problem = running.failed;
      continue;
    }
    const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
      if ('failed' in running) return;
      running.child.kill('SIGCONT');
      running.child.kill(signal);
      await running.exited;
    };
    return {
      port,
      url: `redis://127.0.0.1:${port}`,
      kill: () => stopWith('SIGKILL'),
      pause: () => void ('child' in running && running.child.kill('SIGSTOP')),
      resume: () => void ('child' in running && running.child.kill('SIGCONT')),
      stop: () => stopWith('SIGTERM'),
      restart: async () => {
        await stopWith('SIGKILL');
        running = await startOn(port);
        if ('failed' in running) throw new Error(`redis-server did not restart on port ${port}: ${running.failed}`);
      },
    };
  }
  throw new Error(`redis-server (${BINARY}) did not start: ${problem}`);
}
