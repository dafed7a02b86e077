/** Bad gateway config → an error naming the file, the field path and what was expected; exit 2. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeBadGatewayConfigs, type BadConfigCase } from '../helpers/bad-config.js';
import { cliProcess } from '../helpers/cli.js';

const base = `
upstreams:
  - { id: oai/a, provider: oai, region: a }
  - { id: oai/b, provider: oai, region: b }
prices:
  m1: { input: 1, output: 2 }
`;

const cases: BadConfigCase[] = [
  {
    name: 'an unknown strategy option',
    yaml: `${base}routes:\n  - { model: m1, strategy: { type: least-latency, smoothing: 3 }, targets: [{ upstream: oai/a }] }\n`,
    path: /routes\[0\]\.strategy\.smoothing/,
    expected: /unknown key/,
  },
  {
    name: 'an unknown strategy',
    yaml: `${base}routes:\n  - { model: m1, strategy: fastest, targets: [{ upstream: oai/a }] }\n`,
    path: /routes\[0\]\.strategy/,
    expected: /priority/,
  },
  {
    name: 'weights not summing to 100',
    yaml: `${base}routes:\n  - { model: m1, strategy: weighted, targets: [{ upstream: oai/a, weight: 70 }, { upstream: oai/b, weight: 20 }] }\n`,
    path: /routes\[0\]\.targets/,
    expected: /100/,
  },
  {
    name: 'an unknown upstream',
    yaml: `${base}routes:\n  - { model: m1, targets: [{ upstream: oai/c }] }\n`,
    path: /routes\[0\]\.targets\[0\]\.upstream/,
    expected: /oai\/a/,
  },
  {
    name: 'a missing price',
    yaml: `${base}routes:\n  - { model: m9, targets: [{ upstream: oai/a }] }\n`,
    path: /routes\[0\]\.model/,
    expected: /price for "m9"/,
  },
  {
    name: 'a key without key material',
    yaml: `${base}routes:\n  - { model: m1, targets: [{ upstream: oai/a }] }\nkeys:\n  - { id: k1, tenant: t }\n`,
    path: /keys\[0\]\.key/,
    expected: /exactly one of key, keyEnv or sha256/,
  },
  {
    name: 'a breaker rate out of range',
    yaml: `${base}routes:\n  - { model: m1, targets: [{ upstream: oai/a }] }\nbreaker: { errorRate: 5 }\n`,
    path: /breaker\.errorRate/,
    expected: /1/,
  },
  {
    name: 'a cache for a model no route serves',
    yaml: `${base}routes:\n  - { model: m1, targets: [{ upstream: oai/a }] }\ncache: { routes: { m9: {} } }\n`,
    path: /cache\.routes\.m9/,
    expected: /a routed model \(one of m1\)/,
  },
  {
    name: 'a cache TTL class that is not declared',
    yaml: `${base}routes:\n  - { model: m1, targets: [{ upstream: oai/a }] }\ncache: { routes: { m1: { ttl: weekly } } }\n`,
    path: /cache\.routes\.m1\.ttl/,
    expected: /TTL class declared in cache\.ttlClasses \(one of "general", "time-sensitive"\)/,
  },
  {
    name: 'a cache TTL without units',
    yaml: `${base}routes:\n  - { model: m1, targets: [{ upstream: oai/a }] }\ncache: { ttlClasses: { general: 7days }, routes: { m1: {} } }\n`,
    path: /cache\.ttlClasses\.general/,
    expected: /duration such as/,
  },
  {
    name: 'a semantic threshold out of range',
    yaml: `${base}routes:\n  - { model: m1, targets: [{ upstream: oai/a }] }\ncache: { semantic: { embeddings: m1, threshold: 1.5 }, routes: { m1: {} } }\n`,
    path: /cache\.semantic\.threshold/,
    expected: /1/,
  },
  {
    name: 'a malformed Redis URL',
    yaml: `${base}routes:\n  - { model: m1, targets: [{ upstream: oai/a }] }\nredis: { url: "localhost:6379" }\n`,
    path: /redis\.url/,
    expected: /a Redis URL such as redis:\/\/127\.0\.0\.1:6379\/0.*got scheme "localhost"/,
  },
  {
    name: 'a Redis URL with a path that is not a database number',
    yaml: `${base}routes:\n  - { model: m1, targets: [{ upstream: oai/a }] }\nredis: { url: "redis://cache.internal:6379/sessions" }\n`,
    path: /redis\.url/,
    expected: /only a database number/,
  },
];

describeBadGatewayConfigs('bad gateway config', cases);

describe('a config error found after the Redis connection is made', () => {
  it('closes the connection: stormlab gateway exits 2 instead of hanging on Redis reconnects', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stormlab-gwcfg-')), 'unset-key.yaml');
    const keys = 'keys:\n  - { id: k1, keyEnv: STORMLAB_TEST_UNSET_KEY, tenant: t }\n';
    // nothing listens on port 1: the client keeps reconnecting until the gateway closes it
    const redis = 'redis: { url: "redis://127.0.0.1:1", connectTimeoutMs: 200 }\n';
    const upstreams = 'upstreams:\n  - { id: oai/a, provider: oai, region: a, url: "http://127.0.0.1:9/v1" }\n';
    const rest = 'prices: { m1: { input: 1, output: 2 } }\nroutes:\n  - { model: m1, targets: [{ upstream: oai/a }] }\n';
    writeFileSync(file, `${upstreams}${rest}${keys}${redis}`);
    const r = await cliProcess(['gateway', '--config', file], { timeoutMs: 30_000, env: { STORMLAB_TEST_UNSET_KEY: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/keys\[0\]\.keyEnv/);
  }, 40_000);
});
