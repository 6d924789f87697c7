import { METRIC_LIMITS } from '@sextant/trpc';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { decodeWriteRequest, TooManySamples, WireError } from '../ingest/remote-write/decode';
import { mapWriteRequest } from '../ingest/remote-write/map';
import { type IngestDeps, IngestRefusal, registerIngestRoute } from './ingest-edge';
import { validBatch } from './metrics-ingest';

/** A `proto=` parameter naming anything but 1.0's message is remote write 2.0 (or later). */
const PROTO_PARAM = /;\s*proto\s*=\s*"?([^;"\s]+)/i;

/** Prometheus logs a 4xx answer's body and drops the batch (no retry): plain text, a few lines. */
const text = (reply: FastifyReply, body: string) => reply.type('text/plain; charset=utf-8').send(`${body}\n`);

/**
 * `POST /api/v1/write`: Prometheus remote write 1.0 (protobuf `WriteRequest`, snappy). 204 once stored; 400 for
 * an unreadable body (Prometheus does not retry a 4xx); new series over a series limit are left out, the rest
 * stored, and the 400 names the metric and label. 2.0's content type gets 415, so a sender falls back to 1.0.
 */
export function registerRemoteWrite(app: FastifyInstance, deps: IngestDeps) {
  registerIngestRoute(app, deps, {
    path: '/api/v1/write',
    format: 'remote-write',
    mediaTypes: ['application/x-protobuf'],
    encodings: ['snappy'],
    implicitIdempotency: true,
    onLimit: 'dropNewSeries',
    decode(body, contentType) {
      const proto = PROTO_PARAM.exec(contentType)?.[1];
      if (proto !== undefined && proto !== 'prometheus.WriteRequest')
        throw new IngestRefusal(
          415,
          `Only remote write 1.0 (prometheus.WriteRequest) is accepted, not ${proto}.`,
        );
      let wire: ReturnType<typeof decodeWriteRequest>;
      try {
        wire = decodeWriteRequest(body as Buffer, METRIC_LIMITS.samplesPerBatch);
      } catch (err) {
        if (err instanceof TooManySamples)
          throw new IngestRefusal(
            400,
            `At most ${METRIC_LIMITS.samplesPerBatch} samples per request (lower queue_config.max_samples_per_send); nothing was stored.`,
          );
        if (err instanceof WireError)
          throw new IngestRefusal(400, `The body is not a remote write 1.0 WriteRequest (${err.message}).`);
        throw err;
      }
      const mapped = mapWriteRequest(wire);
      // Metadata-only requests, and requests of stale markers only (a target went away): nothing to store.
      const batch =
        mapped.points.length === 0 ? { points: [], histograms: [] } : validBatch({ points: mapped.points });
      return { batch, skipped: mapped.skipped, notes: mapped.notes };
    },
    reply: {
      stored: (reply, r) => (r.limit ? text(reply.code(400), r.notes.join('\n')) : reply.code(204).send()),
      replayed: (reply) => reply.code(204).send(),
      refused(reply, e) {
        const issues = (e.details.issues ?? []) as { path: string; message: string }[];
        return text(reply, [e.message, ...issues.map((i) => `${i.path}: ${i.message}`)].join('\n'));
      },
    },
  });
}
