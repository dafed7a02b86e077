import { hostname } from 'node:os';
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

  it('written straight to the destination, is the line pino writes: same keys in the same order, same values', async () => {
    const { log, lines } = await loggerAt('info');
    const ctx = new RequestContext('req-3', traceFrom(undefined), performance.now());
    ctx.outcome.status = 200;
    ctx.outcome.usage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 };
    ctx.outcome.costUsd = 0.00031;
    ctx.outcome.ttftMs = 41.6;
    logRequest(log, ctx, 80.2);
    const direct: string[] = [];
    logRequest(log, ctx, 80.2, { pid: process.pid, hostname: hostname(), write: (line) => void direct.push(line) });
    await new Promise((r) => setImmediate(r));
    expect(direct).toHaveLength(1);
    expect(direct[0]?.endsWith('}\n')).toBe(true);
    const viaPino = JSON.parse(lines[0] as string) as Record<string, unknown>;
    const straight = JSON.parse(direct[0] as string) as Record<string, unknown>;
    expect(Object.keys(straight)).toEqual(Object.keys(viaPino));
    expect({ ...straight, time: 0 }).toEqual({ ...viaPino, time: 0 });
    expect(Math.abs((straight.time as number) - (viaPino.time as number))).toBeLessThan(1000);
    expect(straight).toMatchObject({ level: 30, msg: 'request', tokensIn: 12, tokensOut: 7, ttftMs: 42, durationMs: 80 });
  });

  it('is not written straight when info is off', async () => {
    const { log } = await loggerAt('warn');
    const direct: string[] = [];
    logRequest(log, untouchable(), 1, { pid: 1, hostname: 'h', write: (line) => void direct.push(line) });
    expect(direct).toEqual([]);
  });
});
