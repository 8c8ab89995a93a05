// A hostile "API server" in its own process (so the test process's RSS measures kubeproof only):
// every request is answered 200 with BIG_BODY_BYTES of JSON-looking bytes, streamed with
// back-pressure and no Content-Length. Listens on 127.0.0.1 only; prints its port on stdout.
import { createServer } from 'node:https';

const total = Number(process.env.BIG_BODY_BYTES ?? 50 * 1024 * 1024);
const chunk = Buffer.alloc(64 * 1024, 'a');
let served = 0;
const server = createServer({ cert: process.env.TLS_CERT, key: process.env.TLS_KEY }, async (_req, res) => {
  served++;
  res.writeHead(Number(process.env.BIG_BODY_STATUS ?? 200), { 'content-type': 'application/json' });
  res.write('{"kind":"Status","message":"');
  let sent = 0;
  let wake;
  res.once('close', () => wake?.());
  while (sent < total && !res.destroyed) {
    sent += chunk.length;
    if (!res.write(chunk))
      await new Promise((resolve) => {
        wake = resolve;
        res.once('drain', resolve);
      });
  }
  res.end('"}');
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => {
  process.stdout.write(`served ${served}\n`);
  process.exit(0);
});
