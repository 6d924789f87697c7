// The fastest honest check target: a bare node:http server answering 200 "ok", run as its own process.
import { createServer } from 'node:http';

const server = createServer((_req, res) => res.end('ok'));
server.keepAliveTimeout = 1_000;
server.listen(Number(process.env.TARGET_PORT), '127.0.0.1');
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => server.close(() => process.exit(0)));
