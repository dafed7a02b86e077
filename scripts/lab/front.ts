/**
 * The round-robin front the lab puts before several gateway instances: an HTTP proxy on a free
 * loopback port, in the CLI's own process, standing in for the load balancer a team runs.
 *
 * - Each request goes to the next instance in turn, on a connection of its own (no pooled
 *   connection can go stale when an instance dies). An instance that refuses the connection is
 *   skipped, so a dead instance's new requests go to the others; when every one refuses, the
 *   client gets 503 SL_NO_INSTANCE.
 * - Status, headers and body bytes pass through unchanged (hop-by-hop headers aside), streamed as
 *   they come: an SSE stream reaches the client event by event.
 * - A request in flight on an instance that dies fails visibly: before its response began, 502
 *   SL_INSTANCE_LOST in the one error shape; after, the client connection is cut mid-body (a
 *   truncated stream). Either way `onLost` hears of it, with the instance it was on.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ERRORS, type ErrorCode } from '../../core/errors.js';

/** A request the front lost because its instance failed under it. */
export interface LostRequest {
  /** 1-based instance number */
  instance: number;
  /** epoch ms the front received the request, and when it lost it */
  startedMs: number;
  lostMs: number;
  /** `before-response`: the client got a 502; `mid-response`: its body was cut */
  phase: 'before-response' | 'mid-response';
  method: string;
  path: string;
  error: string;
}

export interface FrontStats {
  /** per instance (index 0 = instance 1): requests forwarded, connects refused, requests lost */
  forwarded: number[];
  refused: number[];
  lost: number[];
  /** requests no instance accepted (503) */
  unserved: number;
}

export interface RunningFront {
  url: string;
  /** the instances' base URLs, in order (instance 1 first) */
  instances(): string[];
  /** point instance `n` (1-based) at another URL (an instance restarted on another port) */
  setInstance(n: number, url: string): void;
  /** requests in flight on instance `n` now */
  inFlight(n: number): number;
  stats(): FrontStats;
  close(): Promise<void>;
}

export interface FrontOptions {
  instances: string[];
  onLost?: (lost: LostRequest) => void;
  host?: string;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
  'content-length',
]);

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

function errorBody(code: ErrorCode, message: string): string {
  return JSON.stringify({ error: { message, type: 'stormlab_front', code } });
}

export async function startFront(opts: FrontOptions): Promise<RunningFront> {
  if (opts.instances.length === 0) throw new Error('startFront needs at least one instance');
  const urls = opts.instances.map((u) => new URL(u));
  const n = urls.length;
  const zeros = (): number[] => urls.map(() => 0);
  const stats: FrontStats = { forwarded: zeros(), refused: zeros(), lost: zeros(), unserved: 0 };
  const active = zeros();
  let turn = 0;

  const server = createServer({ noDelay: true }, (req, res) => {
    const startedMs = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(Buffer.concat(chunks), turn++ % n, 0));

    const reply = (code: ErrorCode, message: string): void => {
      const body = errorBody(code, message);
      const type = 'application/json; charset=utf-8';
      res.writeHead(ERRORS[code].status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };

    function forward(body: Buffer, start: number, tried: number): void {
      if (tried === n) {
        stats.unserved++;
        reply('SL_NO_INSTANCE', `no gateway instance accepted the connection (all ${n} refused)`);
        return;
      }
      const i = (start + tried) % n;
      const u = urls[i]!;
      let connected = false;
      let settled = false;
      const up = httpRequest({
        host: u.hostname,
        port: u.port,
        method: req.method,
        path: req.url,
        headers: { ...endToEnd(req.headers), host: u.host, 'content-length': body.length },
        agent: false,
      });
      up.on('socket', (s) => s.once('connect', () => (connected = true)));
      const lose = (phase: LostRequest['phase'], error: string): void => {
        if (settled) return;
        settled = true;
        active[i]!--;
        stats.lost[i]!++;
        const [method, path] = [req.method ?? '', req.url ?? ''];
        opts.onLost?.({ instance: i + 1, startedMs, lostMs: Date.now(), phase, method, path, error });
        if (phase === 'before-response') {
          reply('SL_INSTANCE_LOST', `gateway instance ${i + 1} failed with the request in flight (${error})`);
        } else res.destroy();
      };
      up.on('error', (e: NodeJS.ErrnoException) => {
        if (!connected) {
          // refused: nothing reached the instance, so the next one may take the request
          settled = true;
          stats.forwarded[i]!--;
          active[i]!--;
          stats.refused[i]!++;
          forward(body, start, tried + 1);
          return;
        }
        if (res.headersSent) lose('mid-response', e.code ?? e.message);
        else if (!res.destroyed) lose('before-response', e.code ?? e.message);
      });
      up.on('response', (r) => {
        res.writeHead(r.statusCode ?? 502, r.statusMessage, endToEnd(r.headers));
        res.flushHeaders();
        r.on('data', (c: Buffer) => res.write(c));
        r.on('end', () => {
          if (settled) return;
          settled = true;
          active[i]!--;
          res.end();
        });
        r.on('close', () => {
          if (!r.complete) lose('mid-response', 'the connection closed before the response ended');
        });
      });
      // the client went away: drop the upstream request too (not a loss of the instance's)
      res.on('close', () => {
        if (settled) return;
        if (!res.writableFinished && connected) {
          settled = true;
          active[i]!--;
          up.destroy();
        }
      });
      stats.forwarded[i]!++;
      active[i]!++;
      up.end(body);
    }
  });
  server.keepAliveTimeout = 30_000;
  // the load keeps the process alive while it runs; a front left open must not hold it after
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${addr.port}`,
    instances: () => urls.map((u) => u.origin),
    setInstance(k, url) {
      if (k < 1 || k > n) throw new Error(`no instance ${k} (1–${n})`);
      urls[k - 1] = new URL(url);
    },
    inFlight: (k) => active[k - 1] ?? 0,
    stats: () => structuredClone(stats),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
