/**
 * What the notification tables' jsonb columns hold. Types only: the zod schemas that validate them live with the
 * other inputs in `@sextant/trpc` (schemas/notify.ts), which the console bundles.
 */
import type { ConditionMatcher } from './alert-condition';
import type { IncidentSeverity } from './enums';

/**
 * One node of the routing tree (spec A4). Unset (undefined) fields inherit from the parent; the root sets them all.
 * `id` is stable across edits, so a reload keeps the groups of unchanged routes (spec A5 "our rule").
 */
export interface RouteNode {
  id: string;
  /** Root: none. AND within the list; a missing label reads as "". */
  matchers: ConditionMatcher[];
  continue: boolean;
  receiverId?: string;
  /** Label names; ['...'] groups by every label; [] puts all alerts of the route in one group. */
  groupBy?: string[];
  groupWaitSeconds?: number;
  groupIntervalSeconds?: number;
  repeatIntervalSeconds?: number;
  /** Names of time_intervals. Our rule: inherited unless set on the node (AM does not inherit them). */
  muteTimeIntervals?: string[];
  activeTimeIntervals?: string[];
  /** Open (or join) an incident from each firing group of the route; null turns it off. Root unset: off. */
  incident?: RouteIncident | null;
  children: RouteNode[];
}

/** The incident a route's alert groups open: its severity (issue 15, Alerting II). */
export interface RouteIncident {
  severity: IncidentSeverity;
}

/** One spec of a named time interval (spec A6 "Time intervals"); an omitted field matches everything. */
export interface TimeIntervalSpec {
  /** [start, end) as "HH:MM" in `location`; end may be "24:00". */
  times?: { start: string; end: string }[];
  /** "monday" or "monday:friday", inclusive. */
  weekdays?: string[];
  /** "1", "1:5", "-1" (last day), negative counts from the month's end, inclusive. */
  daysOfMonth?: string[];
  /** "january", "1", "january:march", inclusive. */
  months?: string[];
  /** "2026", "2026:2027", inclusive. */
  years?: string[];
  /** IANA zone; UTC when absent. */
  location?: string;
}

/** The non-secret settings of an integration, per kind; secrets live encrypted in `secrets_enc`. */
export interface WebhookSettings {
  /** Userinfo and credential query parameters masked (SECRET_MASK); the whole URL is then the secret `url`. */
  url: string;
  /** Alerts per message, the rest counted in truncatedAlerts; 0 = all. */
  maxAlerts: number;
  timeoutMs: number;
}
export interface SlackSettings {
  channel?: string;
  username?: string;
  timeoutMs: number;
}
export interface EmailSettings {
  to: string[];
  from: string;
  smarthost: { host: string; port: number };
  /** STARTTLS required (true), opportunistic (false); implicit TLS on 465. */
  requireTls: boolean;
  username?: string;
  timeoutMs: number;
}
export interface PagerDutySettings {
  /** Events v2 endpoint; the documented one unless a proxy stands in. */
  url: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  /** "group": SHA-256 of the group key (AM-compatible); "alert": one incident per alert (spec A10 our rule). */
  dedupBy: 'group' | 'alert';
  timeoutMs: number;
}
export interface ChatWebhookSettings {
  timeoutMs: number;
}
export type IntegrationSettings =
  | ({ kind: 'webhook' } & WebhookSettings)
  | ({ kind: 'slack' } & SlackSettings)
  | ({ kind: 'email' } & EmailSettings)
  | ({ kind: 'pagerduty' } & PagerDutySettings)
  | ({ kind: 'teams' } & ChatWebhookSettings)
  | ({ kind: 'discord' } & ChatWebhookSettings);

/** Why an alert was left out of a tick's batch (spec A6), as the Notifications page shows it. */
export interface SuppressedAlert {
  fingerprint: string;
  labels: Record<string, string>;
  silencedBy: string[];
  inhibitedBy: { ruleId: string; sourceFingerprint: string }[];
  /** Time intervals that muted the tick, or "inactive:<name…>" when no active interval held. */
  mutedBy: string[];
  /** Maintenance windows covering the alert's service × environment at the tick; absent in older records. */
  maintenanceBy?: string[];
}

/** One integration's decision at a tick (spec A7), recorded for "why (not) notified". */
export interface IntegrationDecision {
  integrationId: string;
  kind: IntegrationSettings['kind'];
  notify: boolean;
  /** first notification | new alerts added | all alerts resolved | some alerts resolved | repeat interval elapsed
   * | nothing new | only resolved | muted | log updated silently */
  reason: string;
  sequence: number | null;
  outboxId: string | null;
}

/** One alert of a linked group as the incident last saw it (by fingerprint; `/alerts/<fingerprint>` shows it). */
export interface LinkedAlert {
  fingerprint: string;
  alertname: string | null;
  resolved: boolean;
}
