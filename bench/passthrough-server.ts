/**
 * The non-durable pass-through the hub is measured against: what a plain workflow tool does for
 * "webhook in → transform → HTTP POST": Fastify takes the event, maps it to the sink's document (the
 * same fields the echo flow sends), posts it to the sink and answers 202 once the sink took it. Nothing
 * is stored: an event in flight when the process dies is lost, and a repeated delivery posts twice.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';

const [portText, sinkUrl] = process.argv.slice(2);
if (sinkUrl === undefined) throw new Error('usage: passthrough-server PORT SINK_URL');
const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
app.post('/v1/events/:system', async (request, reply) => {
  const reference = String(request.headers['webhook-id'] ?? randomUUID());
  const document = { reference, correlationId: randomUUID(), payload: request.body };
  const response = await fetch(sinkUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': reference },
    body: JSON.stringify(document),
  });
  const answer = (await response.json()) as { id?: string };
  if (!response.ok)
    return reply.code(502).send({ error: { code: 'LL_ERR_REMOTE_TRANSIENT', message: 'sink refused' } });
  return reply.code(202).send({ eventId: answer.id, duplicate: false });
});
await app.listen({ port: Number(portText ?? '0'), host: '127.0.0.1' });
process.stdout.write(`listening on ${portText}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
