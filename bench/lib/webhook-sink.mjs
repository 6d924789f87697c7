// A webhook receiver for `bench notify`, run as its own process so neither sender shares its event loop: answers
// 200 to every POST and records its arrival time, idempotency key, tick time and group key; GET /records hands
// them over (and clears them).
import { createServer } from 'node:http';

let records = [];
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/records') {
    const body = JSON.stringify(records);
    records = [];
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  if (req.method === 'GET') return res.end('ok');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const at = Date.now();
    let body = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      // Counted with what the headers say.
    }
    records.push({
      at,
      key: req.headers['idempotency-key'] ?? body.idempotencyKey ?? null,
      tickTime: body.tickTime ?? null,
      groupKey: body.groupKey ?? null,
      alerts: Array.isArray(body.alerts) ? body.alerts.length : 0,
    });
    res.end('ok');
  });
});
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env.SINK_PORT), '127.0.0.1');
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => server.close(() => process.exit(0)));
