/**
 * The input schemas the console validates its forms with before sending (`@sextant/trpc/schemas`): zod and
 * client-safe modules only, never services or the database.
 */

export {
  ALERT_RULE_LIMITS,
  alertRuleInput,
  COMPARISONS,
  MONITOR_TARGET_TYPES,
  queryFunctions,
} from './alert-rules';
export {
  ALERT_MATCHER_LIMITS,
  alertMatcherSchema,
  inhibitionRuleRequest,
  matcherSetSchema,
  matchersFromLabels,
  SILENCE_STATES,
  silencePreviewInput,
  silenceRequest,
} from './alerting-matchers';
export { ALERT_LIST_LIMITS, alertChartInput, alertListInput, alertRef, fingerprintSchema } from './alerts';
export {
  cardinalityLabelsInput,
  clearLimitInput,
  deleteSeriesInput,
  LIMIT_SCOPES,
  maxSeries,
  SERIES_LIMIT_BOUNDS,
  seriesSelectorInput,
  setLimitInput,
} from './cardinality';
export { checkInput } from './checks';
export { deploymentPromoteInput, deploymentReportInput } from './deployments';
export { environmentInput, environmentName } from './environments';
export { type FlagEvaluationCountsInput, flagEvaluationCountsInput } from './flag-evaluations';
export {
  FLAG_LIFECYCLES,
  flagChangesInput,
  flagCreateInput,
  flagEnvironmentRef,
  flagEvaluateInput,
  flagKey,
  flagLinkServicesInput,
  flagListInput,
  flagRef,
  flagSetEnvironmentInput,
  flagsForServicesInput,
  flagToggleInput,
  flagUpdateInput,
} from './flags';
export { heartbeatInput, heartbeatSettings } from './heartbeats';
export { apiKeyInput, passwordChangeInput, passwordSchema, userChanges, userInput } from './identity';
export {
  INCIDENT_LIST_STATES,
  INCIDENT_TRANSITIONS,
  incidentActionItemAddInput,
  incidentActionItemPatchInput,
  incidentCreateInput,
  incidentImpacts,
  incidentListInput,
  incidentPatch,
  incidentPostUpdateInput,
  incidentSetImpactsInput,
  incidentTransitionInput,
  incidentUpdateInput,
  isLegalTransition,
} from './incidents';
export {
  MAINTENANCE_STATES,
  maintenanceInput,
  maintenanceListInput,
  maintenancePatch,
  maintenancePreviewInput,
  maintenanceTarget,
} from './maintenances';
export {
  alertNotificationsInput,
  deliveryListInput,
  NOTIFY_HISTORY_LIMITS,
  TICK_DECISIONS,
  type TickDecision,
  tickListInput,
} from './notifications';
export {
  daySchema,
  milestoneCreateInput,
  milestoneInput,
  milestonePatch,
  milestoneReorderInput,
  milestoneUpdateInput,
  PROJECT_LIMITS,
  projectInput,
  projectPatch,
  projectUpdateInput,
  setMembersInput,
  setServicesInput,
  shareLinkCreateInput,
} from './projects';
export {
  INTEGRATION_KINDS,
  INTEGRATION_SECRET_FIELDS,
  type IntegrationInput,
  integrationInput,
  PAGERDUTY_DEDUP,
  PAGERDUTY_EVENTS_URL,
  PAGERDUTY_SEVERITIES,
  type ReceiverInput,
  receiverInput,
  receiverTestInput,
} from './receivers';
export { deploymentMarkersInput, releaseBoardInput } from './release-board';
export {
  INHERITABLE_FIELDS,
  ROUTE_LIMITS,
  ROUTE_TIMER_BOUNDS,
  ROUTE_TIMERS,
  routeIncidentSchema,
  routeNodeSchema,
  routeTestInput,
  routeTreeSchema,
  routeUpdateInput,
} from './routes';
export { RESERVED_SCRAPE_LABELS, scrapeTargetInput } from './scrape-targets';
export { SECRET_MASK } from './secret-mask';
export { serviceInput } from './services';
export {
  subscribeInput,
  subscriberListInput,
  subscriptionTokenInput,
  webhookSubscriberInput,
} from './status-page-subscribers';
export {
  BADGE_WINDOWS,
  type BadgeWindow,
  isStatusPageEdge,
  STATUSPAGE_FILES,
  type StatuspageFile,
  statusPageComponentInput,
  statusPageInput,
  statusPagePatch,
  statusPageSlug,
  statusPageViewInput,
  UNSUBSCRIBE_EDGE,
} from './status-pages';
export {
  MONTHS,
  parseRange,
  TIME_INTERVAL_LIMITS,
  timeIntervalInput,
  timeIntervalSpecSchema,
  WEEKDAYS,
} from './time-intervals';
export {
  IMPORT_FORMATS,
  workItemBulkStatus,
  workItemCreate,
  workItemFields,
  workItemImport,
  workItemLabel,
  workItemList,
  workItemPatch,
  workItemStatus,
} from './work-items';
