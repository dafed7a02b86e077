/** Bad budgets and residency in a gateway config → the file, the field path and what was expected; exit 2. */
import { describeBadGatewayConfigs, type BadConfigCase } from '../helpers/bad-config.js';

const base = `
upstreams:
  - { id: oai/us, provider: oai, region: us-east, zone: us }
  - { id: oai/eu, provider: oai, region: eu-west, zone: eu }
prices:
  m1: { input: 1, output: 2 }
  m2: { input: 0.1, output: 0.2 }
routes:
  - { model: m1, targets: [{ upstream: oai/us }, { upstream: oai/eu }] }
  - { model: m2, targets: [{ upstream: oai/us }] }
keys:
  - { id: k1, key: sk-test-policy-0001, tenant: eu-bank }
`;

const cases: BadConfigCase[] = [
  {
    name: 'a budget without a period',
    yaml: `${base}budgets:\n  - { id: b1, per: key, limitUsd: 5 }\n`,
    path: /budgets\[0\]\.period/,
    expected: /a period: hour, day, week, month \(UTC calendar\) or a duration such as 12h/,
  },
  {
    name: 'a budget with a period that is not one',
    yaml: `${base}budgets:\n  - { id: b1, per: key, limitUsd: 5, period: fortnight }\n`,
    path: /budgets\[0\]\.period/,
    expected: /hour, day, week, month/,
  },
  {
    name: 'a soft budget without degradeTo',
    yaml: `${base}budgets:\n  - { id: b1, per: tenant, limitUsd: 5, period: month, mode: soft }\n`,
    path: /budgets\[0\]\.degradeTo/,
    expected: /a routed model to degrade to/,
  },
  {
    name: 'a budget degrading to an unrouted model',
    yaml: `${base}budgets:\n  - { id: b1, per: tenant, limitUsd: 5, period: month, mode: soft, degradeTo: m9 }\n`,
    path: /budgets\[0\]\.degradeTo/,
    expected: /a routed model \(one of "m1", "m2"\)/,
  },
  {
    name: 'residency naming a region no upstream has',
    yaml: `${base}tenants:\n  eu-bank: { residency: { regions: [eu-central] } }\n`,
    path: /tenants\.eu-bank\.residency\.regions\[0\]/,
    expected: /a region some upstream has \(one of "us-east", "eu-west"\)/,
  },
  {
    name: 'residency naming a zone no upstream has',
    yaml: `${base}tenants:\n  eu-bank: { residency: { zones: [ap] } }\n`,
    path: /tenants\.eu-bank\.residency\.zones\[0\]/,
    expected: /a zone some upstream has \(one of "us", "eu"\)/,
  },
  {
    name: 'residency for a tenant no key names',
    yaml: `${base}tenants:\n  eu-bnak: { residency: { zones: [eu] } }\n`,
    path: /tenants\.eu-bnak/,
    expected: /a tenant some key names \(one of "eu-bank"\)/,
  },
];

describeBadGatewayConfigs('bad budgets and residency in a gateway config', cases);
