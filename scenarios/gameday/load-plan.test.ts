import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StormlabError } from '../../core/errors.js';
import { listPlans, loadPlan } from './load-plan.js';

const dir = mkdtempSync(join(tmpdir(), 'stormlab-plan-'));
function planFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function errorOf(f: () => unknown): StormlabError {
  try {
    f();
  } catch (e) {
    if (e instanceof StormlabError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('game-day plans', () => {
  it('ships the eight built-in plans, each with a fault or an action, and expectations', () => {
    expect(listPlans()).toEqual([
      'brownout',
      'flapping-provider',
      'instance-kill',
      'mid-stream-cuts',
      'primary-region-outage',
      'provider-429-storm',
      'residency-outage',
      'slow-drain',
    ]);
    for (const name of listPlans()) {
      const plan = loadPlan(name);
      expect(plan.spec.chaos.length + plan.actions.length, name).toBeGreaterThan(0);
      expect(plan.expect.length, name).toBeGreaterThan(0);
    }
    const flapping = loadPlan('flapping-provider');
    expect(flapping.spec.chaos.map((c) => [c.at, c.for])).toEqual([
      [10_000, 20_000],
      [50_000, 20_000],
      [90_000, 20_000],
    ]);
    expect(loadPlan('primary-region-outage').spec.name).toBe('regional-outage');
  });

  it('reads kill-instance actions with their offsets and restart delays in ms', () => {
    const plan = loadPlan('instance-kill');
    expect(plan.spec.target).toMatchObject({ gateway: 'default', instances: 3 });
    expect(plan.actions).toEqual([{ at: 15_000, 'kill-instance': { instance: 2, restartAfter: 10_000 } }]);
  });

  it('names the field of a bad kill-instance action, and refuses a plan with neither fault nor action', () => {
    const base = [
      'name: p',
      'spec:',
      '  name: s',
      '  target: { instances: 2 }',
      '  arrival: { executor: constant-arrival-rate, rate: 1, duration: 5s }',
      '  workload:',
      '    classes:',
      '      - { name: c, model: gpt-4.1-mini, promptTokens: { dist: constant, value: 50 }, maxTokens: { dist: constant, value: 64 } }',
      'expect: [client_errors < 1%]',
      '',
    ].join('\n');
    const withActions = (name: string, action: string) => planFile(name, `${base}actions:\n  - ${action}\n`);
    const bad = errorOf(() => loadPlan(withActions('bad-action.yaml', '{ at: 2s, kill-instance: { instance: 0, restartAfter: soon } }')));
    expect(bad.code).toBe('SL_CONFIG_INVALID');
    const paths = ['actions[0].kill-instance.instance', 'actions[0].kill-instance.restartAfter'];
    expect(bad.details.map((d) => d.path)).toEqual(paths);
    const typo = errorOf(() => loadPlan(withActions('typo-action.yaml', '{ at: 2s, kill-instnace: { instance: 1 } }')));
    expect(typo.details.map((d) => d.path)).toContain('actions[0].kill-instance');
    const none = errorOf(() => loadPlan(planFile('no-fault.yaml', base)));
    expect(none.details[0]).toMatchObject({ path: 'spec.chaos' });
    expect(none.details[0]!.expected).toContain('kill-instance');
  });

  it('names the file, the field path and what was expected for a bad expectation', () => {
    const file = planFile(
      'bad-expect.yaml',
      'name: p\nspec: regional-outage\nexpect:\n  - client_errors_during_fault < 1%\n  - time_to_failover < soon\n',
    );
    const e = errorOf(() => loadPlan(file));
    expect(e.code).toBe('SL_CONFIG_INVALID');
    expect(e.exitCode).toBe(2);
    expect(e.details[0]).toMatchObject({
      file,
      path: 'expect[1]',
      expected: expect.stringContaining('for time_to_failover, a duration'),
    });
  });

  it('names the path inside an inline spec, and an unknown plan lists the built-in ones', () => {
    const file = planFile(
      'bad-spec.yaml',
      [
        'name: p',
        'spec:',
        '  name: s',
        '  arrival: { executor: constant-arrival-rate, rate: 5, duration: 10s }',
        '  workload:',
        '    classes:',
        '      - { name: c, model: gpt-4.1-mini, promptTokens: { dist: constant, value: 50 }, maxTokens: { dist: constant, value: 20 } }',
        '  chaos: [{ at: 1s, for: 2s, fault: outage-nope }]',
        'expect: [client_errors < 1%]',
      ].join('\n'),
    );
    const e = errorOf(() => loadPlan(file));
    expect(e.details[0]).toMatchObject({
      file,
      path: 'spec.chaos[0].fault',
      expected: expect.stringContaining('outage-refuse'),
    });
    const unknown = errorOf(() => loadPlan('no-such-plan'));
    expect(unknown.code).toBe('SL_PLAN_UNKNOWN');
    expect(unknown.message).toContain('primary-region-outage');
  });

  it('refuses a plan without faults and a bad SLO', () => {
    const calm = planFile('calm.yaml', 'name: p\nspec: baseline\nexpect: [client_errors < 1%]\n');
    expect(errorOf(() => loadPlan(calm)).details[0]).toMatchObject({ path: 'spec.chaos', file: calm });
    const slo = planFile(
      'slo.yaml',
      'name: p\nspec: regional-outage\nslo: { availability: 120% }\nexpect: [client_errors < 1%]\n',
    );
    expect(errorOf(() => loadPlan(slo)).details[0]).toMatchObject({ path: 'slo.availability', file: slo });
  });
});
