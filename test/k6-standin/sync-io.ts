/**
 * The blocking channel between a VU thread and the host: the VU posts a request and sleeps on
 * `Atomics.wait`; the host answers on the port and bumps the shared counter, which wakes it.
 * Several replies may answer one request (the events of an SSE stream), read one at a time.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { IoReply, IoRequest } from './protocol.js';

/** VU side. */
export class VuChannel {
  private readonly counter: Int32Array;

  constructor(
    signal: SharedArrayBuffer,
    private readonly port: MessagePort,
  ) {
    this.counter = new Int32Array(signal);
  }

  /** Post without waiting. */
  send(req: IoRequest): void {
    this.port.postMessage(req);
  }

  /** Block until the host's next reply. */
  next(): IoReply {
    for (;;) {
      const seen = Atomics.load(this.counter, 0);
      const got = receiveMessageOnPort(this.port);
      if (got) return got.message as IoReply;
      Atomics.wait(this.counter, 0, seen, 60_000);
    }
  }

  call(req: IoRequest): IoReply {
    this.send(req);
    return this.next();
  }
}

/** Host side: answer a VU and wake it. */
export function reply(port: MessagePort, signal: SharedArrayBuffer, msg: IoReply): void {
  port.postMessage(msg);
  const counter = new Int32Array(signal);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

/** A blocking sleep, as k6's `sleep()` blocks its VU. */
export function blockFor(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
