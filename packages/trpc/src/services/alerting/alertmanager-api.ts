/**
 * `GET /api/v2/alerts` in Alertmanager v2's shape (api/v2/api.go getAlertsHandler): the external alerts with their
 * suppression at `now`, read from the silences and inhibition rules (read-only) through the pure silences.ts and
 * inhibition.ts, filtered by AM's query parameters plus our `resolved`.
 */
import type { Role, Sql } from '@sextant/db';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { AlertMatcher } from '../../schemas/alerting-matchers';
import { compileInhibitionRules, type InhibitionRule } from './inhibition';
import { type ExternalAlertRow, listExternalAlerts } from './instances';
import { checkMatcherSet, compileMatchers } from './matchers';
import { compileSilences, type Silence } from './silences';
import { type Suppression, suppressions } from './suppression';

/** Who may post alerts (the metrics ingest's bar); any API key may list them. */
export const ALERTS_RECEIVE_ROLE: Role = 'maintainer';

/** Most alerts one GET answers, newest first (AM has no bound; a hub should). */
export const ALERTS_LIST_LIMIT = 10_000;

/** AM's `filter` matcher syntax: name, operator, quoted (or bare) value; braces allowed around it. */
const MATCHER =
  /^\s*\{?\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"{}]*?))\s*\}?\s*$/;

function parseMatcher(text: string, i: number): AlertMatcher {
  const m = MATCHER.exec(text);
  let value: string | undefined;
  try {
    value = m?.[3] !== undefined ? (JSON.parse(`"${m[3]}"`) as string) : m?.[4];
  } catch {
    value = undefined;
  }
  if (!m || value === undefined)
    throw new AppError('VALIDATION_FAILED', `filter "${text}" is not a matcher like name="value".`, [
      'filter',
      i,
    ]);
  return { label: m[1]!, op: m[2] as AlertMatcher['op'], value };
}

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'], { message: 'Use true or false.' })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true'));

/** AM v2's GET /alerts parameters; `resolved` (default false, as AM never lists resolved alerts) is ours. */
export const alertsQuerySchema = z.object({
  active: flag(true),
  silenced: flag(true),
  inhibited: flag(true),
  unprocessed: flag(true),
  resolved: flag(false),
  filter: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : [v].flat())),
  receiver: z.string().optional(),
});

export type AlertsQuery = z.output<typeof alertsQuerySchema>;

/** AM's gettableAlert. `receivers` stays empty until routing exists (next issue). */
export interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL?: string;
  fingerprint: string;
  receivers: { name: string }[];
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The answer of GET /api/v2/alerts at `now`, sorted by fingerprint as AM does. Throws a VALIDATION_FAILED AppError on a bad filter. */
export async function getAlertsV2(sql: Sql, query: AlertsQuery, now: number): Promise<GettableAlert[]> {
  const filter = query.filter.map(parseMatcher);
  checkMatcherSet(filter, ['filter']);
  const matcher = compileMatchers(filter);
  const [alerts, silences, rules, ruleAlerts] = await Promise.all([
    listExternalAlerts(sql, { now, firing: true, resolved: query.resolved, limit: ALERTS_LIST_LIMIT }),
    sql<
      Silence[]
    >`select id, matchers, starts_at as "startsAt", ends_at as "endsAt", created_by as "createdBy",
                   comment from silences where ends_at > ${new Date(now)}`,
    sql<InhibitionRule[]>`select id, source_matchers as "sourceMatchers", target_matchers as "targetMatchers",
                          equal from inhibition_rules where enabled`,
    // Firing rule alerts inhibit posted ones too: one hub, one view of what is wrong.
    sql<{ id: string; fingerprint: string; labels: Record<string, string> }[]>`
      select id, fingerprint, labels from alert_instances where source = 'rule' and state in ('firing', 'recovering')`,
  ]);
  const nowDate = new Date(now);
  const all = [
    ...alerts.map((a) => ({ id: a.id, labels: a.labels, firing: a.state === 'firing' })),
    ...ruleAlerts.map((a) => ({ id: a.id, labels: a.labels, firing: true })),
  ];
  const fingerprintOf = new Map([...alerts, ...ruleAlerts].map((a) => [a.id, a.fingerprint]));
  const muted = suppressions(all, compileSilences(silences), compileInhibitionRules(rules), nowDate);
  return alerts
    .filter((a) => matcher.matches(a.labels))
    .map((a) => gettable(a, muted.get(a.id), fingerprintOf))
    .filter(
      (g) =>
        (query.active || g.status.state !== 'active') &&
        (query.silenced || g.status.silencedBy.length === 0) &&
        (query.inhibited || g.status.inhibitedBy.length === 0),
    )
    .sort((x, y) => (x.fingerprint < y.fingerprint ? -1 : x.fingerprint > y.fingerprint ? 1 : 0));
}

function gettable(
  a: ExternalAlertRow,
  muted: Suppression | undefined,
  fingerprintOf: Map<string, string>,
): GettableAlert {
  const silencedBy = muted?.silencedBy ?? [];
  const inhibitedBy = [...new Set((muted?.inhibitedBy ?? []).map((i) => fingerprintOf.get(i.sourceId)!))];
  return {
    labels: a.labels,
    annotations: a.annotations,
    startsAt: iso(a.startsAt),
    endsAt: iso(a.endsAt),
    updatedAt: iso(a.updatedAt),
    ...(a.generatorUrl ? { generatorURL: a.generatorUrl } : {}),
    fingerprint: a.fingerprint,
    receivers: [],
    status: {
      state: silencedBy.length + inhibitedBy.length > 0 ? 'suppressed' : 'active',
      silencedBy,
      inhibitedBy,
    },
  };
}
