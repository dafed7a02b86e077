/** A regional outage as a closed port: new connections are refused, calls in flight are cut. */
import { z } from 'zod';
import { defineFault } from './types.js';

export const outageRefuse = defineFault({
  name: 'outage-refuse',
  summary: 'closes the endpoint port: connections refused, calls in flight cut',
  params: z.strictObject({}),
  level: 'listener',
  unscopable: ['model', 'key'],
  probabilistic: false,
  hit: () => null,
});
