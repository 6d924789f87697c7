/**
 * Feature flags over plain HTTP (issue 18, requirements 10-11): OFREP single and bulk evaluation for OpenFeature
 * SDKs, and the snapshot (ETag / 304) and its SSE stream for in-process clients (`@sextant/flags`). Every route
 * takes an API key of any role, as `Authorization: Bearer <key>` or `X-API-Key: <key>`, checked before the body is
 * read. The environment is always the `environment` query parameter (the OFREP provider's `query` option).
 */
import type { IncomingMessage } from 'node:http';
import type { Db } from '@sextant/db';
import { contextProblem, type EvaluationContext } from '@sextant/flags';
import {
  type ApiKeyCache,
  authenticateApiKey,
  bearerToken,
  evaluationBucket,
  type FlagEvaluationCounter,
} from '@sextant/trpc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { httpError } from '../http-error';
import { refuse } from './coded-edge';
import {
  bulkEtag,
  evaluateOfrep,
  type FlagSnapshot,
  type FlagSnapshotSource,
  failureStatus,
  httpEtag,
  FLAG_EDGE_LIMITS as L,
  notModified,
  type OfrepEvaluation,
  snapshotJson,
} from './flags-snapshot';
import { registerFlagStream } from './flags-stream';

export type { FlagSnapshot, FlagSnapshotSource } from './flags-snapshot';

export interface FlagEdgeOptions {
  source: FlagSnapshotSource;
  /** This instance's evaluation counts (flushed to the metric store); OFREP answers for existing flags count. */
  counter?: FlagEvaluationCounter;
  /** Verified API keys: evaluation is the hot path, so a key is looked up once per 10 s, not per request. */
  keyCache?: ApiKeyCache;
  /** Open streams allowed at once; FLAG_EDGE_LIMITS.maxStreams unless a test lowers it. */
  maxStreams?: number;
}

export interface FlagEdgeDeps extends FlagEdgeOptions {
  /** The primary, where API keys are checked (a revocation is never hidden by replica lag). */
  authDb: Db;
  drain(raw: IncomingMessage, reply: FastifyReply): void;
}

const environmentQuery = z.object({
  environment: z
    .string({ error: 'Name the environment: ?environment=NAME.' })
    .trim()
    .min(1, 'Name the environment: ?environment=NAME.')
    .max(L.maxEnvironmentLength)
    // Postgres cannot hold NUL: refused here, as tRPC refuses it, not a failed snapshot read (a 500).
    .refine((name) => !name.includes('\0'), 'The environment name holds a NUL character.'),
});
// contextProblem bounds the context's fields; a record schema here would copy every context once more.
const ofrepBody = z.looseObject({
  context: z
    .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
      error: 'context must be a JSON object',
    })
    .optional(),
});
const flagKey = z.string().min(1).max(200);

const isOfrep = (req: FastifyRequest) => req.url.startsWith('/ofrep/');
const routeKey = (req: FastifyRequest) => {
  const key = (req.params as { key?: unknown } | undefined)?.key;
  return typeof key === 'string' ? key.slice(0, 200) : undefined;
};

const keyRefused = () =>
  httpError(401, 'UNAUTHORIZED', 'Send a valid API key as "Authorization: Bearer <key>" or "X-API-Key".');

/** An OFREP refusal: `{key, errorCode, errorDetails}` for one flag, `{errorCode, errorDetails}` for the bulk call. */
function ofrepRefusal(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  errorCode: string,
  errorDetails: string,
) {
  const key = routeKey(req);
  return reply
    .code(status)
    .send(key === undefined ? { errorCode, errorDetails } : { key, errorCode, errorDetails });
}

/** The query's environment, or undefined after answering the refusal. */
function environmentOf(req: FastifyRequest, reply: FastifyReply): string | undefined {
  const parsed = environmentQuery.safeParse(req.query ?? {});
  if (parsed.success) return parsed.data.environment;
  const message = parsed.error.issues[0]?.message ?? 'Invalid environment.';
  if (isOfrep(req)) ofrepRefusal(req, reply, 400, 'GENERAL', message);
  else refuse(reply, 400, 'VALIDATION_FAILED', message, [{ path: 'environment', message }]);
  return undefined;
}

/** The environment's snapshot, or undefined after answering a coded refusal (never a 5xx for a bad name). */
async function snapshotFor(source: FlagSnapshotSource, req: FastifyRequest, reply: FastifyReply) {
  const environment = environmentOf(req, reply);
  return environment === undefined ? undefined : loadSnapshot(source, environment, req, reply);
}

/** A named environment's snapshot from `get`, or undefined after answering that there is no such environment. */
async function loadSnapshot(
  source: FlagSnapshotSource,
  environment: string,
  req: FastifyRequest,
  reply: FastifyReply,
) {
  const snapshot = await source.get(environment);
  if (snapshot) return snapshot;
  const message = `Unknown environment "${environment}".`;
  if (isOfrep(req)) ofrepRefusal(req, reply, 400, 'GENERAL', message);
  else refuse(reply, 404, 'ENVIRONMENT_NOT_FOUND', message);
  return undefined;
}

/** The OFREP body's context, or undefined after answering INVALID_CONTEXT. */
function contextOf(req: FastifyRequest, reply: FastifyReply): { context?: EvaluationContext } | undefined {
  const parsed = ofrepBody.safeParse(req.body ?? {});
  const problem = parsed.success ? contextProblem(parsed.data.context) : parsed.error.issues[0]?.message;
  if (parsed.success && problem === undefined) return { context: parsed.data.context };
  ofrepRefusal(req, reply, 400, 'INVALID_CONTEXT', problem ?? 'The body must be {"context": {...}}.');
  return undefined;
}

/** Counts an answer for a flag the snapshot holds; made-up keys cannot grow the counter. */
function count(
  counter: FlagEvaluationCounter | undefined,
  snapshot: FlagSnapshot,
  { answer, found }: OfrepEvaluation,
) {
  if (!counter || !found) return;
  const details =
    'errorCode' in answer
      ? { reason: 'ERROR', value: undefined }
      : { variant: answer.variant, reason: answer.reason, value: answer.value };
  counter.record(answer.key, snapshot.environment, evaluationBucket(details));
}

export function registerFlagEdges(app: FastifyInstance, deps: FlagEdgeDeps) {
  const stream = registerFlagStream(app, deps.maxStreams ?? L.maxStreams);
  app.register(async (scope) => {
    // OFREP providers send JSON whatever their Content-Type says: every type (text/plain too, whose own parser would
    // hand the body on as a string) goes through Fastify's JSON parser, with its poisoning checks.
    scope.removeContentTypeParser('text/plain');
    scope.addContentTypeParser('*', { parseAs: 'string' }, scope.getDefaultJsonParser('error', 'error'));
    scope.setErrorHandler((err: { statusCode?: number; appCode?: string; message: string }, req, reply) => {
      const status = err.statusCode ?? 500;
      if (!req.raw.complete) deps.drain(req.raw, reply);
      if (status >= 500) req.log.error({ err }, 'flag edge failed');
      if (isOfrep(req) && status !== 401 && status !== 403 && status !== 429) {
        // An SDK reads only OFREP's shape: an oversized or unreadable context is INVALID_CONTEXT / PARSE_ERROR.
        if (status === 413)
          return ofrepRefusal(
            req,
            reply,
            400,
            'INVALID_CONTEXT',
            `The body is larger than ${L.bodyBytes} bytes.`,
          );
        if (status < 500) return ofrepRefusal(req, reply, 400, 'PARSE_ERROR', err.message);
        return ofrepRefusal(req, reply, 500, 'GENERAL', 'Internal server error.');
      }
      if (status === 413)
        return refuse(reply, 413, 'PAYLOAD_TOO_LARGE', `The body is larger than ${L.bodyBytes} bytes.`);
      if (status >= 500) return refuse(reply, status, 'INTERNAL', 'Internal server error.');
      const code =
        status === 401
          ? 'UNAUTHORIZED'
          : status === 403
            ? 'FORBIDDEN'
            : status === 429
              ? 'RATE_LIMITED'
              : 'VALIDATION_FAILED';
      return refuse(reply, status, (err.appCode as 'UNAUTHORIZED') ?? code, err.message);
    });
    // The key first: nobody without one makes us read a body, look up a snapshot or hold a stream. A key verified
    // within the cache's TTL passes without a promise (callback hook): this is the evaluation hot path.
    scope.addHook('onRequest', (req, _reply, done) => {
      const apiKey = req.headers['x-api-key'];
      const authorization =
        req.headers.authorization || (typeof apiKey === 'string' ? `Bearer ${apiKey.trim()}` : undefined);
      const token = bearerToken(authorization);
      if (token && deps.keyCache?.peek(token)) return done();
      authenticateApiKey(deps.authDb, authorization, deps.keyCache).then(
        // Any role may evaluate: flag configurations are what every service of the instance runs on.
        (auth) => done(auth?.identity?.type === 'api_key' ? undefined : keyRefused()),
        done,
      );
    });

    const bodyLimit = L.bodyBytes;
    // Evaluations are polled by machines at a high rate: their request lines log at debug, as health probes do.
    const evaluation = { bodyLimit, config: { quietLog: true } };
    // Not async: with the snapshot at hand (`peek`) an evaluation answers without a promise.
    scope.post('/ofrep/v1/evaluate/flags/:key', evaluation, (req, reply) => {
      const key = flagKey.safeParse((req.params as { key: string }).key);
      if (!key.success)
        return ofrepRefusal(req, reply, 404, 'FLAG_NOT_FOUND', 'Flag keys are 1 to 200 characters.');
      const input = contextOf(req, reply);
      if (!input) return reply;
      const answer = (snapshot: FlagSnapshot | undefined) => {
        if (!snapshot) return reply;
        const evaluation = evaluateOfrep(snapshot, key.data, input.context);
        count(deps.counter, snapshot, evaluation);
        const result = evaluation.answer;
        return reply.code('errorCode' in result ? failureStatus(result.errorCode) : 200).send(result);
      };
      const environment = environmentOf(req, reply);
      if (environment === undefined) return reply;
      const ready = deps.source.peek?.(environment);
      return ready ? answer(ready) : loadSnapshot(deps.source, environment, req, reply).then(answer);
    });

    scope.post('/ofrep/v1/evaluate/flags', evaluation, async (req, reply) => {
      const input = contextOf(req, reply);
      if (!input) return reply;
      const snapshot = await snapshotFor(deps.source, req, reply);
      if (!snapshot) return reply;
      const etag = bulkEtag(snapshot, input.context);
      reply.header('cache-control', 'no-cache');
      if (etag !== undefined) {
        reply.header('etag', etag);
        if (notModified(req.headers['if-none-match'], etag)) return reply.code(304).send();
      }
      const flags = Object.keys(snapshot.flags).map((key) => {
        const evaluation = evaluateOfrep(snapshot, key, input.context);
        count(deps.counter, snapshot, evaluation);
        return evaluation.answer;
      });
      return reply.code(200).send({ flags });
    });

    scope.get('/v1/flags/snapshot', { config: { quietLog: true } }, async (req, reply) => {
      const snapshot = await snapshotFor(deps.source, req, reply);
      if (!snapshot) return reply;
      const etag = httpEtag(snapshot.etag);
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (notModified(req.headers['if-none-match'], etag)) return reply.code(304).send();
      return reply.code(200).type('application/json; charset=utf-8').send(snapshotJson(snapshot));
    });

    scope.get('/v1/flags/stream', async (req, reply) => {
      if (stream.full()) {
        return refuse(
          reply.header('retry-after', String(L.retryAfterSeconds)),
          503,
          'OVERLOADED',
          'Too many flag streams are open on this instance; retry later or poll /v1/flags/snapshot.',
        );
      }
      const snapshot: FlagSnapshot | undefined = await snapshotFor(deps.source, req, reply);
      if (!snapshot) return reply;
      return stream.open(req, reply, deps.source, snapshot);
    });
  });
}
