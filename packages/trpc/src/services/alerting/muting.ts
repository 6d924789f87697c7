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
import { firingAt, stateAt, stillFiringAt } from './state-at';
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
    .select({
      id: i.id,
      fingerprint: i.fingerprint,
      ruleId: i.ruleId,
      labels: i.labels,
      source: i.source,
      endsAt: i.endsAt,
    })
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
  const found = await mutesAt(
    db,
    alerts.map((a) => ({ ...a, at: now })),
  );
  return found.get(now.getTime()) ?? new Map();
}

/**
 * mutesFor for alerts each seen at its own instant (a flush batch's groups tick at different times), with the same
 * reads for all: silences active at any of the instants, the rules, and the sources firing at the earliest (a
 * source firing later fired then too); each instant then keeps its own active silences and firing sources. Keyed by
 * instant (epoch ms), then instance id.
 */
export async function mutesAt(
  db: DbOrTx,
  alerts: readonly { id: string; labels: Labels; at: Date }[],
): Promise<Map<number, Map<string, AlertMutes>>> {
  const result = new Map<number, Map<string, AlertMutes>>();
  if (alerts.length === 0) return result;
  const byAt = new Map<number, (typeof alerts)[number][]>();
  for (const a of alerts) {
    const list = byAt.get(a.at.getTime()) ?? [];
    list.push(a);
    byAt.set(a.at.getTime(), list);
  }
  const times = [...byAt.keys()];
  const [first, last] = [new Date(Math.min(...times)), new Date(Math.max(...times))];
  const [silences, rules] = await Promise.all([activeSilences(db, first, last), enabledInhibitionRules(db)]);
  const compiled = compileInhibitionRules(rules);
  const compiledSilences = compileSilences(silences);
  const everSources = await firingSources(db, compiled, alerts, first);
  for (const [ms, listed] of byAt) {
    const now = new Date(ms);
    const sources = everSources.filter((s) => stillFiringAt(s, now));
    const sourceById = new Map(sources.map((s) => [s.id, s]));
    const input = [
      ...sources.map((s) => ({ id: s.id, labels: s.labels, firing: true })),
      ...listed
        .filter((a) => !sourceById.has(a.id))
        .map((a) => ({ id: a.id, labels: a.labels, firing: false })),
    ];
    const found = suppressions(input, compiledSilences, compiled, now);
    const mutes = new Map<string, AlertMutes>();
    for (const { id } of listed) {
      const s = found.get(id);
      if (!s) continue;
      const inhibitedBy = s.inhibitedBy.map(({ ruleId, sourceId }) => {
        const { fingerprint, ruleId: sourceRuleId, labels } = sourceById.get(sourceId)!;
        const source = {
          id: sourceId,
          fingerprint,
          ruleId: sourceRuleId,
          alertname: labels.alertname ?? null,
        };
        return { ruleId, sourceId, source };
      });
      mutes.set(id, { silencedBy: s.silencedBy, inhibitedBy });
    }
    result.set(ms, mutes);
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
