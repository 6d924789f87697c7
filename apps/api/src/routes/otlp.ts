import type { FastifyInstance, FastifyReply } from 'fastify';
import { decodeOtlp, isJson } from '../ingest/otlp/decode';
import { ExportResponse, RpcStatus } from '../ingest/otlp/descriptor';
import { type IngestDeps, registerIngestRoute } from './ingest-edge';

/** google.rpc.Code for the HTTP statuses the edge answers with (OTLP/HTTP puts a Status in every 4xx body). */
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 413: 8, 415: 3, 422: 3 };

/** The message in the request's own encoding: protobuf for application/x-protobuf, else JSON. */
function send(
  reply: FastifyReply,
  contentType: string,
  json: Record<string, unknown>,
  proto: () => Uint8Array,
) {
  if (isJson(contentType) || !contentType.toLowerCase().startsWith('application/x-protobuf'))
    return reply.type('application/json').send(json);
  return reply.type('application/x-protobuf').send(Buffer.from(proto()));
}

function exportResponse(reply: FastifyReply, contentType: string, rejected: number, message: string) {
  // Without anything left out the response is empty, as OTLP/HTTP asks (partial_success unset).
  const partialSuccess =
    rejected > 0 || message ? { rejectedDataPoints: String(rejected), errorMessage: message } : undefined;
  const body = partialSuccess ? { partialSuccess } : {};
  return send(reply.code(200), contentType, body, () =>
    ExportResponse.encode(ExportResponse.fromObject(body)).finish(),
  );
}

/**
 * `POST /api/v1/otlp/v1/metrics`: OTLP/HTTP metrics, protobuf or JSON, optionally gzip, with a maintainer API key
 * (`Authorization: Bearer <key>`). The mapping follows Prometheus' OTLP receiver (README, "OTLP"). Senders cannot
 * split a batch, so what cannot be stored (NaN, stale or out-of-window points, delta histograms, new series over a
 * limit) is left out and reported in `partial_success`, and the rest is stored. Exporters retry with the same
 * bytes, so the body's SHA-256 stands in for a missing Idempotency-Key.
 */
export function registerOtlpIngest(app: FastifyInstance, deps: IngestDeps) {
  registerIngestRoute(app, deps, {
    path: '/api/v1/otlp/v1/metrics',
    format: 'otlp',
    mediaTypes: ['application/x-protobuf', 'application/json'],
    encodings: ['gzip'],
    implicitIdempotency: true,
    onLimit: 'dropNewSeries',
    decode: (body, contentType) => decodeOtlp(body, contentType),
    reply: {
      stored: (reply, r, contentType) => exportResponse(reply, contentType, r.rejected, r.notes.join(' ')),
      replayed: (reply, _accepted, contentType) => exportResponse(reply, contentType, 0, ''),
      refused: (reply, e, contentType) => {
        // The message names the problems; `details` (google.protobuf.Any) stays empty.
        const status = { code: GRPC_CODE[e.status] ?? 3, message: e.message };
        return send(reply, contentType, status, () =>
          RpcStatus.encode(RpcStatus.fromObject(status)).finish(),
        );
      },
    },
  });
}
