import { batchSchema, METRIC_LIMITS, parseBatchFast } from '@sextant/trpc';
import { type Decoded, IngestRefusal } from '../../routes/ingest-edge';
import { type ExportMetricsServiceRequest, ExportRequest } from './descriptor';
import { mapExport } from './map';

/** OTLP/JSON bodies arrive parsed by Fastify; protobuf ones as a Buffer. */
export const isJson = (contentType: string) =>
  contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';

/**
 * An OTLP/HTTP ExportMetricsServiceRequest (protobuf, or OTLP/JSON: lowerCamelCase names, 64-bit integers as
 * strings, enums as integers) as a validated Sextant batch. An undecodable body, a batch over
 * METRIC_LIMITS.samplesPerBatch, or one the native JSON rules refuse (names, labels, buckets) is a 400.
 */
export function decodeOtlp(body: unknown, contentType: string, now = Date.now()): Decoded {
  const json = isJson(contentType);
  let request: ExportMetricsServiceRequest;
  try {
    request = (json
      ? ExportRequest.fromObject(body as Record<string, unknown>)
      : ExportRequest.decode(body as Uint8Array)) as unknown as ExportMetricsServiceRequest;
  } catch (err) {
    throw new IngestRefusal(
      400,
      `The body is not an OTLP ExportMetricsServiceRequest in ${json ? 'OTLP/JSON' : 'protobuf'}: ${(err as Error).message}`,
    );
  }
  const mapped = mapExport(request, now);
  const { points, histograms } = mapped.batch;
  const samples = points.length + histograms.length;
  if (samples > METRIC_LIMITS.samplesPerBatch)
    throw new IngestRefusal(
      400,
      `The export holds ${samples} samples; at most ${METRIC_LIMITS.samplesPerBatch} per request (samplesPerBatch) are accepted, nothing was stored. Send smaller batches (the Collector's batch processor: send_batch_max_size).`,
    );
  // Nothing left to store (an empty export, or every point left out): still a success, with the count of those left out.
  if (samples === 0) return mapped;
  const batch = parseBatchFast(mapped.batch, now);
  if (batch) return { ...mapped, batch };
  // The same rules and wording as POST /v1/metrics: zod decides when the fast path balks.
  const parsed = batchSchema.safeParse(mapped.batch);
  if (parsed.success) return { ...mapped, batch: parsed.data };
  const issues = parsed.error.issues;
  const where = (path: PropertyKey[]) => {
    const [list, i] = path as [keyof typeof mapped.batch, number];
    const sample = mapped.batch[list]?.[i];
    return sample ? `${sample.name}: ` : '';
  };
  throw new IngestRefusal(
    400,
    `The export was rejected (${issues.length} problem${issues.length === 1 ? '' : 's'}); nothing was stored. ${issues
      .slice(0, 5)
      .map((i) => `${where(i.path)}${i.path.slice(2).join('.') || i.path.join('.')} ${i.message}`)
      .join('; ')}`,
    { issues: issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })) },
  );
}
