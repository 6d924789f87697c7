import { hostname } from 'node:os';
import { FlagEvaluationCounter, type ProtectedPort } from '@sextant/trpc';
import closeWithGrace from 'close-with-grace';
import pkg from '../package.json' with { type: 'json' };
import { ConfigError, loadConfig, ownPorts, seriesLimits } from './config';
import { createRuntime, openDatabase } from './database';
import { createLogger } from './logger';
import { startMonitoring } from './monitoring';
import { flagEvaluationJobs, flushFlagEvaluations, JobRunner } from './monitoring/jobs';
import { buildServer } from './server';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      // One clear line, no stack: the operator fixes the variable and restarts.
      console.error(`sextant-api: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config);
  const db = await openDatabase(config, logger);
  // Worked out once listening, with the bound port (API_PORT=0 picks one); no request is served before.
  let protectedPorts: ProtectedPort[] | null = null;
  // Every instance counts the flag evaluations it serves and flushes them, with or without the scheduler.
  const flagEvaluations = new FlagEvaluationCounter();
  const runtime = createRuntime(db, pkg.version, {
    metricLimits: seriesLimits(config),
    publicUrl: config.publicUrl,
    logger,
    protectedPorts: () => protectedPorts ?? ownPorts(config, config.API_PORT),
  });
  runtime.flagEvaluations = flagEvaluations;
  const app = await buildServer({ config, logger, db, runtime });
  const flagFlush = { db: db.database.primary, counter: flagEvaluations, limits: seriesLimits(config) };
  const flagJobs = new JobRunner(
    db.database.sql,
    flagEvaluationJobs({ ...flagFlush, instance: `${hostname()}:${process.pid}` }),
    logger,
  );

  let monitoring: { stop(): Promise<void> } | null = null;
  closeWithGrace({ delay: config.API_SHUTDOWN_TIMEOUT_MS, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down: draining requests');
    // Stop claiming checks first; runs in flight finish and are recorded before the pool closes.
    await monitoring?.stop();
    await app.close();
    // After the drain, so the evaluations of the last requests are written too.
    await flagJobs.stop();
    await flushFlagEvaluations(flagFlush, logger);
    await db.close();
    logger.info('shutdown complete');
  });

  await app.listen({ host: config.API_HOST, port: config.API_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.API_PORT;
  protectedPorts = ownPorts(config, port);
  flagJobs.start();
  const base = `http://${config.API_HOST}:${port}`;
  logger.info({ url: base, embeddedPostgres: db.embedded }, 'API listening');
  if (config.SEXTANT_SCHEDULER) {
    monitoring = startMonitoring({
      config,
      sql: db.database.sql,
      db: db.database.primary,
      protectedPorts,
      logger,
      selfMetricsUrl: `http://127.0.0.1:${port}/metrics`,
      metrics: app.sextantMetrics,
      sendNotification: runtime.sendNotification,
    });
  }
  console.log(`\n  Sextant API   ${base}/trpc   (health ${base}/healthz, metrics ${base}/metrics)\n`);
}

main().catch((err) => {
  console.error(`sextant-api: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
