/**
 * A budget's period as a window of wall-clock time (UTC): `hour`, `day`, `week` (from Monday)
 * and `month` are calendar windows; a duration (`12h`) is a fixed window counted from the epoch.
 * Every instance computes the same window for the same instant, so a counter keyed by the
 * window's start is shared without coordination and resets on its own.
 */
import { parseDurationMs } from '../../core/duration.js';

export interface Window {
  /** epoch ms */
  readonly start: number;
  /** epoch ms: when the budget resets */
  readonly end: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function windowOf(period: string, now: number): Window {
  const d = new Date(now);
  switch (period) {
    case 'hour': {
      const start = Math.floor(now / HOUR) * HOUR;
      return { start, end: start + HOUR };
    }
    case 'day': {
      const start = Math.floor(now / DAY) * DAY;
      return { start, end: start + DAY };
    }
    case 'week': {
      const midnight = Math.floor(now / DAY) * DAY;
      const start = midnight - ((d.getUTCDay() + 6) % 7) * DAY;
      return { start, end: start + 7 * DAY };
    }
    case 'month':
      return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
    default: {
      const len = parseDurationMs(period);
      const start = Math.floor(now / len) * len;
      return { start, end: start + len };
    }
  }
}

/** "in 3h 12m" / "in 42s": how long until a reset, for error messages. */
export function untilText(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}
