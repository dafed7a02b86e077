/** Read a chaos timeline YAML file (a list of events); errors name the file, the path and what was expected. */
import { loadConfigFile } from '../../core/config-file.js';
import { StormlabError } from '../../core/errors.js';
import { fleetNames, type Fleet } from '../fleet-schema.js';
import { unknownScopeNames } from './scope.js';
import { ChaosTimelineSchema, type ChaosTimeline } from './timeline-schema.js';

/** With a fleet, scope names it lacks (a typo would never match) are errors too. */
export function loadTimeline(file: string, fleet?: Pick<Fleet, 'providers'>): ChaosTimeline {
  const events = loadConfigFile(ChaosTimelineSchema, file, 'chaos timeline');
  if (fleet) {
    const names = fleetNames(fleet);
    const details = events.flatMap((e, i) => unknownScopeNames(e.scope, names, `[${i}].`)).map((d) => ({ file, ...d }));
    const first = details[0];
    if (first) throw new StormlabError('SL_CONFIG_INVALID', `invalid chaos timeline in ${file} — ${first.path}: expected ${first.expected}`, details);
  }
  return events;
}
