/**
 * Limits shared by the API and its clients. No server imports here: the console's bundle includes this file.
 */

/** Most calls one tRPC batch request may carry; clients' `httpBatchLink` uses it as `maxItems`. */
export const TRPC_MAX_BATCH = 20;

/** Whole-number bounds of a form field, for its schema and the console's `min`/`max` attributes. */
export interface IntRange {
  min: number;
  max: number;
}

export const CHECK_LIMITS = {
  nameLength: 100,
  intervalSeconds: { min: 10, max: 86_400 },
  timeoutMs: { min: 100, max: 60_000 },
  threshold: { min: 1, max: 20 },
  latencyThresholdMs: { min: 1, max: 60_000 },
} as const satisfies Record<string, number | IntRange>;

export const HEARTBEAT_LIMITS = {
  nameLength: 100,
  periodSeconds: { min: 1, max: 31 * 86_400 },
  cronLength: 120,
  timezoneLength: 64,
  graceSeconds: { min: 0, max: 7 * 86_400 },
} as const satisfies Record<string, number | IntRange>;

export const SCRAPE_TARGET_LIMITS = {
  urlLength: 2000,
  dropPrefixLength: 100,
  intervalSeconds: { min: 5, max: 3_600 },
  timeoutMs: { min: 100, max: 60_000 },
  labels: 10,
} as const satisfies Record<string, number | IntRange>;

export const SERVICE_LIMITS = {
  nameLength: 100,
  descriptionLength: 2000,
  ownerLength: 100,
  repositoryUrlLength: 500,
  searchLength: 100,
} as const;

export const RECEIVER_LIMITS = {
  nameLength: 100,
  descriptionLength: 500,
  integrations: 10,
  recipients: 20,
  urlLength: 2000,
  /** Tokens, HMAC secrets, SMTP passwords, routing keys. */
  secretLength: 500,
  textLength: 200,
  timeoutMs: { min: 100, max: 30_000 },
  maxAlerts: { min: 0, max: 1_000 },
  port: { min: 1, max: 65_535 },
  /** "Send test" calls per user per minute. */
  testsPerMinute: 10,
} as const satisfies Record<string, number | IntRange>;

export const INCIDENT_LIMITS = {
  titleLength: 200,
  /** Markdown of one timeline update; 100 KB is refused before any work. */
  updateBodyLength: 20_000,
  /** Postmortem summary and root cause, each. */
  postmortemLength: 20_000,
  /** Service × environment pairs one incident may affect. */
  impacts: 50,
  /** A user id (users.id is text). */
  userIdLength: 100,
  pageSize: 200,
  defaultPageSize: 50,
  /** Timeline rows `incidents.get` returns, newest first. */
  updatesShown: 500,
  /** Linked alert groups `incidents.get` returns, and alerts listed per group (the counts cover them all). */
  linkedGroupsShown: 50,
  linkedAlertsShown: 50,
  /** Postmortem action items per incident. */
  actionItems: 50,
  actionItemTitleLength: 300,
} as const satisfies Record<string, number | IntRange>;

export const MAINTENANCE_LIMITS = {
  titleLength: 200,
  descriptionLength: 10_000,
  rruleLength: 500,
  timeZoneLength: 64,
  /** Service × environment pairs one window covers. */
  targets: 200,
  /** One occurrence lasts at least a minute and at most a week. */
  durationMinutes: { min: 1, max: 7 * 1440 },
  /** Up to 30 days' notice to subscribers. */
  announceAheadMinutes: { min: 0, max: 30 * 1440 },
  /** A recurring series has at most this many occurrences in all (checked when it is saved). */
  seriesOccurrences: 2_000,
  /** Occurrences are closer than this only if the rule fires more often than hourly. */
  minGapMinutes: 60,
  /** One expansion covers at most this many days and returns at most this many occurrences. */
  rangeDays: 400,
  rangeOccurrences: 1_000,
  /** Next occurrences shown by maintenances.get. */
  nextOccurrences: 10,
  /** Occurrences maintenances.preview shows a form before it saves. */
  previewOccurrences: 5,
  /** Rows one list call returns. */
  listRows: 200,
} as const satisfies Record<string, number | IntRange>;

export const STATUS_PAGE_LIMITS = {
  /** Status pages in all; each is built and cached per API instance. */
  pages: 50,
  components: 100,
  environments: 20,
  slugLength: 60,
  titleLength: 100,
  logoUrlLength: 2000,
  footerLength: 5000,
  groupNameLength: 100,
  /** Incidents shown in a page's history (resolved in the last 90 days), newest first. */
  historyIncidents: 50,
  /** Public updates shown per incident, newest first. */
  updatesPerIncident: 50,
  /** Upcoming maintenance shown: starting within this many days. */
  upcomingDays: 7,
  /** A built page is rebuilt at most this long after it was built ("today" moves with time). */
  cacheTtlMs: 60_000,
} as const satisfies Record<string, number | IntRange>;

export const SUBSCRIBER_LIMITS = {
  /** RFC 5321's longest usable address. */
  emailLength: 254,
  urlLength: 2000,
  /** A confirm or unsubscribe link's token: `<uuid>.<43 base64url>` is 80 characters. */
  tokenLength: 200,
  /** New subscribers one IP may make in the window, over every page (counted from the table). */
  perIp: 5,
  perIpWindowMinutes: 10,
  /** A confirmation link works this long after the subscription. */
  confirmDays: 7,
  /** One confirmation mail per address per this long, however often the form is sent. */
  confirmResendMinutes: 10,
  /** Webhook subscribers of one page (admin-made). */
  webhooksPerPage: 20,
  /** Subscribers one admin list call returns. */
  pageSize: 100,
  /** A maintenance "completed" notice is sent only this long after the end (an instance down longer skips it). */
  completedLookbackMinutes: 60,
} as const satisfies Record<string, number | IntRange>;

export const ROLLOUT_LIMITS = {
  /** Steps of one canary rollout (setWeight, pause, analysis). */
  steps: 50,
  weight: { min: 0, max: 100 },
  /** A timed pause lasts at most a week; no duration means "until promoted". */
  pauseSeconds: { min: 1, max: 7 * 86_400 },
  metricsPerAnalysis: 10,
  metricNameLength: 63,
  templateNameLength: 100,
  intervalSeconds: { min: 10, max: 3_600 },
  /** Measurements per metric: inline analysis always ends (no open-ended runs). */
  count: { min: 1, max: 100 },
  /** One metric's measurements span at most a day (count × interval). */
  analysisSeconds: 86_400,
  failureLimit: { min: -1, max: 100 },
  inconclusiveLimit: { min: 0, max: 100 },
  consecutiveErrorLimit: { min: 0, max: 100 },
  consecutiveSuccessLimit: { min: 0, max: 100 },
  /** Comparison thresholds (a ratio or an absolute delta in the metric's unit). */
  threshold: { min: 0, max: 1_000_000 },
  /** Rollback skips steps and analysis to a release within the last N (spec requirement 6). */
  rollbackWindow: { min: 1, max: 20 },
  defaultRollbackWindow: 3,
  /** Past releases a rollback plan looks at. */
  rollbackHistory: 200,
  reasonLength: 500,
} as const satisfies Record<string, number | IntRange>;

/** DORA four keys (services/dora): the windows the dashboard offers and the smallest sample a figure is shown from. */
export const DORA_WINDOW_DAYS = [7, 30, 90] as const;
export const DORA_LIMITS = {
  /** Below this many samples (deploys, commits or resolved incidents) a key reads "insufficient data". */
  sampleFloor: 3,
  /** Deployments one incident may link (auto links are bounded by its impacts, INCIDENT_LIMITS.impacts). */
  incidentLinks: 100,
  /** A team (services.owner) named in `dora.get`. */
  teamLength: 200,
  /** Rows `dora.overview` answers (one per service, by name). */
  overviewServices: 1000,
  /** Incidents one DORA read takes into the recovery time (a window's worth, far above any real one). */
  incidentsRead: 10_000,
} as const satisfies Record<string, number | IntRange>;

/** Releases and deployments (issue 16); the delivery tables' CHECKs repeat the text bounds as a backstop. */
export const DELIVERY_LIMITS = {
  versionLength: 100,
  /** Release notes (markdown); 100 KB is refused before any work. */
  notesLength: 20_000,
  artifactUrlLength: 2000,
  /** Commits one report may carry. */
  commits: 500,
  commitMessageLength: 1000,
  externalIdLength: 200,
  overrideReasonLength: 500,
  pageSize: 200,
  defaultPageSize: 50,
  /** Largest `POST /v1/deployments` body: 500 commits with full messages fit. */
  reportBodyBytes: 1_048_576,
} as const satisfies Record<string, number | IntRange>;

/** The release board, deployment markers and approvals (issue 16 points 1, 3, 5). */
export const BOARD_LIMITS = {
  /** Services per board page: each brings one cell per environment. */
  pageSize: 50,
  defaultPageSize: 25,
  searchLength: 100,
  /** Markers one chart range may carry, newest kept. */
  markers: 200,
  /** Longest range markers are read for. */
  markersSpanDays: 90,
  /** Entries of a service page's deployment timeline. */
  timeline: 50,
} as const satisfies Record<string, number | IntRange>;

/** Projects, milestones, members, updates and share links (issue 17 point 1); the db CHECKs mirror these. */
export const PROJECT_LIMITS = {
  nameLength: 120,
  descriptionLength: 5000,
  /** Points an un-estimated item counts (spec D: default 1). */
  defaultEstimate: { min: 0, max: 1000 },
  /** At risk when elapsed % minus done % exceeds this (spec D: 20). */
  riskGapPercent: { min: 0, max: 100 },
  /** At risk when nothing was completed for this many days with work open (spec D: 14). */
  stallDays: { min: 1, max: 365 },
  members: 200,
  services: 100,
  milestones: 100,
  noteLength: 5000,
  /** Projects one list returns, by name. */
  listSize: 500,
  /** Owner updates one page returns, newest first. */
  updatesPage: 100,
  shareLabelLength: 120,
  /** A share link lives 1 hour to 90 days. */
  shareLinkHours: { min: 1, max: 90 * 24 },
  /** Live (unrevoked) share links one project may have. */
  shareLinks: 50,
  /** A share link's lastUsedAt is stamped at most this often. */
  shareLinkStampSeconds: 60,
} as const satisfies Record<string, number | IntRange>;

/** Project progress reads (issue 17): bounded however long a project runs or however many there are. */
export const PROGRESS_LIMITS = {
  /** Days of daily snapshots a project's burn-up reads (about 13 months). */
  burnUpDays: 400,
  /** Non-archived projects the portfolio answers (by name). */
  portfolioProjects: 200,
  /** Minutes between refreshes of today's snapshots. */
  snapshotEveryMinutes: 5,
  /** Overdue open items a project read lists (the count covers all). */
  overdueItems: 20,
} as const satisfies Record<string, number>;

/** Work items of a project (issue 17): fields, list pages and imports, each bounded before any work. */
export const WORK_ITEM_LIMITS = {
  titleLength: 500,
  estimate: { min: 0, max: 1000 },
  labels: 20,
  labelLength: 50,
  pageSize: 200,
  bulkIds: 500,
  /**
   * An import's text in bytes (UTF-8), refused before parsing when larger. Below the API's default body limit
   * (API_BODY_LIMIT_BYTES, 1 MiB), leaving room for the JSON escaping of line breaks and quotes.
   */
  importBytes: 768 * 1024,
  /** Rows one export writes at most; more are cut and flagged `truncated`. */
  exportRows: 20_000,
  /** An import's items; a CSV's line breaks are counted before parsing, so a huge file is never parsed. */
  importRows: 5_000,
  /** Row problems an import report lists; the rest are counted only. */
  reportedProblems: 200,
} as const satisfies Record<string, number | IntRange>;

/** The weekly project digest (issue 17 point 4). */
export const DIGEST_LIMITS = {
  /** Hour (UTC) on Monday from which the week's digest is due; a later tick in the same ISO week still sends it. */
  sendHourUtc: 8,
  /** Minutes between the job's looks at whether a digest is due. */
  checkEveryMinutes: 10,
  /** Titles listed per section (done, added); the count says how many there are in all. */
  listedItems: 20,
  /** Open incidents listed; the count says how many there are in all. */
  listedIncidents: 10,
} as const satisfies Record<string, number>;

/** The per-flag evaluation counter (issue 18 point 3): in-process counts flushed into the metric store. */
export const FLAG_EVALUATION_LIMITS = {
  /** Distinct (flag, environment, variant) keys one instance counts between flushes; more go to "(other)". */
  counterKeys: 10_000,
  /** Seconds between flushes of each instance's counts. */
  flushEverySeconds: 60,
  /** The longest range of the per-hour read (a week). */
  hours: { min: 1, max: 168 },
} as const satisfies Record<string, number | IntRange>;

/** Feature flags' server side (issue 18); the configuration and context limits live in @sextant/flags. */
export const FLAG_LIMITS = {
  descriptionLength: 2_000,
  ownerLength: 200,
  tags: 20,
  tagLength: 50,
  staleAfterDays: { min: 1, max: 3_650 },
  /** Services one flag may be linked to. */
  linkedServices: 50,
  /** Rows flags.list answers; the filters narrow further. */
  listRows: 500,
  searchLength: 100,
  /** Widest range flags.changes reads (chart markers, incident context). */
  changesRangeDays: 90,
  /** Change rows flags.changes lists; `count` says how many the range holds. */
  changesRows: 1_000,
  /** Characters of one flag_changes summary line. */
  summaryLength: 500,
  /** Services one flags.forServices read names (an incident's affected services, an alert's label). */
  serviceRefs: 20,
  /** Flags flags.forServices answers; `truncated` says when the services have more. */
  serviceFlagsRows: 50,
} as const satisfies Record<string, number | IntRange>;
