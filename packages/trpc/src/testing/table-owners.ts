/**
 * Which module writes each table (insert, update, delete, copy): every write of a table happens in its owner, and
 * other modules call the owner's functions. The guard test (packages/trpc/test/table-owners.test.ts) reads the
 * source tree against this map; ARCHITECTURE.md lists it. Migrations and tests are exempt.
 */
export interface TableOwner {
  /** The one module (path from the repository root) whose code writes the table. */
  owner: string;
  /** packages/db/src/seed.ts also writes the table, once, when it seeds an empty database. */
  seeded?: true;
  /** Written by a library the owner configures (next-auth's adapter), so no write shows in our code. */
  viaLibrary?: true;
}

const SERVICES = 'packages/trpc/src/services';
const IDENTITY = 'packages/db/src/identity';

export const SEED_MODULE = 'packages/db/src/seed.ts';

export const TABLE_OWNERS: Record<string, TableOwner> = {
  // Audit: the console's sign-in (next-auth, no tRPC) audits too, so the one writer lives in @sextant/db.
  audit_log: { owner: 'packages/db/src/audit.ts', seeded: true },
  app_meta: { owner: SEED_MODULE },

  // Identity: the console's sign-in writes these without the tRPC layer, so their owners live in @sextant/db.
  users: { owner: `${IDENTITY}/users.ts`, seeded: true },
  auth_sessions: { owner: `${IDENTITY}/sessions.ts` },
  api_keys: { owner: `${IDENTITY}/api-keys.ts` },
  rate_limits: { owner: `${IDENTITY}/rate-limit.ts` },
  sign_in_throttle: { owner: `${IDENTITY}/sign-in-throttle.ts` },
  accounts: { owner: 'apps/web/src/auth/config.ts', viaLibrary: true },
  verification_tokens: { owner: 'apps/web/src/auth/config.ts', viaLibrary: true },

  // Services, environments, settings and discovery.
  environments: { owner: `${SERVICES}/environments.ts`, seeded: true },
  services: { owner: `${SERVICES}/services.ts`, seeded: true },
  settings: { owner: `${SERVICES}/settings.ts`, seeded: true },
  instances: { owner: `${SERVICES}/discovery.ts` },

  // Monitoring: state transitions, results, rollups and retention.
  checks: { owner: `${SERVICES}/checks.ts`, seeded: true },
  check_results: { owner: `${SERVICES}/check-results.ts` },
  check_rollups_hourly: { owner: `${SERVICES}/check-results.ts` },
  heartbeats: { owner: `${SERVICES}/heartbeats.ts` },
  heartbeat_pings: { owner: `${SERVICES}/heartbeats.ts` },
  monitor_events: { owner: `${SERVICES}/monitor-events.ts` },

  // Metrics.
  scrape_targets: { owner: `${SERVICES}/scrape-targets.ts` },
  metric_series: { owner: `${SERVICES}/metrics/ingest.ts` },
  metric_points: { owner: `${SERVICES}/metrics/ingest.ts` },
  metric_histograms: { owner: `${SERVICES}/metrics/ingest.ts` },
  metric_ingest_keys: { owner: `${SERVICES}/metrics/push.ts` },
  metric_limits: { owner: `${SERVICES}/metrics/limits.ts` },
  metric_cardinality_daily: { owner: `${SERVICES}/metrics/cardinality.ts` },
  metric_rollups_1m: { owner: `${SERVICES}/metrics/rollups.ts` },
  metric_rollups_1h: { owner: `${SERVICES}/metrics/rollups.ts` },
  metric_rollup_backlog: { owner: `${SERVICES}/metrics/rollups.ts` },
  metric_agg_1m: { owner: `${SERVICES}/metrics/service-tier.ts` },
  metric_agg_1h: { owner: `${SERVICES}/metrics/service-tier.ts` },

  // Alerting: rule definitions, the engine's schedule, alert instances with their history, suppression.
  alert_rules: { owner: `${SERVICES}/alerting/rules.ts`, seeded: true },
  alert_rule_schedule: { owner: `${SERVICES}/alerting/schedule.ts`, seeded: true },
  alert_instances: { owner: `${SERVICES}/alerting/instances.ts` },
  alert_transitions: { owner: `${SERVICES}/alerting/instances.ts` },
  silences: { owner: `${SERVICES}/alerting/silence-store.ts` },
  inhibition_rules: { owner: `${SERVICES}/alerting/inhibition-store.ts` },

  // Notifications: receivers, routing, groups, the log and outbox, delivery and its breakers.
  receivers: { owner: `${SERVICES}/notify/receivers.ts` },
  receiver_integrations: { owner: `${SERVICES}/notify/receivers.ts` },
  time_intervals: { owner: `${SERVICES}/notify/time-interval-store.ts` },
  route_tree: { owner: `${SERVICES}/notify/route-store.ts` },
  alert_groups: { owner: `${SERVICES}/notify/groups.ts` },
  alert_group_members: { owner: `${SERVICES}/notify/groups.ts` },
  notification_log: { owner: `${SERVICES}/notify/flush.ts` },
  notification_ticks: { owner: `${SERVICES}/notify/flush.ts` },
  notification_outbox: { owner: `${SERVICES}/notify/outbox.ts` },
  notification_attempts: { owner: `${SERVICES}/notify/outbox.ts` },
  endpoint_breakers: { owner: `${SERVICES}/notify/breakers.ts` },

  // Incidents: the incident, its affected services × environments and its timeline.
  incidents: { owner: `${SERVICES}/incidents.ts` },
  incident_impacts: { owner: `${SERVICES}/incidents.ts` },
  incident_updates: { owner: `${SERVICES}/incidents.ts` },
  incident_alert_groups: { owner: `${SERVICES}/notify/incident-links.ts` },
  incident_action_items: { owner: `${SERVICES}/incident-action-items.ts` },
  // Delivery: releases with their commits, and deployments (release × environment) through their state machine.
  releases: { owner: `${SERVICES}/releases.ts` },
  release_commits: { owner: `${SERVICES}/releases.ts` },
  deployments: { owner: `${SERVICES}/deployments.ts` },
  // DORA's lead time: each service × commit's first succeeded production deployment, kept with every deployment write.
  commit_first_deploys: { owner: `${SERVICES}/commit-first-deploys.ts` },
  // Canary rollouts: snapshots fenced on (state, step_index, attempt); analysis runs and their measurements.
  rollouts: { owner: `${SERVICES}/rollouts/store.ts` },
  rollout_analysis_runs: { owner: `${SERVICES}/rollouts/runs.ts` },
  rollout_measurements: { owner: `${SERVICES}/rollouts/runs.ts` },
  // Incident ↔ deployment links: auto on an incident's opening, manual by maintainers.
  incident_deployments: { owner: `${SERVICES}/incident-deployments.ts` },
  // Maintenance windows and the services × environments they cover.
  maintenances: { owner: `${SERVICES}/maintenances.ts` },
  maintenance_targets: { owner: `${SERVICES}/maintenances.ts` },
  // Status pages: which services and environments each shows.
  status_pages: { owner: `${SERVICES}/status-pages.ts`, seeded: true },
  status_page_environments: { owner: `${SERVICES}/status-pages.ts`, seeded: true },
  status_page_components: { owner: `${SERVICES}/status-pages.ts`, seeded: true },
  status_page_subscribers: { owner: `${SERVICES}/status-page-subscribers.ts` },
  // Projects (issue 17 slice A): the project and its people, services and updates; milestones; share links.
  projects: { owner: `${SERVICES}/projects/projects.ts`, seeded: true },
  project_members: { owner: `${SERVICES}/projects/projects.ts` },
  project_subscribers: { owner: `${SERVICES}/projects/projects.ts` },
  project_services: { owner: `${SERVICES}/projects/projects.ts`, seeded: true },
  project_updates: { owner: `${SERVICES}/projects/projects.ts`, seeded: true },
  milestones: { owner: `${SERVICES}/projects/milestones.ts`, seeded: true },
  project_share_links: { owner: `${SERVICES}/projects/share-links.ts` },
  // Project progress: today's scope snapshot per project (past days are never rewritten).
  project_snapshots: { owner: `${SERVICES}/progress/snapshots.ts`, seeded: true },
  // Issue 17: a project's work items; imports and the deployment writer (release in PRO) call this module.
  work_items: { owner: `${SERVICES}/projects/work-items.ts`, seeded: true },
  // The weekly digest: one row per project and ISO week queued, written with its outbox rows.
  project_digests: { owner: `${SERVICES}/progress/digest.ts` },
  // Feature flags (issue 18): the flag, its per-environment configuration, linked services and change markers.
  flags: { owner: `${SERVICES}/flags/store.ts` },
  flag_environments: { owner: `${SERVICES}/flags/store.ts` },
  flag_services: { owner: `${SERVICES}/flags/store.ts` },
  flag_changes: { owner: `${SERVICES}/flags/store.ts` },
};
