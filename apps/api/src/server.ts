import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import { resolveAuthSecret, resolveSecretKey } from '@sextant/db';
import {
  type AppErrorCode,
  appRouter,
  authenticate,
  csrfProblem,
  OVERLOADED_API_MESSAGE,
  type Runtime,
  TRPC_MAX_BATCH,
  toTRPCError,
  trpcErrorBody,
  useSecretKey,
} from '@sextant/trpc';
import { TRPCError } from '@trpc/server';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import helmet from 'helmet';
import type { Config } from './config';
import type { OpenDatabase } from './database';
import { isCredentialParam, RedactingLogController, serializeRequest } from './log-redaction';
import { createMetrics, type Metrics } from './metrics';

declare module 'fastify' {
  interface FastifyInstance {
    sextantMetrics: Metrics;
  }
}

import { httpError } from './http-error';
import { registerAlertmanagerApi } from './routes/alertmanager';
import { registerDeploymentsEdge } from './routes/deployments';
import { type FlagEdgeOptions, registerFlagEdges } from './routes/flags';
import { registerHealthRoutes } from './routes/health';
import { registerMetricsIngest } from './routes/metrics-ingest';
import { registerOtlpIngest } from './routes/otlp';
import { registerPingRoutes } from './routes/ping';
import { registerRemoteWrite } from './routes/remote-write';
import { registerRolloutsEdge } from './routes/rollouts';
import { registerStatusPageEdges } from './routes/status-pages';
import { limitTrpcBatches, requestLabels } from './trpc-calls';

/** The metrics ingest edges, whose body limit is METRICS_BODY_LIMIT_BYTES. */
const INGEST_PATHS = ['/v1/metrics', '/api/v1/otlp/v1/metrics', '/api/v1/write'];
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface ServerDeps {
  config: Config;
  logger: FastifyBaseLogger;
  db: OpenDatabase;
  runtime: Runtime;
  /** The flag snapshots the OFREP, snapshot and stream edges serve; by default the runtime's cache. */
  flags?: FlagEdgeOptions;
}

/**
 * helmet's headers, worked out once: with its defaults none depends on the request, and running its eleven
 * middlewares per request cost the hot evaluation path ~8 % of its throughput.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet()({} as IncomingMessage, res as unknown as ServerResponse, () => {});
  return Object.freeze(headers);
})();

/** How much of a refused body we read and drop so its sender can finish and read the answer. */
const DRAIN_MAX_BYTES = 64 * 1_048_576;

/**
 * Answering a refused body (413, 415, bad gzip) and closing at once, as Fastify does, resets the connection while
 * the client is still sending: its write fails (EPIPE) and it never reads the answer. So read and drop the rest,
 * up to DRAIN_MAX_BYTES (and API_REQUEST_TIMEOUT_MS), keep the connection, and cut off only a client past that.
 */
function drainBody(raw: IncomingMessage, reply: FastifyReply) {
  reply.removeHeader('connection');
  let seen = 0;
  raw.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DRAIN_MAX_BYTES) raw.socket.destroy();
  });
  raw.resume();
}

export async function buildServer({
  config,
  logger,
  db,
  runtime,
  flags,
}: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Request lines go through our serializer so ping tokens never reach the log.
    loggerInstance: logger.child({}, { serializers: { req: serializeRequest } }),
    bodyLimit: config.API_BODY_LIMIT_BYTES,
    requestTimeout: config.API_REQUEST_TIMEOUT_MS,
    trustProxy: config.API_TRUST_PROXY,
    logController: new RedactingLogController({ requestIdLogLabel: 'requestId' }),
    // Take the caller's id when it is sane, so one id follows a request across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 5_000 },
    return503OnClosing: true,
  });

  const metrics = createMetrics({
    sql: db.database.sql,
    applicationName: db.applicationName,
    poolMax: config.DB_POOL_MAX,
  });
  // The workers started next to this server report into the same registry.
  app.decorate('sextantMetrics', metrics);

  // While draining, tell keep-alive clients to hang up so shutdown is not held by idle sockets.
  let closing = false;
  // Node's closeIdleConnections (Fastify's close) skips a socket that never sent a request: one such socket held
  // shutdown for the 60 s headers timeout. So sockets are tracked, and those never used go when draining starts.
  const open = new Set<Socket>();
  const used = new WeakSet<Socket>();
  app.server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  app.addHook('preClose', async () => {
    closing = true;
    for (const socket of open) if (!used.has(socket)) socket.destroy();
  });
  // Hooks on every route are callback-style: an async hook costs a promise per request on the flag hot path.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', (req, reply, done) => {
    const seconds = reply.elapsedTime / 1000;
    const { procedures, method } = requestLabels(req);
    for (const procedure of procedures) {
      metrics.observeRequest({ procedure, method, status: reply.statusCode }, seconds);
    }
    done();
  });
  app.addHook('onRequest', (req, reply, done) => {
    used.add(req.raw.socket);
    reply.headers(SECURITY_HEADERS).header('x-request-id', req.id);
    done();
  });
  if (config.API_MAX_EVENT_LOOP_DELAY_MS > 0) {
    // Shed load with 503 + Retry-After instead of queueing until everything times out.
    await app.register(underPressure, {
      maxEventLoopDelay: config.API_MAX_EVENT_LOOP_DELAY_MS,
      retryAfter: 10,
      exposeStatusRoute: false,
    });
  }
  if (config.API_RATE_LIMIT_PER_MIN > 0) {
    await app.register(rateLimit, { max: config.API_RATE_LIMIT_PER_MIN, timeWindow: '1 minute' });
  }
  // Errors raised before tRPC sees the request (e.g. an oversized body) still reach typed clients in tRPC's shape.
  app.setErrorHandler(
    (err: { statusCode?: number; code?: string; appCode?: AppErrorCode; message: string }, req, reply) => {
      const corrupt = typeof err.code === 'string' && err.code.startsWith('Z_');
      const status = corrupt ? 400 : (err.statusCode ?? 500);
      if (status >= 500) req.log.error({ err }, 'request failed');
      if (!req.raw.complete) drainBody(req.raw, reply);
      const limit = INGEST_PATHS.some((p) => req.url.startsWith(p))
        ? config.METRICS_BODY_LIMIT_BYTES
        : config.API_BODY_LIMIT_BYTES;
      const message = corrupt
        ? 'The body is not valid gzip.'
        : status === 413
          ? `The request body is larger than the ${limit}-byte limit.`
          : status === 503
            ? OVERLOADED_API_MESSAGE
            : status >= 500
              ? 'Internal server error.'
              : err.message;
      if (!req.url.startsWith('/trpc/')) return reply.code(status).send({ error: message });
      return reply.code(status).send(trpcErrorBody(status, message, err.appCode));
    },
  );
  registerHealthRoutes(app, { runtime, metrics });
  registerPingRoutes(app, db.database.sql);
  registerStatusPageEdges(app, {
    sql: db.database.sql,
    db: db.database.db,
    runtime,
    publicUrl: config.publicUrl,
  });
  const ingest = {
    db: db.database.primary,
    sql: db.database.sql,
    bodyLimit: config.METRICS_BODY_LIMIT_BYTES,
    limits: runtime.metricLimits,
  };
  registerMetricsIngest(app, ingest);
  registerOtlpIngest(app, ingest);
  registerRemoteWrite(app, ingest);
  registerAlertmanagerApi(app, {
    db: db.database.primary,
    sql: db.database.sql,
    resolveTimeoutMs: config.ALERTS_RESOLVE_TIMEOUT_SECONDS * 1000,
  });
  registerDeploymentsEdge(app, { authDb: db.database.primary, db: db.database.db, drain: drainBody });
  registerRolloutsEdge(app, { authDb: db.database.primary, db: db.database.db, drain: drainBody });
  // The instance's snapshot cache serves the edges unless a test hands its own source.
  const flagEdges =
    flags ??
    (runtime.flagSnapshotCache
      ? { source: runtime.flagSnapshotCache, counter: runtime.flagEvaluations, keyCache: runtime.apiKeyCache }
      : undefined);
  if (flagEdges) registerFlagEdges(app, { ...flagEdges, authDb: db.database.primary, drain: drainBody });

  const secret = resolveAuthSecret(config.AUTH_SECRET);
  // Integration secrets at rest: one process-wide key, installed before any request or delivery can need it.
  useSecretKey(resolveSecretKey(config.SEXTANT_SECRET_KEY));
  const sessionPolicy = {
    idleMinutes: config.AUTH_SESSION_IDLE_MINUTES,
    absoluteHours: config.AUTH_SESSION_ABSOLUTE_HOURS,
  };
  // tRPC's own checks run in its scope only, so the plain HTTP edges never pay for them.
  await app.register(async (trpc) => {
    limitTrpcBatches(trpc, { rateLimited: config.API_RATE_LIMIT_PER_MIN > 0 });

    trpc.addHook('onRequest', async (req) => {
      // tRPC calls are JSON; any other body (multipart, octet-stream) would reach tRPC unread and unbounded.
      const type = req.headers['content-type'];
      if (req.method === 'POST' && type && !/^application\/json\b/i.test(type)) {
        throw httpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send tRPC calls as application/json.');
      }
      // Keys in URLs end up in logs and browser history; refuse them outright.
      for (const [name, values] of Object.entries(req.query as Record<string, string | string[]>)) {
        for (const value of [values].flat()) {
          if (isCredentialParam(name, value)) {
            throw httpError(
              400,
              'VALIDATION_FAILED',
              'API keys are accepted only in the Authorization header, never in the URL.',
            );
          }
        }
      }
    });
    await trpc.register(fastifyTRPCPlugin, {
      prefix: '/trpc',
      trpcOptions: {
        router: appRouter,
        // Backstop only: limitTrpcBatches refuses a larger batch first, with BATCH_TOO_LARGE and before its body.
        maxBatchSize: TRPC_MAX_BATCH,
        createContext: async ({ req }) => {
          // Sessions and keys are checked on the primary so a revocation is never hidden by replica lag.
          const auth = await authenticate(db.database.primary, req.headers, { secret, sessionPolicy }).catch(
            (err) => {
              // Same stable codes as procedures, e.g. DB_UNAVAILABLE while Postgres is down.
              throw toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: err }));
            },
          );
          if (auth.viaCookie) {
            const problem = csrfProblem(
              { method: req.method, contentType: req.headers['content-type'], origin: req.headers.origin },
              config.webOrigins,
            );
            if (problem) throw new TRPCError({ code: 'FORBIDDEN', message: problem });
          }
          return {
            db: db.database.db,
            sql: db.database.sql,
            requestId: req.id,
            ip: req.ip ?? null,
            logger: req.log,
            runtime,
            identity: auth.identity,
            authError: auth.error,
          };
        },
        onError({ path, error, req }) {
          if (error.code === 'INTERNAL_SERVER_ERROR') {
            req.log.error({ err: error.cause ?? error, procedure: path }, 'procedure failed');
          } else {
            req.log.info({ procedure: path, code: error.code, msg: error.message }, 'procedure rejected');
          }
        },
      } satisfies FastifyTRPCPluginOptions<typeof appRouter>['trpcOptions'],
    });
  });

  return app;
}
