import type { RouteConfig } from '../config-schema.js';
import type { Upstream } from '../upstream/types.js';
import { priorityStrategy } from './priority.js';
import type { Route } from './types.js';

/** Client model name → Route, with each target bound to its live upstream. */
export function buildRouteTable(routes: readonly RouteConfig[], upstreams: ReadonlyMap<string, Upstream>): Map<string, Route> {
  const table = new Map<string, Route>();
  for (const r of routes) {
    const targets = r.targets.map((t) => {
      const upstream = upstreams.get(t.upstream);
      // the config schema has already checked every target names a declared upstream
      if (!upstream) throw new Error(`route ${r.model}: unknown upstream ${t.upstream}`);
      return { upstream, model: t.model, priority: t.priority };
    });
    table.set(r.model, { model: r.model, strategy: priorityStrategy(targets), targets });
  }
  return table;
}
