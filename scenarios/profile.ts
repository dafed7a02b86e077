/**
 * A traffic profile for capacity projections, as one short string: `2.3M/day, peak 85/s`.
 * Volume: a count with an optional k/M/B suffix per day, hour, month (30 days) or second;
 * peak: a rate per second or per minute. Pure TS; errors name the flag and the expected form.
 */
import { z } from 'zod';
import { StormlabError } from '../core/errors.js';

export const PROFILE_FORM = '"2.3M/day, peak 85/s" (a volume per day|hour|month|s with k/M/B, and a peak per s|min)';

export const ProfileSchema = z
  .strictObject({
    text: z.string(),
    /** requests per day */
    dailyRequests: z.number().positive(),
    /** requests per second at the busiest moment */
    peakRps: z.number().positive(),
  })
  .refine((p) => p.peakRps >= p.dailyRequests / 86_400, { message: 'a peak at least the mean rate', path: ['peakRps'] });
export type Profile = z.output<typeof ProfileSchema>;

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, b: 1e9, B: 1e9 };
const VOLUME_PER: Record<string, number> = { s: 86_400, sec: 86_400, min: 1440, hour: 24, h: 24, day: 1, d: 1, month: 1 / 30, mo: 1 / 30 };
const PEAK_PER: Record<string, number> = { s: 1, sec: 1, min: 1 / 60 };

const VOLUME_RE = /^(\d+(?:\.\d+)?)\s*([kKmMbB]?)\s*(?:req(?:uests)?\s*)?\/\s*(s|sec|min|hour|h|day|d|month|mo)$/;
const PEAK_RE = /^peak\s*:?\s*(\d+(?:\.\d+)?)\s*([kK]?)\s*(?:req(?:uests)?\s*)?\/\s*(s|sec|min)$/i;

function bad(flag: string, message: string, received: string, path = flag): StormlabError {
  return new StormlabError('SL_USAGE', `${flag} ${message}`, [{ path, expected: PROFILE_FORM, received: JSON.stringify(received) }]);
}

/** `--profile "2.3M/day, peak 85/s"` → requests per day and peak per second. */
export function parseProfile(text: string, flag = '--profile'): Profile {
  let daily: number | undefined;
  let peak: number | undefined;
  const items = text.split(',').map((s) => s.trim());
  items.forEach((item, i) => {
    const path = `${flag}[${i}]`;
    const p = PEAK_RE.exec(item);
    if (p) {
      if (peak !== undefined) throw bad(flag, `gives the peak twice ("${item}")`, item, path);
      peak = Number(p[1]) * SUFFIX[p[2] as string]! * PEAK_PER[(p[3] as string).toLowerCase()]!;
      return;
    }
    const v = VOLUME_RE.exec(item);
    if (v) {
      if (daily !== undefined) throw bad(flag, `gives the volume twice ("${item}")`, item, path);
      daily = Number(v[1]) * SUFFIX[v[2] as string]! * VOLUME_PER[v[3] as string]!;
      return;
    }
    throw bad(flag, `part ${i + 1} "${item}" is neither a volume (2.3M/day) nor a peak (peak 85/s)`, item, path);
  });
  if (daily === undefined) throw bad(flag, 'needs a volume such as 2.3M/day', text);
  if (peak === undefined) throw bad(flag, 'needs a peak rate such as "peak 85/s"', text);
  const r = ProfileSchema.safeParse({ text: text.trim(), dailyRequests: daily, peakRps: peak });
  if (!r.success) {
    const mean = daily / 86_400;
    if (peak < mean) throw bad(flag, `has a peak (${peak}/s) below its mean rate (${Number(mean.toPrecision(3))}/s)`, text);
    throw bad(flag, 'needs positive numbers', text);
  }
  return r.data;
}

/** Mean requests per second of a profile. */
export function meanRps(p: Profile): number {
  return p.dailyRequests / 86_400;
}
