/**
 * What mutes stored alerts, read from the tables: the Alerts page, `GET /api/v2/alerts` and the silence form's
 * preview call these; the decisions are suppression.ts's and silences.ts's.
 */
import { type AlertState, type DbOrTx, desc, ne, schema } from '@sextant/db';
import type { SilencePreviewInput } from '../../schemas/alerting-matchers';
import type { Inhibition } from './inhibition';
import { compileInhibitionRules } from './inhibition';
import { enabledInhibitionRules } from './inhibition-store';
import type { Labels } from './matchers';
import { activeSilences } from './silence-store';
import { compileSilences, previewSilence } from './silences';
import { suppressions } from './suppression';

/** Alerts the notifier counts as firing, so as inhibition sources (pending ones never reach it). */
const FIRING: ReadonlySet<AlertState> = new Set(['firing', 'recovering']);

export interface AlertMutes {
  /** Ids of the active silences matching the alert. */
  silencedBy: string[];
  /** The inhibition rule and the firing source alert (by fingerprint) muting it, one per rule. */
  inhibitedBy: Inhibition[];
}

/**
 * Which silences and inhibition rules mute each alert at `now`, keyed by fingerprint; alerts muted by nothing are
 * absent. Active silences and enabled rules are loaded once; only firing alerts of `alerts` inhibit, and an alert
 * matching both sides of a rule is never inhibited by one that does too (spec A6, B20–B21).
 */
export async function suppressionFor(
  db: DbOrTx,
  alerts: readonly { fingerprint: string; labels: Labels; state: AlertState }[],
  now: Date,
): Promise<Map<string, AlertMutes>> {
  if (alerts.length === 0) return new Map();
  const [silences, rules] = await Promise.all([activeSilences(db, now), enabledInhibitionRules(db)]);
  const input = alerts.map((a) => ({ id: a.fingerprint, labels: a.labels, firing: FIRING.has(a.state) }));
  return suppressions(input, compileSilences(silences), compileInhibitionRules(rules), now);
}

/** Most alerts a preview lists; `count` still says how many match. */
const PREVIEW_LIMIT = 200;
/** A draft without an end yet previews as if it lasted: only its start decides the state it would begin in. */
const OPEN_END = new Date(8_640_000_000_000_000);

/** "Preview before saving": the current (unresolved) alerts the draft's matchers would mute. */
export async function previewSilenceAlerts(db: DbOrTx, draft: SilencePreviewInput, now: Date) {
  const a = schema.alertInstances;
  const rows = await db
    .select({
      id: a.id,
      fingerprint: a.fingerprint,
      source: a.source,
      labels: a.labels,
      state: a.state,
      activeAt: a.activeAt,
    })
    .from(a)
    .where(ne(a.state, 'resolved'))
    .orderBy(desc(a.activeAt), a.id);
  const { state, muted } = previewSilence({ ...draft, endsAt: draft.endsAt ?? OPEN_END }, rows, now);
  return { state, count: muted.length, alerts: muted.slice(0, PREVIEW_LIMIT) };
}
