/**
 * Several gateway instances sharing Redis, one killed mid-run: the real lab throughout — the mock
 * fleet, three gateway processes behind the lab's round-robin front, a real redis-server, the
 * native driver — with a hard budget the load exhausts. Instance 2 is SIGKILLed before the budget
 * runs out and restarted after it has: the requests in flight on it fail visibly and are counted,
 * no request started while it was down is lost, the fleet's ledger never bills more than the cap
 * (+1 %) across the three, and the restarted instance refuses on the budget spent while it was
 * down (each instance with its own in-process budget would let three caps through).
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GATEWAY_CONFIGS_DIR } from '../gateway/index.js';
import { INSTANCES_FILE, readInstanceEvents } from '../reports/gameday/instance-events.js';
import { readGamedayInputs, readUpstreamCalls } from '../reports/gameday/inputs.js';
import { measureInstanceKills } from '../reports/gameday/instances.js';
import { measureGameday } from '../reports/gameday/measure.js';
import { SpecSchema } from '../scenarios/spec-schema.js';
import { scheduleActions, type RunningActions } from '../scripts/lab/actions.js';
import { findRedisServer } from '../scripts/lab/redis.js';
import { runLab, type LabReady } from '../scripts/lab/run-lab.js';

const LIMIT_USD = 0.015;
const KILL_AT_MS = 2_500;
const RESTART_AFTER_MS = 4_000;

const dir = mkdtempSync(join(tmpdir(), 'stormlab-instances-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gatewayConfig(): string {
  const file = join(dir, 'capped.yaml');
  const small = readFileSync(join(GATEWAY_CONFIGS_DIR, 'small.yaml'), 'utf8');
  writeFileSync(file, `${small}\nbudgets:\n  - { id: lab-cap, per: key, limitUsd: ${LIMIT_USD}, period: day, mode: hard }\n`);
  return file;
}

const spec = () =>
  SpecSchema.parse({
    name: 'instances-budget',
    target: { gateway: gatewayConfig(), fleet: 'small', instances: 3 },
    arrival: { executor: 'constant-arrival-rate', rate: 10, duration: '15s', maxInFlight: 300 },
    workload: {
      seed: 41,
      classes: [
        {
          name: 'chat',
          model: 'gpt-4.1-mini',
          streamRatio: 0.7,
          promptTokens: { dist: 'lognormal', median: 200, sigma: 0.5, min: 8, max: 2000 },
          maxTokens: { dist: 'lognormal', median: 150, sigma: 0.4, min: 16, max: 400 },
        },
      ],
    },
    timeout: '20s',
  });

interface Probe {
  status: number;
  code?: string;
}

async function chat(url: string): Promise<Probe> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-stormlab-lab' },
    body: JSON.stringify({ model: 'gpt-4.1-mini', max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { error?: { code?: string } };
  return { status: res.status, ...(body.error?.code ? { code: body.error.code } : {}) };
}

describe.skipIf(findRedisServer() === null)('three gateway instances sharing Redis, one killed mid-run', () => {
  it('counts what died in flight, holds the shared budget, and restarts into the state it missed', async () => {
    const out = join(dir, 'run');
    let actions: RunningActions | undefined;
    let lab: LabReady | undefined;
    const after: { restarted?: Probe; spend: Array<{ totalUsd: number; store: string }> } = { spend: [] };
    const { runDir } = await runLab({
      spec: spec(),
      out,
      onReady: async (ready) => {
        lab = ready;
        const kill = { at: KILL_AT_MS, 'kill-instance': { instance: 2, restartAfter: RESTART_AFTER_MS } };
        actions = scheduleActions([kill], ready.instances!, () => undefined);
      },
      beforeStop: async () => {
        await actions?.settle();
        const urls = lab!.instances!.urls();
        // straight to the restarted instance, past the front: the budget ran out while it was down
        after.restarted = await chat(urls[1]!);
        for (const u of urls) {
          const res = await fetch(`${u}/admin/spend`, { signal: AbortSignal.timeout(5000) });
          after.spend.push((await res.json()) as { totalUsd: number; store: string });
        }
      },
    });
    expect(lab?.instances?.count).toBe(3);
    expect(lab?.instances?.redis).toBeDefined();

    // the kill and the restart happened, and the front counted what it lost on the dead instance
    const events = await readInstanceEvents(join(runDir, INSTANCES_FILE));
    const [kill] = measureInstanceKills(events, 0);
    expect(kill).toBeDefined();
    expect(kill!.instance).toBe(2);
    expect(kill!.servingAgainAtS).not.toBeNull();
    expect(kill!.lost).toBeGreaterThan(0);
    // every lost request was under way when the instance died (SIGKILL takes a moment to land: a
    // connection the kernel accepted meanwhile is lost too); later ones went to the other instances
    const killedAt = Date.parse(events.find((e) => e.event === 'kill')!.time);
    const lost = events.filter((e) => e.event === 'lost');
    for (const l of lost) expect(Date.parse(l.startedAt)).toBeLessThan(killedAt + 500);

    // the client saw them fail: the report lays them at the kill, as cut in flight
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { startedAt: string; endedAt: string };
    const inputs = await readGamedayInputs(runDir, { startMs: Date.parse(run.startedAt), endMs: Date.parse(run.endedAt) });
    const m = measureGameday(inputs, { availability: 0.99 });
    const fault = m.faults.find((f) => f.fault === 'kill-instance');
    expect(fault?.cutInFlight).toBeGreaterThanOrEqual(kill!.lost);
    expect(m.values.requests_lost_in_flight).toBe(kill!.lost);
    const refused = inputs.requests.filter((r) => r.status === 402).length;
    expect(refused).toBeGreaterThan(0);

    // one budget across the three: the fleet billed no more than the cap (+1 %)
    const billed = (await readUpstreamCalls(join(runDir, 'ledger.ndjson'))).reduce((s, c) => s + c.costUsd, 0);
    expect(billed).toBeGreaterThan(LIMIT_USD * 0.5);
    expect(billed).toBeLessThanOrEqual(LIMIT_USD * 1.01);
    // every instance reads the same shared spend from Redis
    expect(after.spend.map((s) => s.store)).toEqual(['redis', 'redis', 'redis']);
    expect(new Set(after.spend.map((s) => s.totalUsd)).size).toBe(1);

    // restarted after the budget ran out, instance 2 refuses as the others do
    expect(after.restarted).toEqual({ status: 402, code: 'GW_BUDGET_EXCEEDED' });
  }, 120_000);
});
