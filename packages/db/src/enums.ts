/**
 * The one list of each enumerated value, `as const`, for `pgEnum`, `z.enum` and the console alike. No imports:
 * the console bundles this file (`@sextant/db/enums`), and the schema below it reads these lists.
 */

/** `unknown` until the first confirmed result; `paused` time is excluded from uptime. */
export const MONITOR_STATUSES = ['unknown', 'up', 'degraded', 'down', 'paused'] as const;
export type MonitorStatus = (typeof MONITOR_STATUSES)[number];

export const SERVICE_TIERS = ['critical', 'standard', 'experimental'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

export const CHECK_KINDS = ['http', 'tcp'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const PING_KINDS = ['success', 'start', 'fail'] as const;
export type PingKind = (typeof PING_KINDS)[number];

export const ACTOR_TYPES = ['user', 'api_key', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Metric rollup tiers: per-minute and per-hour summaries of the raw points. */
export const ROLLUP_TIERS = ['1m', '1h'] as const;
export type RollupTier = (typeof ROLLUP_TIERS)[number];

/** Stored metric series kinds; pushes may send gauges and counters, scrapes also histograms. */
export const SERIES_KINDS = ['gauge', 'counter', 'histogram', 'delta_counter'] as const;
export type SeriesKind = (typeof SERIES_KINDS)[number];
/** What `metrics.push` accepts; histograms come only from scrapes. */
export const PUSHED_SERIES_KINDS = [
  'gauge',
  'counter',
  'delta_counter',
] as const satisfies readonly SeriesKind[];

/** The latency and uptime ranges a service page offers. */
export const SERVICE_RANGES = ['1h', '24h', '7d', '30d'] as const;
export type ServiceRange = (typeof SERVICE_RANGES)[number];

/** What an alert rule watches: a check/heartbeat/scrape target's state, a metric expression, or a missing series. */
export const ALERT_RULE_KINDS = ['monitor', 'metric', 'absence'] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/** Alert-instance states (spec A2): Prometheus' pending/firing, Grafana's recovering/nodata/error, and resolved. */
export const ALERT_STATES = ['pending', 'firing', 'recovering', 'nodata', 'error', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Where an alert instance comes from: one of our rules, or `POST /api/v2/alerts` (spec A3). */
export const ALERT_SOURCES = ['rule', 'external'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

/** What a rule does when its query returns nothing (spec A2.11). */
export const NO_DATA_POLICIES = ['Alerting', 'NoData', 'Normal', 'KeepLast'] as const;
/** What a rule does when its query fails (spec A2.11). */
export const ERROR_POLICIES = ['Alerting', 'Error', 'Normal', 'KeepLast'] as const;

/** A rule's last evaluation: `unknown` before the first one. */
export const RULE_HEALTHS = ['unknown', 'ok', 'nodata', 'error'] as const;
export type RuleHealth = (typeof RULE_HEALTHS)[number];

/** Where a receiver's integration sends (spec A8). */
export const INTEGRATION_KINDS = ['webhook', 'slack', 'email', 'pagerduty', 'teams', 'discord'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/**
 * An outbox row's life (spec A9): pending (waiting or leased: `lease_until` says which) until delivered, superseded
 * by a newer row of the same group and integration before it was claimed, or dead (permanent error, or 24 h old).
 */
export const DELIVERY_STATES = ['pending', 'delivered', 'superseded', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** One send attempt's classification (spec A8 "our retry policy"). */
export const ATTEMPT_OUTCOMES = [
  'delivered',
  'retryable',
  'permanent',
  'breaker_open',
  'rate_limited',
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** A per-endpoint circuit breaker's state, shared by every instance through Postgres. */
export const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** Incident severity, most severe first (SEV1 is a full outage of something critical). */
export const INCIDENT_SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/** Incident status in lifecycle order; the legal moves between them live in the incidents service. */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** How badly an incident affects one service in one environment (Statuspage's component states). */
export const INCIDENT_IMPACTS = ['degraded_performance', 'partial_outage', 'major_outage'] as const;
export type IncidentImpact = (typeof INCIDENT_IMPACTS)[number];

/** Who may read an incident update: public ones may reach status pages, internal ones never. */
export const INCIDENT_UPDATE_VISIBILITIES = ['public', 'internal'] as const;
export type IncidentUpdateVisibility = (typeof INCIDENT_UPDATE_VISIBILITIES)[number];

/** Who may read a status page: anyone on the internet, or only signed-in users and API keys. */
export const STATUS_PAGE_VISIBILITIES = ['public', 'private'] as const;
export type StatusPageVisibility = (typeof STATUS_PAGE_VISIBILITIES)[number];

/** How a status page subscriber is told: by mail (double opt-in) or by a webhook an admin adds. */
export const SUBSCRIBER_KINDS = ['email', 'webhook'] as const;
export type SubscriberKind = (typeof SUBSCRIBER_KINDS)[number];

/** A subscriber's life: pending until the confirmation link is followed, then confirmed until unsubscribed. */
export const SUBSCRIBER_STATES = ['pending', 'confirmed', 'unsubscribed'] as const;
export type SubscriberState = (typeof SUBSCRIBER_STATES)[number];

/** A status page component's state (Statuspage's), worst last; incident impacts are a subset. */
export const COMPONENT_STATUSES = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** A deployment's states (release × environment); the legal moves between them live in @sextant/trpc's schemas. */
export const DEPLOYMENT_STATES = ['queued', 'in_progress', 'succeeded', 'failed', 'rolled_back'] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** How an incident ↔ deployment link was made: on the incident's opening, or by a maintainer. */
export const INCIDENT_DEPLOYMENT_LINK_KINDS = ['auto', 'manual'] as const;
export type IncidentDeploymentLinkKind = (typeof INCIDENT_DEPLOYMENT_LINK_KINDS)[number];

/** A work item's states: done and cancelled are closed; cancelled items leave the scope. */
export const WORK_ITEM_STATUSES = ['todo', 'in_progress', 'done', 'cancelled'] as const;
export type WorkItemStatus = (typeof WORK_ITEM_STATUSES)[number];

/** A project's health, computed by the documented rules (or stated in an owner's update). */
export const PROJECT_HEALTHS = ['on_track', 'at_risk', 'off_track'] as const;
export type ProjectHealth = (typeof PROJECT_HEALTHS)[number];
