import { matchersFromLabels } from '@sextant/trpc/schemas';
import type { RouterInputs } from './router-types';

export type AlertMatcher = RouterInputs['silences']['create']['matchers'][number];

export const MATCHER_OPS = ['=', '!=', '=~', '!~'] as const;

/** `label=value`, `label!=value`, `label=~regex`, `label!~regex`: the text of a matcher, as Alertmanager writes it. */
export const matcherText = (m: AlertMatcher) => `${m.label}${m.op}${m.value}`;

/** The matcher a `matcherText` wrote; null when the text has no label and operator. */
export function parseMatcher(text: string): AlertMatcher | null {
  const found = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)(.*)$/s.exec(text);
  if (!found) return null;
  return { label: found[1]!, op: found[2] as AlertMatcher['op'], value: found[3]! };
}

/**
 * The new-silence form prefilled with these matchers: `/silences/new?matcher=alertname%3DHighErrors&matcher=…`,
 * one `matcher` parameter per matcher in `matcherText` form. The Alerts page's "Silence this alert" links here.
 */
export function newSilenceHref(matchers: readonly AlertMatcher[]): string {
  const search = new URLSearchParams(matchers.map((m) => ['matcher', matcherText(m)]));
  return matchers.length > 0 ? `/silences/new?${search}` : '/silences/new';
}

/** "Silence this alert": the alert's non-empty labels as `=` matchers, the same as the API builds them. */
export const silenceHrefForLabels = (labels: Readonly<Record<string, string>>) =>
  newSilenceHref(matchersFromLabels(labels));
