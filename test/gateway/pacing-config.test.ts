/** Bad pacing config → the file, the field path and what was expected; exit 2. */
import { describeBadGatewayConfigs, type BadConfigCase } from '../helpers/bad-config.js';

const base = (upstreamExtra = '', b = '') => `
upstreams:
  - { id: oai/us, provider: oai, region: us-east${upstreamExtra} }
  - { id: oai/eu, provider: oai, region: eu-west${b} }
prices:
  m1: { input: 1, output: 2 }
routes:
  - { model: m1, targets: [{ upstream: oai/us }, { upstream: oai/eu }] }
`;

const cases: BadConfigCase[] = [
  {
    name: 'an rpm that is not a whole positive number',
    yaml: base(', rpm: -5'),
    path: /upstreams\[0\]\.rpm/,
    expected: />\s*0|positive|too small/i,
  },
  {
    name: 'a tpm given as text',
    yaml: base(', tpm: lots'),
    path: /upstreams\[0\]\.tpm/,
    expected: /number/,
  },
  {
    name: 'model limits with an unknown field',
    yaml: base(', modelLimits: { m1: { rps: 5 } }'),
    path: /upstreams\[0\]\.modelLimits\.m1/,
    expected: /rps/,
  },
  {
    name: 'a limit group whose members declare different limits',
    yaml: base(', rpm: 600, limitGroup: oai', ', rpm: 300, limitGroup: oai'),
    path: /upstreams\[1\]\.limitGroup/,
    expected: /the same rpm, tpm and modelLimits as "oai\/us" of limit group "oai" \(rpm 600, tpm -\); got rpm 300, tpm -/,
  },
  {
    name: 'a sustained share above 1',
    yaml: `${base()}pacing: { thresholds: { sustained: 1.2 } }\n`,
    path: /pacing\.thresholds\.sustained/,
    expected: /expected <= 1/,
  },
  {
    name: 'queueing below the sustained share',
    yaml: `${base()}pacing: { thresholds: { sustained: 0.8, queueAt: 0.7 } }\n`,
    path: /pacing\.thresholds\.queueAt/,
    expected: /at least sustained \(0\.8\)/,
  },
  {
    name: 'a ceiling below the queueing share',
    yaml: `${base()}pacing: { thresholds: { ceiling: 0.85 } }\n`,
    path: /pacing\.thresholds\.ceiling/,
    expected: /at least queueAt \(0\.9\)/,
  },
  {
    name: 'a queue timeout that is not a duration',
    yaml: `${base()}pacing: { levels: { P1: { queueTimeout: soon } } }\n`,
    path: /pacing\.levels\.P1\.queueTimeout/,
    expected: /a duration such as 500ms, 20s or 1m30s/,
  },
  {
    name: 'a queue for P0, which is never queued',
    yaml: `${base()}pacing: { levels: { P0: { maxDepth: 10 } } }\n`,
    path: /pacing\.levels/,
    expected: /P0/,
  },
  {
    name: 'a negative max depth',
    yaml: `${base()}pacing: { levels: { P2: { maxDepth: -1 } } }\n`,
    path: /pacing\.levels\.P2\.maxDepth/,
    expected: />=\s*0|too small|nonnegative|non-negative/i,
  },
];

describeBadGatewayConfigs('bad pacing in a gateway config', cases);
