/**
 * Finding and loading game-day plans (Node only). A bare name (`primary-region-outage`) means the
 * built-in `scenarios/plans/<name>.yaml`; anything with a slash or a .yaml/.yml/.json ending is a
 * path. The plan's spec is resolved to a full, self-contained spec.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../../core/config-file.js';
import { StormlabError } from '../../core/errors.js';
import { inlineDatasets } from '../dataset.js';
import { loadSpec } from '../load-spec.js';
import type { Spec } from '../spec-schema.js';
import type { Expectation } from './expectation.js';
import { PlanSchema, type Action, type Slo } from './plan-schema.js';

export const PLANS_DIR = fileURLToPath(new URL('../plans/', import.meta.url));

export interface Plan {
  name: string;
  description: string;
  /** the file the plan came from */
  file: string;
  spec: Spec;
  slo: Slo;
  expect: Expectation[];
  /** lab actions (instance kills), offsets from the start of the load */
  actions: Action[];
}

export function listPlans(): string[] {
  if (!existsSync(PLANS_DIR)) return [];
  return readdirSync(PLANS_DIR)
    .filter((f) => /\.ya?ml$/i.test(f))
    .map((f) => f.replace(/\.ya?ml$/i, ''))
    .sort();
}

function looksLikePath(s: string): boolean {
  return s.includes('/') || s.includes('\\') || /\.(ya?ml|json)$/i.test(s) || isAbsolute(s);
}

export function resolvePlanFile(nameOrPath: string): string {
  if (looksLikePath(nameOrPath)) return resolve(nameOrPath);
  for (const ext of ['.yaml', '.yml']) {
    const file = resolve(PLANS_DIR, `${nameOrPath}${ext}`);
    if (existsSync(file)) return file;
  }
  const names = listPlans();
  throw new StormlabError(
    'SL_PLAN_UNKNOWN',
    `no built-in game-day plan named "${nameOrPath}" (built-in: ${names.join(', ')}); pass a path to use your own`,
    [{ path: 'plan', expected: `one of ${names.join(', ')} or a path to a .yaml file`, received: nameOrPath }],
  );
}

export function loadPlan(nameOrPath: string): Plan {
  const file = resolvePlanFile(nameOrPath);
  const raw = loadConfigFile(PlanSchema, file, 'game-day plan');
  let spec: Spec;
  if (typeof raw.spec === 'string') {
    const ref = looksLikePath(raw.spec) ? resolve(dirname(file), raw.spec) : raw.spec;
    spec = loadSpec(ref).spec;
  } else {
    spec = inlineDatasets(raw.spec, file);
  }
  if (spec.chaos.length === 0 && raw.actions.length === 0) {
    throw new StormlabError(
      'SL_CONFIG_INVALID',
      `invalid game-day plan in ${file} — spec.chaos: a game day needs at least one fault`,
      [{ file, path: 'spec.chaos', expected: 'at least one chaos event (at, for, fault, scope) or action (kill-instance)' }],
    );
  }
  if (raw.actions.length > 0 && !('gateway' in spec.target)) {
    throw new StormlabError(
      'SL_CONFIG_INVALID',
      `invalid game-day plan in ${file} — actions: kill-instance needs the gateway the lab starts, not a target URL`,
      [{ file, path: 'spec.target', expected: 'a gateway target ({ gateway, instances })', received: 'a url target' }],
    );
  }
  const { name, description, slo, expect, actions } = raw;
  return { name, description, file, spec, slo, expect, actions };
}
