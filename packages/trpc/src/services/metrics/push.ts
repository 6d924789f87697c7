import { type Role, type Sql, writeAudit } from '@sextant/db';
import { actorOf, type Context } from '../../context';
import type { MetricBatch } from '../../schemas/metrics';
import { type IngestLimits, type IngestResult, ingestBatch } from './ingest';

/** Who may push metrics: the `metrics.push` procedure's access and the `POST /v1/metrics` check are both this. */
export const METRICS_PUSH_ROLE: Role = 'maintainer';

/** Thrown inside the transaction when the Idempotency-Key was already used: nothing of this batch is kept. */
export class AlreadyAccepted extends Error {}

export interface PushOptions {
  /** The audit action: `metrics.push` (tRPC) or `metrics.ingest` (plain HTTP: native JSON, OTLP, remote write). */
  action: 'metrics.push' | 'metrics.ingest';
  /** The wire format, kept in the audit row. */
  format?: 'json' | 'otlp' | 'remote-write';
  /** A client's retry key, kept 24 h per API key. */
  idempotency?: { apiKeyId: string; key: string };
  /** The series limits from the API's config (Runtime.metricLimits), and what meeting one does. */
  limits: IngestLimits;
}

/**
 * Stores a validated batch with its audit row (and idempotency key) in one transaction, for both edges.
 * Throws AlreadyAccepted when the idempotency key was used before, CardinalityLimitError over a series limit.
 */
export function pushMetrics(
  sql: Sql,
  ctx: Pick<Context, 'identity' | 'requestId' | 'ip'>,
  batch: MetricBatch,
  o: PushOptions,
): Promise<IngestResult> {
  return ingestBatch(sql, batch, o.limits, async (tx, stored) => {
    const accepted = { points: stored.points, histograms: stored.histograms };
    // Same transaction: a retry racing this request waits on the key's row, then replays.
    if (o.idempotency) {
      const fresh = await tx`
        insert into metric_ingest_keys (api_key_id, key, accepted)
        values (${o.idempotency.apiKeyId}, ${o.idempotency.key}, ${JSON.stringify(accepted)}::jsonb)
        on conflict do nothing returning 1`;
      if (fresh.length === 0) throw new AlreadyAccepted();
    }
    await writeAudit(tx, {
      actor: actorOf(ctx.identity),
      action: o.action,
      targetType: 'metrics',
      after: o.format ? { ...accepted, format: o.format } : accepted,
      requestId: ctx.requestId,
      ip: ctx.ip,
    });
  });
}

/** What an earlier request with this Idempotency-Key stored. */
export async function acceptedBefore(sql: Sql, apiKeyId: string, key: string) {
  const [row] = await sql<{ accepted: { points: number; histograms: number } }[]>`
    select accepted from metric_ingest_keys where api_key_id = ${apiKeyId} and key = ${key}`;
  return row?.accepted ?? null;
}

/** Retention: idempotency keys are honoured for 24 hours. */
export function pruneIngestKeys(sql: Sql) {
  return sql`delete from metric_ingest_keys where created_at < now() - interval '24 hours'`;
}
