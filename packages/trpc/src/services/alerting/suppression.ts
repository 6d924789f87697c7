/**
 * Why an alert is muted at a tick (spec A6 order: inhibition, then silences), for the Alerts page's
 * "silenced/inhibited and by what" and for the notification pipeline's filter.
 */
import {
  type compileInhibitionRules,
  type Inhibition,
  type InhibitionAlert,
  inhibitions,
} from './inhibition';
import { type CompiledSilence, silencedBy } from './silences';

export interface Suppression {
  inhibitedBy: Inhibition[];
  silencedBy: string[];
}

/**
 * Suppression of every alert at `now`; alerts absent from the map are not muted. Sources are taken from all
 * alerts, silenced or not: AM does so, and we keep it (a silenced outage still hides its symptoms).
 */
export function suppressions(
  alerts: readonly InhibitionAlert[],
  silences: readonly CompiledSilence[],
  rules: ReturnType<typeof compileInhibitionRules>,
  now: Date,
): Map<string, Suppression> {
  const inhibited = inhibitions(rules, alerts);
  const result = new Map<string, Suppression>();
  for (const a of alerts) {
    const s = { inhibitedBy: inhibited.get(a.id) ?? [], silencedBy: silencedBy(silences, a.labels, now) };
    if (s.inhibitedBy.length > 0 || s.silencedBy.length > 0) result.set(a.id, s);
  }
  return result;
}
