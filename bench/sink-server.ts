/**
 * The HTTP sink of the pass-through benchmark, in a process of its own: takes documents as the echo
 * connector posts them (`POST /documents` → 201 `{ id }`, `GET /documents?reference=` → the document's
 * id or 404) and counts them (`GET /_count`). It keeps references only, so it stays small under load.
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? '0');
const byReference = new Map<string, string>();
let count = 0;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://sink');
  if (req.method === 'GET' && url.pathname === '/_count') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count }));
    return;
  }
  if (req.method === 'GET') {
    const id = byReference.get(url.searchParams.get('reference') ?? '');
    if (id === undefined) res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    return;
  }
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
  });
  req.on('end', () => {
    count++;
    const id = `doc-${count}`;
    const reference = req.headers['idempotency-key'];
    if (typeof reference === 'string') byReference.set(reference, id);
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id, bytes: size }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening on ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
