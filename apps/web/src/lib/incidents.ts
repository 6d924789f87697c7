/** Incident labels and badge tones, pure, so the list, the form and the detail page word them one way. */
import type { IncidentImpact, IncidentSeverity, IncidentStatus } from '@sextant/db/enums';
import { INCIDENT_TRANSITIONS } from '@sextant/trpc/schemas';
import { formatDuration } from './format';

type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info';

export const SEVERITY_TONE: Record<IncidentSeverity, Tone> = {
  SEV1: 'danger',
  SEV2: 'warning',
  SEV3: 'info',
  SEV4: 'neutral',
};

export const STATUS_TONE: Record<IncidentStatus, Tone> = {
  investigating: 'danger',
  identified: 'warning',
  monitoring: 'info',
  resolved: 'success',
};

export const IMPACT_LABEL: Record<IncidentImpact, string> = {
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/** The button for a legal move: a move back from resolved is a reopen. */
export function transitionLabel(from: IncidentStatus, to: IncidentStatus): string {
  if (from === 'resolved') return 'Reopen';
  return to === 'resolved' ? 'Resolve' : `Mark ${to}`;
}

/** The moves the server accepts from `status`, in the transition table's order (its one definition). */
export const nextStatuses = (status: IncidentStatus): readonly IncidentStatus[] =>
  INCIDENT_TRANSITIONS[status];

/** A duration the API gives in milliseconds; null (not yet acknowledged / resolved) as a dash. */
export const formatMs = (ms: number | null): string => (ms === null ? '—' : formatDuration(ms / 1000));

/** Services the declare form offers (the API's largest page, by name); not in the client form, so its page can prefetch. */
export const SERVICE_CHOICES = { page: 1, pageSize: 100 } as const;
