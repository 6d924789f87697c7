import type { AlertState } from '@sextant/db/enums';

/** Badge tone per alert state: firing is the emergency, pending and data problems are warnings. */
export const ALERT_STATE_TONE = {
  firing: 'danger',
  recovering: 'warning',
  pending: 'warning',
  error: 'danger',
  nodata: 'neutral',
  resolved: 'success',
} as const satisfies Record<AlertState, string>;

/**
 * Where alerting's pages live, in one place: the rule, silence and inhibition pages are other parts of the
 * console, and their routes are named here only.
 */
export const alertHref = (a: { fingerprint: string; ruleId?: string | null }) =>
  `/alerts/${a.fingerprint}${a.ruleId ? `?rule=${encodeURIComponent(a.ruleId)}` : ''}`;
export const ruleHref = (id: string) => `/alerts/rules/${encodeURIComponent(id)}`;
/** A silence's row in the list of every state (viewers read it there; only maintainers may edit it). */
export const silenceHref = (id: string) => `/silences?state=all#${silenceAnchor(id)}`;
export const silenceAnchor = (id: string) => `silence-${id}`;
export const inhibitionRuleHref = (id: string) => `/inhibition#${inhibitionRuleAnchor(id)}`;
export const inhibitionRuleAnchor = (id: string) => `inhibition-rule-${id}`;
