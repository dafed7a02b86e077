/**
 * Residency: a tenant pinned to regions and/or zones sees each route through a view that holds
 * only its lawful targets (and lawful context fallbacks). Everything after selection —
 * candidates, failover, retries, a cut stream's continuation — works on that view, so a pinned
 * request cannot reach another region by any path. Views are built once per (tenant, route).
 */
import type { ResidencyConfig, TenantsConfig } from '../config/tenants.js';
import type { Route } from '../domain/route.js';
import type { Target } from '../domain/types.js';

export interface Pin {
  readonly tenant: string;
  readonly residency: ResidencyConfig;
  /** "zone eu" / "regions eu-west, westeurope", for messages */
  readonly where: string;
}

export function isLawful(pin: Pin, upstream: { readonly region: string; readonly zone: string }): boolean {
  const r = pin.residency;
  return (r.regions?.includes(upstream.region) ?? false) || (r.zones?.includes(upstream.zone) ?? false);
}

function describe(r: ResidencyConfig): string {
  const parts: string[] = [];
  if (r.zones) parts.push(`${r.zones.length === 1 ? 'zone' : 'zones'} ${r.zones.join(', ')}`);
  if (r.regions) parts.push(`${r.regions.length === 1 ? 'region' : 'regions'} ${r.regions.join(', ')}`);
  return parts.join(' or ');
}

export class ResidencyTable {
  private readonly pins = new Map<string, Pin>();
  private readonly views = new Map<Pin, Map<Route, Route>>();

  constructor(tenants: TenantsConfig) {
    for (const [tenant, policy] of Object.entries(tenants)) {
      if (policy.residency) this.pins.set(tenant, { tenant, residency: policy.residency, where: describe(policy.residency) });
    }
  }

  pinOf(tenant: string): Pin | undefined {
    return this.pins.get(tenant);
  }

  /** The route as the pinned tenant may use it: its lawful targets only (possibly none). */
  view(pin: Pin, route: Route): Route {
    let byRoute = this.views.get(pin);
    if (!byRoute) this.views.set(pin, (byRoute = new Map()));
    let v = byRoute.get(route);
    if (!v) {
      const lawful = (t: Target): boolean => isLawful(pin, t.upstream);
      v = { ...route, targets: route.targets.filter(lawful), contextFallback: route.contextFallback.filter(lawful) };
      byRoute.set(route, v);
    }
    return v;
  }
}
