import { DATABASE_DOWN, type Runtime } from '@sextant/trpc';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics';

/** Plain-HTTP edges for orchestrators and Prometheus; exempt from rate limiting. */
export function registerHealthRoutes(app: FastifyInstance, deps: { runtime: Runtime; metrics: Metrics }) {
  const noLimit = { config: { rateLimit: false, quietLog: true } };

  app.get('/healthz', noLimit, async () => ({ status: 'ok' }));

  app.get('/readyz', noLimit, async (req, reply) => {
    let migrations: Awaited<ReturnType<Runtime['checkDatabase']>>;
    try {
      migrations = await deps.runtime.checkDatabase();
    } catch (err) {
      // Public route: the driver's words (hosts, ports, roles) go to the log, under this request's id.
      req.log.warn({ err }, 'readiness: database check failed');
      return reply.code(503).send({ status: 'unavailable', reason: DATABASE_DOWN });
    }
    if (!migrations.current) {
      return reply.code(503).send({
        status: 'unavailable',
        reason: `migrations not current: ${migrations.applied} of ${migrations.expected} applied`,
      });
    }
    return { status: 'ready', migrations: migrations.level };
  });

  app.get('/metrics', noLimit, async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
