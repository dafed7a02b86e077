/** Upstreams sharing a `limitGroup` share one pacer per model, so they must declare the same limits. */
import type { z } from 'zod';
import type { UpstreamConfig } from './upstream.js';

function limitsText(u: UpstreamConfig): string {
  const models = Object.keys(u.modelLimits)
    .sort()
    .map((m) => `${m}:${u.modelLimits[m]?.rpm ?? '-'}/${u.modelLimits[m]?.tpm ?? '-'}`);
  return `rpm ${u.rpm ?? '-'}, tpm ${u.tpm ?? '-'}${models.length ? `, modelLimits ${models.join(' ')}` : ''}`;
}

export function checkLimitGroups(upstreams: readonly UpstreamConfig[], ctx: z.RefinementCtx): void {
  const first = new Map<string, UpstreamConfig>();
  upstreams.forEach((u, i) => {
    if (u.limitGroup === undefined) return;
    const f = first.get(u.limitGroup);
    if (!f) return void first.set(u.limitGroup, u);
    if (limitsText(f) !== limitsText(u)) {
      ctx.addIssue({
        code: 'custom',
        path: ['upstreams', i, 'limitGroup'],
        message:
          `the same rpm, tpm and modelLimits as "${f.id}" of limit group "${u.limitGroup}" ` +
          `(${limitsText(f)}); got ${limitsText(u)}`,
      });
    }
  });
}
