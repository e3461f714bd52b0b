/** The machine's ceiling for an HTTP POST: Fastify answering 202 after JSON parsing, nothing else. */
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? '0');
const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
app.post('/v1/events/:system', async (_request, reply) => reply.code(202).send({ eventId: 'x', duplicate: false }));
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`listening on ${port}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
