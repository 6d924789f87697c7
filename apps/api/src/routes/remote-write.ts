import type { FastifyInstance } from 'fastify';
import type { IngestDeps } from './ingest-edge';

/** `POST /api/v1/write`: Prometheus remote write 1.0 (snappy + protobuf). Being built (issue 12). */
export function registerRemoteWrite(app: FastifyInstance, _deps: IngestDeps) {
  app.post('/api/v1/write', (_req, reply) => reply.code(501).send({ error: 'Not built yet.' }));
}
