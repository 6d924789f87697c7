/**
 * A status page notice (incident, maintenance, subscription confirmation) as the outbox stores it for one
 * subscriber: the public story only, never internal updates, user names, hosts or check URLs. Links (which carry
 * tokens) are added at send time by the loader (notice-targets.ts), so the table holds nothing that unsubscribes.
 */
import { createHash } from 'node:crypto';
import type { IncidentImpact, IncidentStatus } from '@sextant/db';

export const NOTICE_EVENTS = [
  'subscription.confirm',
  'incident.created',
  'incident.updated',
  'incident.resolved',
  'maintenance.scheduled',
  'maintenance.started',
  'maintenance.completed',
] as const;
export type NoticeEvent = (typeof NOTICE_EVENTS)[number];

export interface NoticeIncident {
  id: string;
  title: string;
  status: IncidentStatus;
  /** Affected components of this page (by name) and how badly. */
  components: { name: string; impact: IncidentImpact }[];
  /** The public update this notice is about, if any. */
  update: { status: IncidentStatus; body: string; at: string } | null;
  startedAt: string;
  resolvedAt: string | null;
}

export interface NoticeMaintenance {
  id: string;
  title: string;
  description: string;
  /** This occurrence, RFC 3339. */
  startsAt: string;
  endsAt: string;
  components: string[];
}

/** Filled at send time, never stored: each link carries a token. */
export interface NoticeLinks {
  page: string;
  /** The human unsubscribe page (GET shows a button; mail scanners follow links). */
  unsubscribe: string;
  /** RFC 8058 one-click target of List-Unsubscribe (POST). */
  oneClick: string;
  confirm?: string;
}

export interface StatusNotice {
  type: 'status_notice';
  event: NoticeEvent;
  /** sha256(notice key, subscriber); also the Message-ID and Idempotency-Key. */
  idempotencyKey: string;
  page: { id: string; slug: string; title: string };
  /** RFC 3339: when the event happened. */
  at: string;
  incident?: NoticeIncident;
  maintenance?: NoticeMaintenance;
  links?: NoticeLinks;
}

/** Discriminates a stored payload: alert messages are Alertmanager's v4 body, notices carry `type`. */
export function isStatusNotice(payload: unknown): payload is StatusNotice {
  return (payload as { type?: unknown } | null)?.type === 'status_notice';
}

/** The outbox's UNIQUE key of one notice to one subscriber: 3 instances seeing the same event enqueue once. */
export function noticeIdempotencyKey(noticeKey: string, subscriberId: string): string {
  return createHash('sha256')
    .update(JSON.stringify(['status-notice', noticeKey, subscriberId]))
    .digest('hex');
}
