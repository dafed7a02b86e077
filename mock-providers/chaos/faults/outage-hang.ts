/** An outage as a hang: the request is accepted and never answered (until the fault ends or the client gives up). */
import { z } from 'zod';
import { defineFault } from './types.js';

export const outageHang = defineFault({
  name: 'outage-hang',
  summary: 'accepts the request and never answers; the connection is closed when the fault ends',
  params: z.strictObject({}),
  level: 'call',
  hit: () => ({ kind: 'hang' }),
});
