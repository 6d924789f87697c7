/**
 * Status page notices for subscribers: incident created / public update / resolved (enqueued in the incident
 * write's transaction) and maintenance scheduled / started / completed (a time-based tick). Each goes to the
 * confirmed subscribers of every public page that shows an affected service in one of the page's environments, and
 * whose component choice includes one of them; the idempotency key (notice, subscriber) makes repeats enqueue once.
 */
import { and, type DbOrTx, eq, gte, inArray, isNull, lte, schema } from '@sextant/db';
import type { IncidentImpact, IncidentStatus } from '@sextant/db/enums';
import { MAINTENANCE_LIMITS, SUBSCRIBER_LIMITS } from '../limits';
import { occurrencesBetween } from './maintenance-schedule';
import { endpointOf } from './notify/integrations';
import { subscriberBinding } from './notify/notice-targets';
import { enqueueNotices, type NoticeEntry } from './notify/outbox';
import { secretBox } from './notify/secret-box';
import {
  type NoticeEvent,
  type NoticeIncident,
  type NoticeMaintenance,
  noticeIdempotencyKey,
  type StatusNotice,
} from './notify/status-notice';

const s = schema;
const IMPACT_ORDER: IncidentImpact[] = ['degraded_performance', 'partial_outage', 'major_outage'];
const worse = (a: IncidentImpact, b: IncidentImpact) =>
  IMPACT_ORDER.indexOf(a) >= IMPACT_ORDER.indexOf(b) ? a : b;

interface PageHit {
  page: { id: string; slug: string; title: string; mailIntegrationId: string | null };
  /** Affected services shown on the page, by id: name and (for incidents) worst impact. */
  services: Map<string, { name: string; impact: IncidentImpact | null }>;
}

/** Public pages showing one of `pairs` (service in one of the page's environments), with what they show of it. */
async function pagesShowing(
  db: DbOrTx,
  pairs: { serviceId: string; environmentId: string; impact: IncidentImpact | null }[],
): Promise<PageHit[]> {
  if (pairs.length === 0) return [];
  const rows = await db
    .select({
      id: s.statusPages.id,
      slug: s.statusPages.slug,
      title: s.statusPages.title,
      mailIntegrationId: s.statusPages.mailIntegrationId,
      serviceId: s.statusPageComponents.serviceId,
      name: s.services.name,
      environmentId: s.statusPageEnvironments.environmentId,
    })
    .from(s.statusPageComponents)
    .innerJoin(s.statusPages, eq(s.statusPages.id, s.statusPageComponents.pageId))
    .innerJoin(s.statusPageEnvironments, eq(s.statusPageEnvironments.pageId, s.statusPages.id))
    .innerJoin(s.services, eq(s.services.id, s.statusPageComponents.serviceId))
    .where(
      and(
        eq(s.statusPages.visibility, 'public'),
        inArray(s.statusPageComponents.serviceId, [...new Set(pairs.map((p) => p.serviceId))]),
        inArray(s.statusPageEnvironments.environmentId, [...new Set(pairs.map((p) => p.environmentId))]),
      ),
    );
  const hits = new Map<string, PageHit>();
  for (const r of rows) {
    const matching = pairs.filter((p) => p.serviceId === r.serviceId && p.environmentId === r.environmentId);
    if (matching.length === 0) continue;
    const hit = hits.get(r.id) ?? {
      page: { id: r.id, slug: r.slug, title: r.title, mailIntegrationId: r.mailIntegrationId },
      services: new Map(),
    };
    hits.set(r.id, hit);
    for (const m of matching) {
      const had = hit.services.get(r.serviceId);
      const impact =
        had?.impact && m.impact ? worse(had.impact, m.impact) : (m.impact ?? had?.impact ?? null);
      hit.services.set(r.serviceId, { name: r.name, impact });
    }
  }
  return [...hits.values()];
}

/** One entry per confirmed subscriber of each page whose choice includes an affected service. */
async function entriesFor(
  db: DbOrTx,
  hits: PageHit[],
  noticeKey: string,
  nowMs: number,
  payloadOf: (hit: PageHit) => Omit<StatusNotice, 'idempotencyKey'>,
): Promise<NoticeEntry[]> {
  if (hits.length === 0) return [];
  const [subscribers, mails] = await Promise.all([
    db
      .select({
        id: s.statusPageSubscribers.id,
        pageId: s.statusPageSubscribers.pageId,
        kind: s.statusPageSubscribers.kind,
        secretsEnc: s.statusPageSubscribers.secretsEnc,
        serviceIds: s.statusPageSubscribers.serviceIds,
      })
      .from(s.statusPageSubscribers)
      .where(
        and(
          inArray(
            s.statusPageSubscribers.pageId,
            hits.map((h) => h.page.id),
          ),
          eq(s.statusPageSubscribers.state, 'confirmed'),
        ),
      ),
    mailEndpoints(db, hits),
  ]);
  const byPage = new Map(hits.map((h) => [h.page.id, h]));
  const entries: NoticeEntry[] = [];
  for (const sub of subscribers) {
    const hit = byPage.get(sub.pageId)!;
    if (sub.serviceIds.length > 0 && !sub.serviceIds.some((id) => hit.services.has(id))) continue;
    const endpoint = sub.kind === 'email' ? mails.get(sub.pageId) : webhookEndpoint(sub.id, sub.secretsEnc);
    // A page without mail has no way to reach its email subscribers; nothing to enqueue for them.
    if (!endpoint) continue;
    const idempotencyKey = noticeIdempotencyKey(noticeKey, sub.id);
    entries.push({
      idempotencyKey,
      pageId: sub.pageId,
      noticeKey,
      subscriberId: sub.id,
      payload: { ...payloadOf(hit), idempotencyKey },
      endpoint,
      createdAt: nowMs,
    });
  }
  return entries;
}

/** The breaker key of each page's mail integration (`smtp://host:port`). */
async function mailEndpoints(db: DbOrTx, hits: PageHit[]): Promise<Map<string, string>> {
  const ids = hits.flatMap((h) => (h.page.mailIntegrationId ? [h.page.mailIntegrationId] : []));
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: s.receiverIntegrations.id, settings: s.receiverIntegrations.settings })
    .from(s.receiverIntegrations)
    .where(inArray(s.receiverIntegrations.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r.settings]));
  const out = new Map<string, string>();
  for (const h of hits) {
    const settings = h.page.mailIntegrationId ? byId.get(h.page.mailIntegrationId) : undefined;
    if (settings?.kind === 'email')
      out.set(
        h.page.id,
        endpointOf({ id: h.page.id, kind: 'email', settings, secrets: {}, sendResolved: true }),
      );
  }
  return out;
}

/** A webhook subscriber's breaker key: its URL's origin (the URL itself may carry a token). */
export function webhookEndpoint(id: string, sealed: string | null): string {
  try {
    return new URL(secretBox().open(sealed ?? '', subscriberBinding(id))).origin;
  } catch {
    return `invalid:subscriber:${id}`;
  }
}

/** The incident change a notice is about; `update` only when it is public. */
export interface IncidentNoticeInput {
  event: Extract<NoticeEvent, `incident.${string}`>;
  incident: { id: string; title: string; status: IncidentStatus; startedAt: Date; resolvedAt: Date | null };
  update: { id: string; status: IncidentStatus; body: string; visibility: string; createdAt: Date } | null;
  nowMs: number;
}

/** Enqueues an incident notice in the caller's transaction; returns the rows added. */
export async function enqueueIncidentNotice(tx: DbOrTx, n: IncidentNoticeInput): Promise<number> {
  const impacts = await tx
    .select({
      serviceId: s.incidentImpacts.serviceId,
      environmentId: s.incidentImpacts.environmentId,
      impact: s.incidentImpacts.impact,
    })
    .from(s.incidentImpacts)
    .where(eq(s.incidentImpacts.incidentId, n.incident.id));
  const hits = await pagesShowing(tx, impacts);
  const update = n.update?.visibility === 'public' ? n.update : null;
  const noticeKey = `incident:${n.incident.id}:${n.event}:${n.update?.id ?? 'none'}`;
  const entries = await entriesFor(tx, hits, noticeKey, n.nowMs, (hit) => ({
    type: 'status_notice',
    event: n.event,
    page: { id: hit.page.id, slug: hit.page.slug, title: hit.page.title },
    at: new Date(n.nowMs).toISOString(),
    incident: {
      id: n.incident.id,
      title: n.incident.title,
      status: n.incident.status,
      components: [...hit.services.values()].map((c) => ({ name: c.name, impact: c.impact! })),
      update: update
        ? { status: update.status, body: update.body, at: update.createdAt.toISOString() }
        : null,
      startedAt: n.incident.startedAt.toISOString(),
      resolvedAt: n.incident.resolvedAt?.toISOString() ?? null,
    } satisfies NoticeIncident,
  }));
  return enqueueNotices(tx, entries);
}

const MINUTE = 60_000;

/** Which notice an occurrence is due at `nowMs`, if any (each has its own window, so a late tick still sends it). */
function dueEvent(start: number, end: number, announceMs: number, nowMs: number): NoticeEvent | null {
  if (nowMs >= end)
    return nowMs < end + SUBSCRIBER_LIMITS.completedLookbackMinutes * MINUTE ? 'maintenance.completed' : null;
  if (nowMs >= start) return 'maintenance.started';
  return announceMs > 0 && nowMs >= start - announceMs ? 'maintenance.scheduled' : null;
}

/**
 * The maintenance tick: enqueues every scheduled / started / completed notice due at `nowMs`. Safe to run on every
 * instance at once (the idempotency key holds maintenance, occurrence start, event and subscriber).
 */
export async function enqueueMaintenanceNotices(db: DbOrTx, nowMs: number): Promise<number> {
  const now = new Date(nowMs);
  const lookback = SUBSCRIBER_LIMITS.completedLookbackMinutes * MINUTE;
  const windows = await db
    .select()
    .from(s.maintenances)
    .where(
      and(
        isNull(s.maintenances.cancelledAt),
        gte(s.maintenances.seriesEndsAt, new Date(nowMs - lookback)),
        lte(s.maintenances.startsAt, new Date(nowMs + MAINTENANCE_LIMITS.announceAheadMinutes.max * MINUTE)),
      ),
    );
  let added = 0;
  for (const w of windows) {
    const announceMs = w.announceAheadMinutes * MINUTE;
    const due = occurrencesBetween(w, new Date(nowMs - lookback), new Date(nowMs + announceMs + 1))
      .map((o) => ({ o, event: dueEvent(o.start.getTime(), o.end.getTime(), announceMs, nowMs) }))
      .filter((d) => d.event !== null);
    if (due.length === 0) continue;
    const targets = await db
      .select({
        serviceId: s.maintenanceTargets.serviceId,
        environmentId: s.maintenanceTargets.environmentId,
      })
      .from(s.maintenanceTargets)
      .where(eq(s.maintenanceTargets.maintenanceId, w.id));
    const hits = await pagesShowing(
      db,
      targets.map((t) => ({ ...t, impact: null })),
    );
    for (const { o, event } of due) {
      const noticeKey = `maintenance:${w.id}:${o.start.toISOString()}:${event}`;
      const entries = await entriesFor(db, hits, noticeKey, nowMs, (hit) => ({
        type: 'status_notice',
        event: event!,
        page: { id: hit.page.id, slug: hit.page.slug, title: hit.page.title },
        at: now.toISOString(),
        maintenance: {
          id: w.id,
          title: w.title,
          description: w.description,
          startsAt: o.start.toISOString(),
          endsAt: o.end.toISOString(),
          components: [...hit.services.values()].map((c) => c.name),
        } satisfies NoticeMaintenance,
      }));
      added += await enqueueNotices(db, entries);
    }
  }
  return added;
}
