/**
 * `instances.ndjson`: what happened to the gateway instances of a run the lab started as several
 * behind its round-robin front — each start, a game day's kill (SIGKILL) and restart, and every
 * request the front lost because its instance died under it. The lab writes it; the game-day
 * report reads it (a kill becomes a fault window; the losses are its in-flight failures).
 */
import { z } from 'zod';
import { eachNdjsonRecord } from '../lines.js';

export const INSTANCES_FILE = 'instances.ndjson';

export const InstanceEventSchema = z.discriminatedUnion('event', [
  z.object({
    time: z.string(),
    event: z.literal('start'),
    instance: z.int().positive(),
    url: z.string(),
    pid: z.int().optional(),
  }),
  z.object({
    time: z.string(),
    event: z.literal('kill'),
    instance: z.int().positive(),
    pid: z.int().optional(),
    /** requests the front had in flight on it at the kill */
    inFlight: z.int().nonnegative(),
    /** when the process was gone, ISO time (`time` is when SIGKILL was sent) */
    exitedAt: z.string().optional(),
  }),
  z.object({
    time: z.string(),
    event: z.literal('restart'),
    instance: z.int().positive(),
    url: z.string(),
    pid: z.int().optional(),
    /** when the restart began (the new process was spawned), ISO time; `time` is when it served */
    spawnedAt: z.string(),
  }),
  z.object({
    time: z.string(),
    event: z.literal('lost'),
    instance: z.int().positive(),
    /** when the front received the request, ISO time */
    startedAt: z.string(),
    phase: z.enum(['before-response', 'mid-response']),
    path: z.string(),
    error: z.string(),
  }),
]);
export type InstanceEvent = z.output<typeof InstanceEventSchema>;

/** The events of a run directory's instances.ndjson (none when the lab ran one gateway). */
export async function readInstanceEvents(file: string): Promise<InstanceEvent[]> {
  const out: InstanceEvent[] = [];
  await eachNdjsonRecord(file, 'gateway instance log', InstanceEventSchema, (e) => out.push(e));
  return out;
}
