/**
 * `GET /api/v2/alerts` in Alertmanager v2's shape (api/v2/api.go getAlertsHandler): the external alerts with what
 * mutes them at `now` (muting.ts, as the Alerts page), filtered by AM's query parameters plus our `resolved`.
 */
import type { DbOrTx, Role, Sql } from '@sextant/db';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { AlertMatcher } from '../../schemas/alerting-matchers';
import { type ExternalAlertRow, listExternalAlerts } from './instances';
import { checkMatcherSet, compileMatchers } from './matchers';
import { type AlertMutes, mutesFor } from './muting';

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
export async function getAlertsV2(
  db: DbOrTx,
  sql: Sql,
  query: AlertsQuery,
  now: number,
): Promise<GettableAlert[]> {
  const filter = query.filter.map(parseMatcher);
  checkMatcherSet(filter, ['filter']);
  const matcher = compileMatchers(filter);
  const listed = await listExternalAlerts(sql, {
    now,
    firing: true,
    resolved: query.resolved,
    limit: ALERTS_LIST_LIMIT,
  });
  const alerts = listed.filter((a) => matcher.matches(a.labels));
  // Firing rule alerts inhibit posted ones too: one hub, one view of what is wrong.
  const muted = await mutesFor(db, alerts, new Date(now));
  return alerts
    .map((a) => gettable(a, muted.get(a.id)))
    .filter(
      (g) =>
        (query.active || g.status.state !== 'active') &&
        (query.silenced || g.status.silencedBy.length === 0) &&
        (query.inhibited || g.status.inhibitedBy.length === 0),
    )
    .sort((x, y) => (x.fingerprint < y.fingerprint ? -1 : x.fingerprint > y.fingerprint ? 1 : 0));
}

/** AM reports an inhibited alert's sources by fingerprint. */
function gettable(a: ExternalAlertRow, muted: AlertMutes | undefined): GettableAlert {
  const silencedBy = muted?.silencedBy ?? [];
  const inhibitedBy = [...new Set((muted?.inhibitedBy ?? []).map((i) => i.source.fingerprint))];
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
