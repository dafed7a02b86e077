import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { infoEnabled, logRequest } from './log-line.js';
import { RequestContext } from './context.js';
import { traceFrom } from '../telemetry/trace.js';

/** A context whose outcome may not be read: building the log line would throw. */
function untouchable(): RequestContext {
  const ctx = new RequestContext('req-1', traceFrom(undefined), performance.now());
  Object.defineProperty(ctx, 'outcome', {
    get() {
      throw new Error('the log line was built');
    },
  });
  return ctx;
}

async function loggerAt(level: string | false): Promise<{ log: ReturnType<typeof Fastify>['log']; lines: string[] }> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const app = Fastify({ logger: level === false ? false : { level, stream } });
  await app.ready();
  return { log: app.log, lines };
}

describe('the request log line', () => {
  it('is not built when info is off: logging disabled, or a level above info', async () => {
    for (const level of [false, 'warn', 'silent'] as const) {
      const { log, lines } = await loggerAt(level);
      expect(infoEnabled(log)).toBe(false);
      expect(() => logRequest(log, untouchable(), 1)).not.toThrow();
      expect(lines).toEqual([]);
    }
  });

  it('is written at info', async () => {
    const { log, lines } = await loggerAt('info');
    expect(infoEnabled(log)).toBe(true);
    const trace = traceFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    const ctx = new RequestContext('req-2', trace, performance.now());
    ctx.outcome.status = 401;
    ctx.outcome.errorCode = 'GW_UNAUTHORIZED';
    logRequest(log, ctx, 2.4);
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      expect.objectContaining({
        msg: 'request',
        requestId: 'req-2',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        status: 401,
        error: 'GW_UNAUTHORIZED',
        durationMs: 2,
        attempts: [],
      }),
    ]);
  });
});
