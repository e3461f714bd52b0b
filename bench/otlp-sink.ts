/**
 * A stand-in OTLP/HTTP collector for measuring tracing overhead: accepts POST /v1/traces (protobuf
 * or JSON), answers 200 with an empty body, and on SIGTERM prints how many export requests and bytes
 * it received. Loopback only.
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? '0');
let requests = 0;
let bytes = 0;
const server = createServer((req, res) => {
  req.on('data', (chunk: Buffer) => (bytes += chunk.length));
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/v1/traces') requests++;
    res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' }).end();
  });
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening on ${port}\n`));
process.on('SIGTERM', () => {
  process.stdout.write(`otlp sink: ${requests} export requests, ${bytes} bytes\n`);
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
