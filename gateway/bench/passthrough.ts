/**
 * Bench child: the floor — a minimal pass-through proxy (fastify + an undici Pool), what any
 * proxy in front of the upstream costs. The body goes up as received (not parsed), the answer
 * comes back streamed with its status and content type. No auth, routing, accounting or failover.
 *   argv[2]: the upstream's base URL
 */
import Fastify from 'fastify';
import { Pool } from 'undici';
import { portOf, serveBench } from './protocol.js';

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: passthrough.ts <upstream URL>');
// the gateway's default pool size for an upstream (upstreams[].connections), so both hold the same sockets
const pool = new Pool(upstream, { connections: 128, pipelining: 1 });

const app = Fastify({ logger: false });
app.removeContentTypeParser('application/json');
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.post('/v1/chat/completions', async (request, reply) => {
  const res = await pool.request({
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', accept: request.headers.accept ?? '*/*' },
    body: request.body as Buffer,
  });
  const type = res.headers['content-type'];
  if (typeof type === 'string') reply.header('content-type', type);
  return reply.code(res.statusCode).send(res.body);
});

await app.listen({ host: '127.0.0.1', port: 0, backlog: 8192 });
await serveBench(`http://127.0.0.1:${portOf(app.server.address())}`, async () => {
  await app.close();
  await pool.destroy();
});
