/**
 * Inhibition (spec A6, B20-B21; AM inhibit/inhibit.go): a target is muted while a firing source of the same rule
 * agrees with it on every `equal` label. Pure: the caller passes the alerts it knows at the tick.
 */
import type { AlertMatcher } from '../../schemas/alerting-matchers';
import { type CompiledMatchers, checkMatcherSet, compileMatchers, type Labels } from './matchers';

export interface InhibitionRule {
  id: string;
  sourceMatchers: AlertMatcher[];
  targetMatchers: AlertMatcher[];
  equal: string[];
}

/**
 * What inhibition needs of an alert. `firing`: sent to AM and not resolved at the tick (a rule alert firing or
 * within keep_firing_for; an ingested one before its endsAt). Pending alerts never reach AM, so never inhibit.
 */
export interface InhibitionAlert {
  id: string;
  labels: Labels;
  firing: boolean;
}

/** Why an alert is inhibited: the rule and the first source (in input order) that does it. */
export interface Inhibition {
  ruleId: string;
  sourceId: string;
}

interface CompiledRule {
  rule: InhibitionRule;
  source: CompiledMatchers;
  target: CompiledMatchers;
}

/** A missing label equals "" here, as in AM, so two alerts both lacking every `equal` label agree. */
const equalKey = (labels: Labels, names: readonly string[]) =>
  JSON.stringify(names.map((n) => (Object.hasOwn(labels, n) ? labels[n] : '')));

/** Refuses invalid or too costly regexes on either side, naming the side; the schema bounds the rest. */
export function validateInhibitionRule(
  rule: Pick<InhibitionRule, 'sourceMatchers' | 'targetMatchers'>,
): void {
  checkMatcherSet(rule.sourceMatchers, ['sourceMatchers']);
  checkMatcherSet(rule.targetMatchers, ['targetMatchers']);
}

/** Compiles rules once; the result decides for any alert list (one tick's) in O(rules × alerts). */
export function compileInhibitionRules(rules: readonly InhibitionRule[]): CompiledRule[] {
  return rules.map((rule) => ({
    rule,
    source: compileMatchers(rule.sourceMatchers),
    target: compileMatchers(rule.targetMatchers),
  }));
}

/**
 * For each inhibited alert id, the rules and sources inhibiting it. Self-protection (AM): when the target also
 * matches the source side, only sources that do not match the target side count, so an alert never inhibits
 * itself and two alerts matching both sides never inhibit each other. Silenced or inhibited sources still inhibit,
 * as in AM (its source cache is filled on ingest without a mute check).
 */
export function inhibitions(
  rules: readonly CompiledRule[],
  alerts: readonly InhibitionAlert[],
): Map<string, Inhibition[]> {
  const result = new Map<string, Inhibition[]>();
  for (const { rule, source, target } of rules) {
    // Firing sources by their `equal` values; `twoSided` marks those that also match the target side.
    const sources = new Map<string, { id: string; twoSided: boolean }[]>();
    for (const a of alerts) {
      if (!a.firing || !source.matches(a.labels)) continue;
      const key = equalKey(a.labels, rule.equal);
      const list = sources.get(key) ?? [];
      list.push({ id: a.id, twoSided: target.matches(a.labels) });
      sources.set(key, list);
    }
    if (sources.size === 0) continue;
    for (const a of alerts) {
      if (!target.matches(a.labels)) continue;
      const candidates = sources.get(equalKey(a.labels, rule.equal)) ?? [];
      const excludeTwoSided = source.matches(a.labels);
      const by = candidates.find((s) => !(excludeTwoSided && s.twoSided));
      if (!by) continue;
      const list = result.get(a.id) ?? [];
      list.push({ ruleId: rule.id, sourceId: by.id });
      result.set(a.id, list);
    }
  }
  return result;
}
