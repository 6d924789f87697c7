import type { FastifyInstance } from 'fastify';
import type { IngestDeps } from './ingest-edge';

/** `POST /api/v1/otlp/v1/metrics`: OTLP/HTTP metrics (protobuf or JSON, gzip). Being built (issue 12). */
export function registerOtlpIngest(app: FastifyInstance, _deps: IngestDeps) {
  app.post('/api/v1/otlp/v1/metrics', (_req, reply) => reply.code(501).send({ error: 'Not built yet.' }));
}
