/**
 * Messages between the stand-in's host (the main thread: scheduler, real HTTP, sample file) and
 * its VU threads (one vm context each, running the bundle). A VU blocks on `Atomics.wait` while
 * the host does its I/O; replies come back through a MessagePort read with `receiveMessageOnPort`.
 */
import type { MessagePort } from 'node:worker_threads';

/** VU → host, on the synchronous channel: one blocking call. */
export type IoRequest =
  | { op: 'http'; method: string; url: string; headers: Record<string, string>; body: string | null; timeoutMs: number }
  | { op: 'sse-open'; method: string; url: string; headers: Record<string, string>; body: string }
  | { op: 'sse-close' };

/** What k6's http.Response carries (timings in ms). */
export interface HttpReply {
  kind: 'http';
  status: number;
  /** canonical header names (`X-Request-Id`), several values joined with ", " */
  headers: Record<string, string>;
  body: string;
  error: string;
  errorCode: number;
  proto: string;
  timings: Record<'blocked' | 'connecting' | 'tls_handshaking' | 'sending' | 'waiting' | 'receiving' | 'duration', number>;
  startMs: number;
  endMs: number;
  bytesSent: number;
  bytesReceived: number;
}

/** Host → VU during `sse.open`, in the order xk6-sse's read loop hands them to the script. */
export type SseReply =
  | { kind: 'sse-connected'; status: number; headers: Record<string, string>; startMs: number; connectedMs: number }
  | { kind: 'sse-failed'; error: string; startMs: number }
  | { kind: 'sse-event'; id: string; name: string; comment: string; data: string }
  | { kind: 'sse-error'; error: string }
  /** the body ended (EOF), or a close() finished draining it (`error` when draining failed) */
  | { kind: 'sse-end'; error?: string; endMs: number };

export type IoReply = HttpReply | SseReply;

/** One k6 `--out json` Point, before serialisation. */
export interface PointMsg {
  metric: string;
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: 'time' | 'default' | 'data';
  timeMs: number;
  value: number;
  tags: Record<string, string>;
  metadata?: Record<string, string>;
}

/** VU → host, asynchronous (parentPort). */
export type VuEvent =
  | { kind: 'ready'; vu: number; imports: string[]; exports: string[]; options: unknown }
  | { kind: 'init-failed'; vu: number; error: string }
  | { kind: 'points'; points: PointMsg[] }
  | { kind: 'console'; level: 'log' | 'info' | 'warn' | 'error' | 'debug'; text: string }
  | { kind: 'done'; vu: number; error?: string; setupData?: string };

/** host → VU, asynchronous. */
export type VuCommand =
  | {
      kind: 'iterate';
      fn: 'default' | 'setup' | 'teardown';
      iterationInTest: number;
      iterationInScenario: number;
      /** setup()'s result, JSON */
      data?: string;
      /** known once VU 1's init context gave the options */
      scenario: VuInit['scenario'];
    }
  | { kind: 'exit' };

export interface VuInit {
  bundleFile: string;
  vu: number;
  env: Record<string, string>;
  scenario: { name: string; executor: string; startTime: number };
  signal: SharedArrayBuffer;
  port: MessagePort;
}
