/**
 * Cross-field checks of the tenants' residency and the budgets against the rest of the config:
 * every region or zone a residency names is one an upstream has, every tenant is one a key
 * names, and every model a budget names (degradeTo, match.model) is routed.
 */
import type { z } from 'zod';
import type { BudgetConfig } from './budgets.js';
import type { KeyConfig } from './keys.js';
import type { TenantsConfig } from './tenants.js';
import { zoneOf, type UpstreamConfig } from './upstream.js';

interface PolicyInput {
  readonly upstreams: readonly UpstreamConfig[];
  readonly keys?: readonly KeyConfig[] | undefined;
  readonly tenants: TenantsConfig;
  readonly budgets: readonly BudgetConfig[];
  readonly routedModels: ReadonlySet<string>;
}

const list = (values: Iterable<string>): string => [...new Set(values)].map((v) => JSON.stringify(v)).join(', ');

export function checkPolicies(cfg: PolicyInput, ctx: z.core.$RefinementCtx): void {
  const regions = new Set(cfg.upstreams.map((u) => u.region));
  const zones = new Set(cfg.upstreams.map((u) => zoneOf(u)));
  const tenants = new Set((cfg.keys ?? []).map((k) => k.tenant));
  for (const [tenant, policy] of Object.entries(cfg.tenants)) {
    const issue = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path: ['tenants', tenant, ...path], message });
    };
    if (cfg.keys && !tenants.has(tenant)) issue([], `a tenant some key names (one of ${list(tenants)})`);
    const r = policy.residency;
    r?.regions?.forEach((region, i) => {
      if (!regions.has(region)) issue(['residency', 'regions', i], `a region some upstream has (one of ${list(regions)})`);
    });
    r?.zones?.forEach((zone, i) => {
      if (!zones.has(zone)) issue(['residency', 'zones', i], `a zone some upstream has (one of ${list(zones)})`);
    });
  }
  const ids = new Set<string>();
  const routed = `a routed model (one of ${list(cfg.routedModels)})`;
  cfg.budgets.forEach((b, i) => {
    if (ids.has(b.id)) {
      ctx.addIssue({ code: 'custom', path: ['budgets', i, 'id'], message: `a unique budget id ("${b.id}" is declared twice)` });
    }
    ids.add(b.id);
    if (b.degradeTo !== undefined && !cfg.routedModels.has(b.degradeTo)) {
      ctx.addIssue({ code: 'custom', path: ['budgets', i, 'degradeTo'], message: routed });
    }
    b.match.model?.forEach((m, j) => {
      if (!cfg.routedModels.has(m)) ctx.addIssue({ code: 'custom', path: ['budgets', i, 'match', 'model', j], message: routed });
    });
  });
}
