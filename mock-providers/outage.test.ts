/** A dead region is a closed port: new connections are refused, streams in flight are cut; it can come back. */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStormlabError } from '../core/errors.js';
import { startFleet, type RunningFleet } from './fleet.js';
import type { LedgerEntry } from './ledger.js';
import { OUTPUT_TOKENS, postChat, streamChat, testFleet } from './test-helpers.js';

const messages = [{ role: 'user', content: 'hello' }];

async function refused(url: string): Promise<string | undefined> {
  try {
    await postChat(url, { model: 'm1', messages, max_tokens: 1 });
    return undefined;
  } catch (e) {
    return ((e as { cause?: { code?: string } }).cause ?? {}).code;
  }
}

describe('stopEndpoint / startEndpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stormlab-outage-'));
  const ledgerFile = join(dir, 'runs', 'ledger.ndjson');
  let fleet: RunningFleet;
  let a = '';
  let b = '';

  beforeAll(async () => {
    fleet = await startFleet(testFleet(), { ledger: ledgerFile });
    a = fleet.endpoints[0]!.url;
    b = fleet.endpoints[1]!.url;
  });
  afterAll(() => fleet?.close());

  it('cuts a stream in flight, refuses new connections, leaves other regions alone, and serves again', async () => {
    let stopping: Promise<void> | undefined;
    const cut = await streamChat(a, { model: 'm1', messages }, { 'x-request-id': 'cut-1' }, (_e, i) => {
      if (i === 2) stopping = fleet.stopEndpoint('acme/a');
    });
    await stopping;
    expect(cut.status).toBe(200);
    expect(cut.done).toBe(false);
    expect(cut.cut).toBe(true);
    expect(cut.events.length).toBeLessThan(OUTPUT_TOKENS);

    expect(fleet.inFlight('acme/a')).toBe(0);
    expect(await refused(a)).toBe('ECONNREFUSED');
    expect((await postChat(b, { model: 'm1', messages, max_tokens: 1 })).status).toBe(200);

    await fleet.startEndpoint('acme/a');
    expect(fleet.endpoints[0]!.url).toBe(a);
    const again = await postChat(a, { model: 'm1', messages, max_tokens: 2 }, { 'x-request-id': 'back-1' });
    expect(again.status).toBe(200);
    expect(again.headers.get('x-stormlab-endpoint')).toBe('acme/a');
    await again.arrayBuffer();
  });

  it('names the known endpoints when asked for an unknown one', async () => {
    const e = await fleet.stopEndpoint('acme/zz').catch((x: unknown) => x);
    expect(isStormlabError(e) && e.code).toBe('SL_USAGE');
    expect(isStormlabError(e) && e.details[0]?.expected).toBe('one of acme/a, acme/b');
  });

  it('writes every call to the ledger file, the cut one as an endpoint_stopped error, flushed on close', async () => {
    await fleet.close();
    const lines = readFileSync(ledgerFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LedgerEntry);
    expect(lines).toHaveLength(3);
    const byId = new Map(lines.map((l) => [l.requestId, l]));
    expect(byId.get('cut-1')).toMatchObject({ endpoint: 'acme/a', outcome: 'error', fault: 'endpoint_stopped', status: 200, stream: true });
    expect(byId.get('cut-1')!.tokensOut).toBeLessThan(OUTPUT_TOKENS);
    expect(byId.get('back-1')).toMatchObject({ endpoint: 'acme/a', outcome: 'ok', tokensOut: 2, attempt: null });
    expect(lines.filter((l) => l.endpoint === 'acme/b')).toHaveLength(1);
  });
});
