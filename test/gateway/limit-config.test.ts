/** Bad rate limits in a gateway config → the file, the field path and what was expected; exit 2. */
import { describeBadGatewayConfigs, type BadConfigCase } from '../helpers/bad-config.js';

const base = `
upstreams:
  - { id: oai/us, provider: oai, region: us-east }
prices:
  m1: { input: 1, output: 2 }
  m2: { input: 0.1, output: 0.2 }
routes:
  - { model: m1, targets: [{ upstream: oai/us }] }
  - { model: m2, targets: [{ upstream: oai/us }] }
keys:
  - { id: acme-app, key: sk-test-limits-0001, tenant: acme, tier: free }
`;
const limit = (fields: string): string => `${base}limits:\n  - { id: l1, ${fields} }\n`;

const cases: BadConfigCase[] = [
  {
    name: 'a request limit without its unit',
    yaml: limit('per: key, requests: 20'),
    path: /limits\[0\]\.requests/,
    expected: /a rate with its unit, such as 20\/min, 100\/s, 40000\/h or 5\/10s \(a number alone has no unit\)/,
  },
  {
    name: 'a token limit with a unit that is not one',
    yaml: limit('tokens: 40000/fortnight'),
    path: /limits\[0\]\.tokens/,
    expected: /a rate with its unit, such as 20\/min/,
  },
  {
    name: 'a limit on neither requests nor tokens',
    yaml: limit('per: key, burst: 5'),
    path: /limits\[0\]\.requests/,
    expected: /exactly one of requests or tokens/,
  },
  {
    name: 'a limit naming an unknown key id',
    yaml: limit('match: { key: acme-ap }, requests: 20/min'),
    path: /limits\[0\]\.match\.key\[0\]/,
    expected: /a key id declared in keys \(one of "acme-app"\)/,
  },
  {
    name: 'a limit naming a tier no key has',
    yaml: limit('match: { tier: paid }, requests: 100/min'),
    path: /limits\[0\]\.match\.tier\[0\]/,
    expected: /a tier some key has \(one of "free"\)/,
  },
  {
    name: 'a cheaper-model limit without degradeTo',
    yaml: limit('requests: 20/min, onLimit: cheaper-model'),
    path: /limits\[0\]\.degradeTo/,
    expected: /a routed model to degrade to/,
  },
  {
    name: 'a limit degrading to an unrouted model',
    yaml: limit('requests: 20/min, onLimit: cheaper-model, degradeTo: m9'),
    path: /limits\[0\]\.degradeTo/,
    expected: /a routed model \(one of "m1", "m2"\)/,
  },
  {
    name: 'an unknown onLimit',
    yaml: limit('requests: 20/min, onLimit: queue'),
    path: /limits\[0\]\.onLimit/,
    expected: /"reject", "cheaper-model", "cache-only", "wait"/,
  },
];

describeBadGatewayConfigs('bad rate limits in a gateway config', cases);
