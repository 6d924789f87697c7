// Bare Fastify, logger off, one route: the floor any real route is measured against.
// Plain .mjs run by node (not tsx) so it runs the way the built API does.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const port = Number(process.env.BASELINE_PORT);
// The same JSON the real route answers, re-serialised on every request as the API does.
// A large body (over the OS limit of one environment variable) comes in a file instead.
const file = process.env.BASELINE_BODY_FILE;
const body = JSON.parse(file ? readFileSync(file, 'utf8') : (process.env.BASELINE_BODY ?? '{"ok":true}'));

const app = Fastify({ logger: false });
app.get('/', async () => body);
// POST benches (OFREP) send their request body too: Fastify parses it as the real route's would be.
app.post('/', async () => body);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => app.close().then(() => process.exit(0)));
}

await app.listen({ host: '127.0.0.1', port });
