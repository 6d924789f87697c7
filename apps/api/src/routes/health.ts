import type { Runtime } from '@sextant/trpc';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics';

/** Plain-HTTP edges for orchestrators and Prometheus; exempt from rate limiting. */
export function registerHealthRoutes(app: FastifyInstance, deps: { runtime: Runtime; metrics: Metrics }) {
  const noLimit = { config: { rateLimit: false } };

  app.get('/healthz', noLimit, async () => ({ status: 'ok' }));

  app.get('/readyz', noLimit, async (_req, reply) => {
    try {
      await deps.runtime.pingDatabase();
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', reason: `database unreachable: ${(err as Error).message}` });
    }
    try {
      const migrations = await deps.runtime.migrationStatus();
      if (!migrations.current) {
        return reply.code(503).send({
          status: 'unavailable',
          reason: `migrations not current: ${migrations.applied} of ${migrations.expected} applied`,
        });
      }
      return { status: 'ready', migrations: migrations.level };
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', reason: `migration check failed: ${(err as Error).message}` });
    }
  });

  app.get('/metrics', noLimit, async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
