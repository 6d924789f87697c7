/**
 * Incident durations, pure (no database), so the list, the incident page and per-service figures compute them
 * one way. No server imports: the console may use it too.
 */
import { INCIDENT_STATUSES, type IncidentStatus } from '@sextant/db/enums';

export interface IncidentTimes {
  startedAt: Date;
  detectedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
}

export interface IncidentDurations {
  /** Detected → acknowledged; null until acknowledged. */
  timeToAcknowledgeMs: number | null;
  /** Started (impact began) → resolved; null while open. */
  timeToResolveMs: number | null;
}

// Times are edited by people (started/detected); a negative span means "at once", never a negative figure.
const span = (from: Date, to: Date | null) => (to ? Math.max(0, to.getTime() - from.getTime()) : null);

export function incidentDurations(t: IncidentTimes): IncidentDurations {
  return {
    timeToAcknowledgeMs: span(t.detectedAt, t.acknowledgedAt),
    timeToResolveMs: span(t.startedAt, t.resolvedAt),
  };
}

const rank = (s: IncidentStatus) => INCIDENT_STATUSES.indexOf(s);

/**
 * The lifecycle times a legal move from `from` to `to` at `now` sets: acknowledged once `identified` is reached or
 * skipped over, mitigated once `monitoring` is, resolved at `resolved`; a reopen clears only the resolved time.
 * First stamps stay: a second pass through a state keeps the time it was first reached.
 */
export function transitionStamps(
  row: { acknowledgedAt: Date | null; mitigatedAt: Date | null },
  from: IncidentStatus,
  to: IncidentStatus,
  now: Date,
  actorUserId: string | null,
) {
  if (to === 'investigating' && from === 'resolved') return { resolvedAt: null };
  const stamps: {
    acknowledgedAt?: Date;
    acknowledgedBy?: string | null;
    mitigatedAt?: Date;
    resolvedAt?: Date;
  } = {};
  if (rank(to) >= rank('identified') && !row.acknowledgedAt) {
    stamps.acknowledgedAt = now;
    stamps.acknowledgedBy = actorUserId;
  }
  if (rank(to) >= rank('monitoring') && !row.mitigatedAt) stamps.mitigatedAt = now;
  if (to === 'resolved') stamps.resolvedAt = now;
  return stamps;
}

/** Median and mean of the spans that exist; nulls (not yet acknowledged or resolved) are left out. */
export interface SpanFigures {
  count: number;
  medianMs: number | null;
  meanMs: number | null;
}

export function spanFigures(spans: readonly (number | null)[]): SpanFigures {
  const known = spans.filter((s): s is number => s !== null).sort((a, b) => a - b);
  const n = known.length;
  if (n === 0) return { count: 0, medianMs: null, meanMs: null };
  const mid = Math.floor(n / 2);
  const median = n % 2 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
  return { count: n, medianMs: median, meanMs: known.reduce((a, b) => a + b, 0) / n };
}
