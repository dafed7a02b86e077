/**
 * Backpressure: clients that never read a long stream must not make the mock buffer the answers.
 * 24 readers ask for ~9 MB streams each (about 220 MB in all, due within a second) and read nothing;
 * the fleet's process may grow by a small part of that (what the kernel's socket buffers do not
 * hold stays with the pacer, not in memory).
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetSchema } from './fleet-schema.js';
import { startFleet, type RunningFleet } from './fleet.js';
import { exposedGc } from './gc-pacing.js';
import type { LedgerEntry } from './ledger.js';
import { until } from './test-helpers.js';

const TOKENS = 40_000;
const READERS = 24;
/** an OpenAI chunk per token is ~230 bytes */
const ANSWER_BYTES = TOKENS * 230;

let fleet: RunningFleet;
const ledger: LedgerEntry[] = [];

beforeAll(async () => {
  const f = FleetSchema.parse({
    providers: [
      {
        name: 'big',
        format: 'openai',
        regions: ['r1'],
        models: [
          {
            name: 'long',
            price: { input: 1, output: 1 },
            ttftMs: { dist: 'constant', value: 5 },
            itlMs: { dist: 'constant', value: 0.02 },
            outputTokens: { dist: 'constant', value: TOKENS },
            maxOutputTokens: TOKENS,
          },
        ],
      },
    ],
  });
  fleet = await startFleet(f, { ledger: (e) => ledger.push(e), control: false, reserveFds: 0 });
});
afterAll(() => fleet?.close());

/** A raw socket that sends the request and never reads the answer. */
function slowReader(url: string): Promise<Socket> {
  const u = new URL(url);
  const body = JSON.stringify({ model: 'long', messages: [{ role: 'user', content: 'a long story please' }], stream: true });
  const req = `POST /v1/chat/completions HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  return new Promise((resolve, reject) => {
    const s = connect(Number(u.port), u.hostname, () => {
      s.pause();
      s.write(req);
      resolve(s);
    });
    s.once('error', reject);
  });
}

const used = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external; // external includes the array buffers
};

describe('stream backpressure', () => {
  it(`${READERS} readers that never read hold well under their answers' ${Math.round((READERS * ANSWER_BYTES) / 1e6)} MB`, async () => {
    const gc = exposedGc();
    gc?.({ type: 'major' });
    const before = { used: used(), rss: process.memoryUsage().rss };
    const url = fleet.endpoints[0]!.url;
    const sockets = await Promise.all(Array.from({ length: READERS }, () => slowReader(url)));
    // every token is due ~0.8 s after a request arrives; give the writes time to fill whatever the sockets take
    await new Promise((r) => setTimeout(r, 2000));
    gc?.({ type: 'major' });
    const grown = { used: used() - before.used, rss: process.memoryUsage().rss - before.rss };
    const answers = READERS * ANSWER_BYTES;
    expect(grown.used).toBeLessThan(answers / 5); // the call plans (offsets, pieces) alone are ~15 MB
    expect(grown.rss).toBeLessThan(answers / 3);
    // the answers wait for their readers: none finished, and a reader that leaves is ledgered as such
    expect(fleet.inFlight()).toBe(READERS);
    for (const s of sockets) s.destroy();
    await until(() => ledger.filter((l) => l.outcome === 'client_aborted').length === READERS, 5000);
  });
});
