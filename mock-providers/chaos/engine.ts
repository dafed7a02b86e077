/**
 * The chaos engine of one fleet: which faults are active or scheduled, what they do to each call,
 * and the chaos event log. Faults come from timelines (started and stopped by the fleet's own
 * timers, relative to a start time) or from the control API; each is a registered unit
 * (faults/index.ts). Decisions are seeded per fault and endpoint, so the same seed and request
 * order give the same hits. A call with no fault active costs one length check.
 */
import { StormlabError } from '../../core/errors.js';
import { deriveSeed, Rng } from '../../core/random.js';
import type { ChaosLog, ChaosLogEntry, FaultCore, FaultSource, StopReason } from './chaos-log.js';
import { FAULTS } from './faults/index.js';
import type { FaultName } from './faults/names.js';
import { NO_MODIFIERS, type CallModifiers } from './faults/types.js';
import { scopeMatches, unknownScopeNames, type FleetNames } from './scope.js';
import type { ChaosEvent, ChaosScope, FaultSpec } from './timeline-schema.js';

/** A fault as listed by the control API and `RunningFleet.faults()`. */
export interface FaultInfo extends FaultCore {
  state: 'scheduled' | 'active';
  /** ISO */
  startsAt: string;
  /** ISO; null → until removed */
  endsAt: string | null;
  /** timeline faults: planned offset from the timeline start, ms */
  atMs?: number;
}

export type CallAnswer = { kind: 'hang'; faultId: string } | { kind: 'error'; status: number; retryAfterS: number | null };

/** What the active faults do to one call. */
export interface Verdict {
  /** names of the faults that hit it, in the order they were started */
  faults: FaultName[];
  /** the call is answered by a fault (the first that hit with an answer) instead of being served */
  answer: CallAnswer | null;
  modifiers: CallModifiers;
}

const CLEAN: Verdict = Object.freeze({ faults: [], answer: null, modifiers: NO_MODIFIERS }) as Verdict;

/** How the engine acts on the fleet it belongs to. */
export interface ChaosHooks {
  endpoints(): ReadonlyArray<{ id: string; provider: string; region: string }>;
  /** close the endpoint's port while any hold is on it */
  hold(endpointId: string, faultId: string): Promise<void>;
  release(endpointId: string, faultId: string): Promise<void>;
  /** close the connections of the calls a hang fault is holding */
  endHung(faultId: string): void;
}

interface Entry extends FaultCore {
  atMs?: number;
  startsAtMs: number;
  endsAtMs: number | null;
  state: 'scheduled' | 'active';
  timers: NodeJS.Timeout[];
  rngs: Map<string, Rng>;
  /** port-level faults: endpoints held */
  held: string[];
}

type FaultBody = Pick<FaultSpec, 'fault' | 'scope' | 'probability' | 'params'>;

const MAX_TIMER_MS = 2 ** 31 - 1;
const iso = (ms: number): string => new Date(ms).toISOString();

export class ChaosEngine {
  private readonly entries = new Map<string, Entry>();
  /** call-level faults now active, in start order (what decide() walks) */
  private active: Entry[] = [];
  private seq = 0;
  private timelines = 0;
  private closed = false;

  constructor(
    private readonly seed: number,
    private readonly names: FleetNames,
    private readonly log: ChaosLog,
    private readonly hooks: ChaosHooks,
  ) {}

  /** The faults that hit one call on `site` (a port-level fault never sees calls). */
  decide(site: { id: string; provider: string; region: string }, model: string | null, key: string | null, stream: boolean): Verdict {
    if (this.active.length === 0) return CLEAN;
    const target = { provider: site.provider, region: site.region, model, key };
    let verdict: Verdict | undefined;
    for (const e of this.active) {
      if (!scopeMatches(e.scope, target)) continue;
      let rng = e.rngs.get(site.id);
      if (!rng) e.rngs.set(site.id, (rng = new Rng(deriveSeed(this.seed, 'chaos', e.id, site.id))));
      if (e.probability < 1 && !(rng.uniform() < e.probability)) continue;
      const hit = FAULTS[e.fault].hit(e.params as never, { stream }, rng);
      if (!hit) continue;
      verdict ??= { faults: [], answer: null, modifiers: { ...NO_MODIFIERS } };
      if (hit.kind === 'modify') {
        const m = verdict.modifiers;
        const h = hit.modifiers;
        m.ttftMultiplier *= h.ttftMultiplier ?? 1;
        m.itlMultiplier *= h.itlMultiplier ?? 1;
        m.cutAfterTokens = minOf(m.cutAfterTokens, h.cutAfterTokens);
        m.malformedAt = minOf(m.malformedAt, h.malformedAt);
        m.truncateFraction = minOf(m.truncateFraction, h.truncateFraction);
        verdict.faults.push(e.fault);
      } else {
        // the first fault that answers the call decides it alone
        return { faults: [e.fault], answer: hit.kind === 'hang' ? { kind: 'hang', faultId: e.id } : hit, modifiers: NO_MODIFIERS };
      }
    }
    return verdict ?? CLEAN;
  }

  /** Start a fault now. Resolves once it acts (a port-level fault: once the port is closed). */
  async add(spec: FaultSpec, source: FaultSource = 'api'): Promise<FaultInfo> {
    this.checkNames(spec.scope, '');
    const id = spec.id ?? `${spec.fault}-${++this.seq}`;
    if (this.entries.has(id)) {
      throw new StormlabError('MOCK_FAULT_CONFLICT', `a fault with id "${id}" exists already`, [{ path: 'id', expected: 'an id not in use (or none: one is generated)', received: id }]);
    }
    const now = Date.now();
    const e = this.entry(id, spec, source, now, spec.for === undefined ? null : now + spec.for);
    await this.start(e);
    return info(e);
  }

  /**
   * Schedule a timeline relative to `startAtMs` (epoch ms, default now). Events already due start
   * at once (for what is left of them); events already over are skipped. Resolves once the due
   * ones act.
   */
  async applyTimeline(events: readonly ChaosEvent[], startAtMs = Date.now(), source: FaultSource = 'timeline'): Promise<FaultInfo[]> {
    events.forEach((ev, i) => this.checkNames(ev.scope, `[${i}].`));
    const prefix = source === 'fleet' ? 'fleet' : `t${++this.timelines}`;
    const idOf = (ev: ChaosEvent, i: number): string => `${prefix}-${i}-${ev.fault}`;
    const taken = events.map(idOf).filter((id) => this.entries.has(id));
    if (taken.length > 0) throw new StormlabError('MOCK_FAULT_CONFLICT', `fault ids in use: ${taken.join(', ')} (choose other ids for faults added by hand)`);
    const now = Date.now();
    const created: Entry[] = [];
    events.forEach((ev, i) => {
      const starts = startAtMs + ev.at;
      const ends = ev.for === undefined ? null : starts + ev.for;
      if (ends !== null && ends <= now) return;
      const e = this.entry(idOf(ev, i), ev, source, starts, ends);
      e.atMs = ev.at;
      created.push(e);
    });
    const due: Promise<void>[] = [];
    for (const e of created) {
      if (e.startsAtMs <= now) due.push(this.start(e));
      else e.timers.push(setTimeout(() => void this.start(e), Math.min(MAX_TIMER_MS, e.startsAtMs - now)));
    }
    await Promise.all(due);
    return created.map(info);
  }

  /** Stop an active fault or cancel a scheduled one. */
  async remove(id: string): Promise<void> {
    const e = this.entries.get(id);
    if (!e) throw new StormlabError('MOCK_FAULT_NOT_FOUND', `no fault with id "${id}"`, [{ path: 'id', expected: this.entries.size ? `one of ${[...this.entries.keys()].join(', ')}` : 'an id (no faults now)', received: id }]);
    await this.stop(e, 'removed');
  }

  /** Stop every active fault and cancel every scheduled one (toxiproxy's /reset). */
  async reset(reason: StopReason = 'reset'): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => this.stop(e, reason)));
  }

  list(): FaultInfo[] {
    return [...this.entries.values()].sort((a, b) => a.startsAtMs - b.startsAtMs).map(info);
  }

  get(id: string): FaultInfo | undefined {
    const e = this.entries.get(id);
    return e && info(e);
  }

  events(): readonly ChaosLogEntry[] {
    return this.log.entries();
  }

  /** Stop everything (logged with reason `closed`) and flush the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.reset('closed');
    await this.log.close();
  }

  private entry(id: string, body: FaultBody, source: FaultSource, startsAtMs: number, endsAtMs: number | null): Entry {
    if (this.closed) throw new StormlabError('SL_USAGE', 'the fleet is closed');
    if (this.entries.has(id)) throw new StormlabError('MOCK_FAULT_CONFLICT', `a fault with id "${id}" exists already`);
    const e: Entry = {
      id,
      fault: body.fault,
      scope: body.scope,
      probability: body.probability,
      params: body.params,
      source,
      startsAtMs,
      endsAtMs,
      state: 'scheduled',
      timers: [],
      rngs: new Map(),
      held: [],
    };
    this.entries.set(id, e);
    return e;
  }

  private checkNames(scope: ChaosScope, prefix: string): void {
    const details = unknownScopeNames(scope, this.names, prefix);
    if (details.length > 0) {
      const d = details[0]!;
      throw new StormlabError('SL_CONFIG_INVALID', `${d.path}: "${d.received}" is not in this fleet (expected ${d.expected})`, details);
    }
  }

  private async start(e: Entry): Promise<void> {
    if (e.state !== 'scheduled' || this.entries.get(e.id) !== e) return;
    e.state = 'active';
    const now = Date.now();
    if (e.endsAtMs !== null) e.timers.push(setTimeout(() => void this.stop(e, 'expired'), Math.min(MAX_TIMER_MS, Math.max(0, e.endsAtMs - now))));
    if (FAULTS[e.fault].level === 'listener') {
      e.held = this.hooks
        .endpoints()
        .filter((ep) => scopeMatches(e.scope, { provider: ep.provider, region: ep.region, model: null, key: null }))
        .map((ep) => ep.id);
    } else this.active = [...this.active, e];
    this.log.write({ time: iso(now), event: 'start', ...logBase(e), ...(e.held.length ? { endpoints: e.held } : {}) });
    await Promise.all(e.held.map((id) => this.hooks.hold(id, e.id)));
  }

  private async stop(e: Entry, reason: StopReason): Promise<void> {
    if (this.entries.get(e.id) !== e) return;
    this.entries.delete(e.id);
    for (const t of e.timers) clearTimeout(t);
    if (e.state !== 'active') return;
    this.active = this.active.filter((x) => x !== e);
    this.log.write({ time: iso(Date.now()), event: 'stop', ...logBase(e), reason, ...(e.held.length ? { endpoints: e.held } : {}) });
    if (e.fault === 'outage-hang') this.hooks.endHung(e.id);
    await Promise.all(e.held.map((id) => this.hooks.release(id, e.id).catch(() => undefined)));
  }
}

function minOf(a: number | null, b: number | null | undefined): number | null {
  if (b === null || b === undefined) return a;
  return a === null ? b : Math.min(a, b);
}

function logBase(e: Entry): Omit<ChaosLogEntry, 'time' | 'event'> {
  return { id: e.id, fault: e.fault, scope: e.scope, probability: e.probability, params: e.params, source: e.source, ...(e.atMs === undefined ? {} : { atMs: e.atMs }) };
}

function info(e: Entry): FaultInfo {
  return {
    id: e.id,
    fault: e.fault,
    scope: e.scope,
    probability: e.probability,
    params: e.params,
    source: e.source,
    state: e.state,
    startsAt: iso(e.startsAtMs),
    endsAt: e.endsAtMs === null ? null : iso(e.endsAtMs),
    ...(e.atMs === undefined ? {} : { atMs: e.atMs }),
  };
}
