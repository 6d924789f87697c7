import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { type Db, type Role, roleAtLeast, type Sql } from '@sextant/db';
import {
  AlreadyAccepted,
  acceptedBefore,
  authenticateApiKey,
  CardinalityLimitError,
  type Identity,
  type IngestResult,
  METRICS_PUSH_ROLE,
  type MetricBatch,
  type OnLimit,
  pushMetrics,
  type SeriesLimits,
} from '@sextant/trpc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { uncompress } from 'snappyjs';
import { httpError } from '../http-error';

export type IngestIdentity = Extract<Identity, { type: 'api_key' }>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified key of a metrics ingest request, set before its body is read. */
    ingestKey: IngestIdentity | null;
  }
}

export interface IngestDeps {
  db: Db;
  sql: Sql;
  /** Largest body, counted after gzip or snappy is undone. */
  bodyLimit: number;
  limits: SeriesLimits;
}

/** A format's reading of a body: the batch to store, and the samples its mapping left out (NaN, stale markers…). */
export interface Decoded {
  batch: MetricBatch;
  skipped: number;
  /** Why samples were skipped, for the sender; a few lines at most. */
  notes: string[];
}

/** The counts of an accepted batch, as kept for its idempotency key. */
export interface Stored {
  points: number;
  histograms: number;
}

/** The request is refused before anything is stored; the format words the answer. */
export class IngestRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface IngestFormat {
  path: string;
  format: 'json' | 'otlp' | 'remote-write';
  /** Media types accepted (without parameters). JSON bodies reach `decode` parsed, the others as a Buffer. */
  mediaTypes: readonly string[];
  /** Content-Encodings accepted besides identity. */
  encodings: readonly ('gzip' | 'snappy')[];
  /** Reads a body (already inflated); throws IngestRefusal. `contentType` is the whole header, parameters included. */
  decode(body: unknown, contentType: string): Decoded;
  /** Without an Idempotency-Key the body's SHA-256 stands in: these senders retry with the very same bytes. */
  implicitIdempotency: boolean;
  /** Native JSON refuses a batch over a series limit; OTLP and remote write store the rest (senders can't split). */
  onLimit: OnLimit;
  reply: {
    stored(reply: FastifyReply, r: StoredReply, contentType: string): FastifyReply;
    replayed(reply: FastifyReply, accepted: Stored, contentType: string): FastifyReply;
    refused(reply: FastifyReply, refusal: IngestRefusal, contentType: string): FastifyReply;
  };
}

export interface StoredReply {
  stored: Stored;
  /** Samples the format's mapping left out, plus those of new series dropped at a limit. */
  rejected: number;
  notes: string[];
  limit: CardinalityLimitError | null;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

const mediaTypeOf = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();

/** The JSON answer of a series limit: the message, and the metric (or service) and label that exploded. */
export function limitDetails(e: CardinalityLimitError) {
  return { appCode: e.appCode, [e.scope]: e.key, label: e.label, limit: e.limit };
}

/** What a sender is told when new series were left out at a limit and the rest of its batch was stored. */
function limitNote(e: CardinalityLimitError, series: number) {
  const cause = e.label ? `; label "${e.label}" brought ${e.newValues} new values` : '';
  return `${series} new series were not stored: ${e.scope} "${e.key}" is at its limit of ${e.limit} series${cause}.`;
}

/**
 * The API key of a plain-HTTP edge, checked before a byte of the body is read: 401 without a valid one, 403 below
 * `role` (`key.role` is already capped by key, owner and maintainer in verifyApiKey; only the bar is set here).
 */
export async function requireApiKey(
  db: Db,
  req: FastifyRequest,
  role: Role,
  what: string,
): Promise<IngestIdentity> {
  const key = (await authenticateApiKey(db, req.headers.authorization))?.identity;
  if (key?.type !== 'api_key')
    throw httpError(401, 'UNAUTHORIZED', 'Send a valid API key as "Authorization: Bearer <key>".');
  if (!roleAtLeast(key.role, role))
    throw httpError(403, 'FORBIDDEN', `${what} needs an API key with the ${role} role.`);
  return key;
}

/**
 * One ingest edge for every wire format: the API key and its role are checked before a byte of the body is read,
 * gzip is inflated as a stream and snappy only after its declared size passed the body limit, then idempotency,
 * the format's decoding, and `pushMetrics`: the same validation, limits, audit and transaction for all of them.
 */
export function registerIngestRoute(app: FastifyInstance, deps: IngestDeps, f: IngestFormat) {
  if (!app.hasRequestDecorator('ingestKey')) app.decorateRequest('ingestKey', null);
  app.register(async (scope) => {
    // Protobuf and other binary bodies arrive as Buffers; JSON keeps Fastify's parser (prototype poisoning checks).
    const binary = f.mediaTypes.filter((t) => t !== 'application/json');
    if (binary.length > 0)
      scope.addContentTypeParser(
        binary,
        { parseAs: 'buffer', bodyLimit: deps.bodyLimit },
        (_req, body, done) => done(null, body),
      );
    scope.post(
      f.path,
      {
        bodyLimit: deps.bodyLimit,
        preParsing: [
          // The key first: nobody without one makes us read, inflate or parse a byte of the body.
          async (req, _reply, payload) => {
            // The same key check and role bar as the `metrics.push` procedure.
            req.ingestKey = await requireApiKey(deps.db, req, METRICS_PUSH_ROLE, 'Ingest');
            return payload;
          },
          // Decompress before parsing; the body limit then applies to the inflated size (no gzip bombs).
          async (req, _reply, payload) => {
            const encoding = req.headers['content-encoding'];
            if (!encoding || encoding === 'identity') return payload;
            if (!(f.encodings as readonly string[]).includes(encoding))
              throw Object.assign(
                new Error(`Accepted content encodings: ${['identity', ...f.encodings].join(', ')}.`),
                { statusCode: 415 },
              );
            if (encoding === 'snappy') return payload; // block format: inflated in the handler, size checked first
            delete req.headers['content-length'];
            return payload.pipe(createGunzip());
          },
        ],
      },
      (req, reply) => handle(deps, f, req, reply),
    );
  });
}

async function handle(deps: IngestDeps, f: IngestFormat, req: FastifyRequest, reply: FastifyReply) {
  const key = req.ingestKey!;
  const contentType = req.headers['content-type'] ?? '';
  const refuse = (status: number, message: string, details?: Record<string, unknown>) =>
    f.reply.refused(reply.code(status), new IngestRefusal(status, message, details), contentType);
  if (!f.mediaTypes.includes(mediaTypeOf(contentType)))
    return refuse(415, `Send the batch as ${f.mediaTypes.join(' or ')}.`);
  let body = req.body;
  if (req.headers['content-encoding'] === 'snappy') {
    try {
      body = Buffer.from(uncompress(body as Buffer, deps.bodyLimit));
    } catch (err) {
      return /too big/.test((err as Error).message)
        ? refuse(413, `The request body is larger than the ${deps.bodyLimit}-byte limit once inflated.`)
        : refuse(400, 'The body is not valid snappy (block format).');
    }
  }
  const header = req.headers['idempotency-key'];
  if (header !== undefined && (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)))
    return refuse(400, 'Idempotency-Key must be 1 to 200 visible ASCII characters; nothing was stored.');
  const idempotencyKey = header ?? (f.implicitIdempotency ? `sha256:${bodyDigest(body)}` : undefined);
  if (idempotencyKey) {
    const replay = await acceptedBefore(deps.sql, key.keyId, idempotencyKey);
    if (replay) return f.reply.replayed(reply.code(200), replay, contentType);
  }
  let decoded: Decoded;
  try {
    decoded = f.decode(body, contentType);
  } catch (err) {
    if (err instanceof IngestRefusal) return f.reply.refused(reply.code(err.status), err, contentType);
    throw err;
  }
  // Nothing left to store (metadata only, stale markers, an empty export): a success that writes nothing, not even audit.
  if (decoded.batch.points.length + decoded.batch.histograms.length === 0)
    return f.reply.stored(
      reply,
      { stored: { points: 0, histograms: 0 }, rejected: decoded.skipped, notes: decoded.notes, limit: null },
      contentType,
    );
  const result: IngestResult | 'replay' | CardinalityLimitError | null = await pushMetrics(
    deps.sql,
    { identity: key, requestId: req.id, ip: req.ip },
    decoded.batch,
    {
      action: 'metrics.ingest',
      format: f.format,
      idempotency: idempotencyKey ? { apiKeyId: key.keyId, key: idempotencyKey } : undefined,
      limits: { ...deps.limits, onLimit: f.onLimit },
    },
  ).catch((err: { code?: string }) => {
    if (err instanceof AlreadyAccepted) return 'replay' as const;
    if (err instanceof CardinalityLimitError) return err;
    // No partition for a timestamp: the sample is outside the stored range (nothing was written).
    if (err.code === '23514') return null;
    throw err;
  });
  if (result === 'replay' && idempotencyKey)
    return f.reply.replayed(
      reply.code(200),
      (await acceptedBefore(deps.sql, key.keyId, idempotencyKey))!,
      contentType,
    );
  if (result instanceof CardinalityLimitError) return refuse(422, result.message, limitDetails(result));
  if (!result || result === 'replay')
    return refuse(400, 'A timestamp falls outside the stored time range; nothing was stored.');
  const dropped = result.dropped;
  return f.reply.stored(
    reply,
    {
      stored: { points: result.points, histograms: result.histograms },
      rejected: decoded.skipped + (dropped ? dropped.points + dropped.histograms : 0),
      notes: dropped ? [...decoded.notes, limitNote(dropped.refusal, dropped.series)] : decoded.notes,
      limit: dropped?.refusal ?? null,
    },
    contentType,
  );
}

/** The decoded body's bytes (JSON bodies are hashed in their parsed form, which Fastify keeps in key order). */
function bodyDigest(body: unknown) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return createHash('sha256').update(bytes).digest('base64url');
}
