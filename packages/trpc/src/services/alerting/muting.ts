/**
 * What mutes stored alerts at `now`, read from the tables: the one place the Alerts page, an alert's detail,
 * `GET /api/v2/alerts` and the silence form's preview ask. The decisions are suppression.ts's and silences.ts's.
 */
import { and, type DbOrTx, desc, ne, or, schema, sql } from '@sextant/db';
import type { SQL } from 'drizzle-orm';
import type { SilencePreviewInput } from '../../schemas/alerting-matchers';
import { compileInhibitionRules } from './inhibition';
import { enabledInhibitionRules } from './inhibition-store';
import type { Labels } from './matchers';
import { activeSilences } from './silence-store';
import { compileSilences, previewSilence } from './silences';
import { firingAt, stateAt } from './state-at';
import { suppressions } from './suppression';

const i = schema.alertInstances;

/**
 * Most inhibition sources one call reads. Only firing alerts agreeing with a listed target on its rule's `equal`
 * labels and `=` source matchers are read, so this takes thousands of such sources; a target whose only sources
 * lie past it would read as not inhibited.
 */
export const INHIBITION_SOURCE_LIMIT = 10_000;

/** A firing alert that inhibits another, as callers link to it. */
export interface MuteSource {
  id: string;
  fingerprint: string;
  ruleId: string | null;
  alertname: string | null;
}

export interface AlertMutes {
  /** Ids of the active silences matching the alert. */
  silencedBy: string[];
  /** The inhibition rule and the firing source alert muting it, one per rule. */
  inhibitedBy: { ruleId: string; sourceId: string; source: MuteSource }[];
}

type CompiledRules = ReturnType<typeof compileInhibitionRules>;

/** The `equal` values of a label set, as inhibition.ts compares them (missing equals ""). */
const equalValues = (labels: Labels, names: readonly string[]) =>
  names.map((n) => (Object.hasOwn(labels, n) ? labels[n]! : ''));

const labelOf = (name: string) => sql`coalesce(${i.labels}->>${name}, '')`;

/**
 * Every alert firing at `now` that could inhibit one of `targets`, narrowed in SQL to those agreeing with a
 * target of the same rule on its `equal` labels and matching the rule's `=` source matchers (the other matchers
 * are checked by inhibition.ts). Ordered by id, so the source reported does not depend on the page listed.
 */
function firingSources(db: DbOrTx, rules: CompiledRules, targets: readonly { labels: Labels }[], now: Date) {
  const clauses: SQL[] = [];
  for (const { rule, target } of rules) {
    const keys = targets
      .filter((a) => target.matches(a.labels))
      .map((a) => equalValues(a.labels, rule.equal));
    if (keys.length === 0) continue;
    const equal =
      rule.equal.length === 0
        ? undefined
        : sql`jsonb_build_array(${sql.join(rule.equal.map(labelOf), sql`, `)}) in (select jsonb_array_elements(${JSON.stringify(keys)}::jsonb))`;
    const exact = rule.sourceMatchers
      .filter((m) => m.op === '=')
      .map((m) => sql`${labelOf(m.label)} = ${m.value}`);
    clauses.push(and(equal, ...exact) ?? sql`true`);
  }
  if (clauses.length === 0) return Promise.resolve([]);
  return db
    .select({ id: i.id, fingerprint: i.fingerprint, ruleId: i.ruleId, labels: i.labels })
    .from(i)
    .where(and(firingAt(now), or(...clauses)))
    .orderBy(i.id)
    .limit(INHIBITION_SOURCE_LIMIT);
}

/**
 * Which silences and inhibition rules mute each of `alerts` at `now`, keyed by instance id (a fingerprint repeats
 * across rules and external alerts); alerts muted by nothing are absent. Active silences and enabled rules are
 * loaded once; inhibition sources are every alert firing at `now` (rule or external), listed or not, and an alert
 * matching both sides of a rule is never inhibited by one that does too (spec A6, B20–B21).
 */
export async function mutesFor(
  db: DbOrTx,
  alerts: readonly { id: string; labels: Labels }[],
  now: Date,
): Promise<Map<string, AlertMutes>> {
  if (alerts.length === 0) return new Map();
  const [silences, rules] = await Promise.all([activeSilences(db, now), enabledInhibitionRules(db)]);
  const compiled = compileInhibitionRules(rules);
  const sources = await firingSources(db, compiled, alerts, now);
  const sourceById = new Map(sources.map((s) => [s.id, s]));
  const input = [
    ...sources.map((s) => ({ id: s.id, labels: s.labels, firing: true })),
    ...alerts
      .filter((a) => !sourceById.has(a.id))
      .map((a) => ({ id: a.id, labels: a.labels, firing: false })),
  ];
  const found = suppressions(input, compileSilences(silences), compiled, now);
  const result = new Map<string, AlertMutes>();
  for (const { id } of alerts) {
    const s = found.get(id);
    if (!s) continue;
    const inhibitedBy = s.inhibitedBy.map(({ ruleId, sourceId }) => {
      const { fingerprint, ruleId: sourceRuleId, labels } = sourceById.get(sourceId)!;
      const source = { id: sourceId, fingerprint, ruleId: sourceRuleId, alertname: labels.alertname ?? null };
      return { ruleId, sourceId, source };
    });
    result.set(id, { silencedBy: s.silencedBy, inhibitedBy });
  }
  return result;
}

/** Most alerts a preview lists; `count` still says how many match. */
const PREVIEW_LIMIT = 200;
/** A draft without an end yet previews as if it lasted: only its start decides the state it would begin in. */
const OPEN_END = new Date(8_640_000_000_000_000);

/** "Preview before saving": the alerts not resolved at `now` that the draft's matchers would mute. */
export async function previewSilenceAlerts(db: DbOrTx, draft: SilencePreviewInput, now: Date) {
  const state = stateAt(now);
  const rows = await db
    .select({
      id: i.id,
      fingerprint: i.fingerprint,
      source: i.source,
      labels: i.labels,
      state,
      activeAt: i.activeAt,
    })
    .from(i)
    .where(ne(state, 'resolved'))
    .orderBy(desc(i.activeAt), i.id);
  const preview = previewSilence({ ...draft, endsAt: draft.endsAt ?? OPEN_END }, rows, now);
  return { state: preview.state, count: preview.muted.length, alerts: preview.muted.slice(0, PREVIEW_LIMIT) };
}
