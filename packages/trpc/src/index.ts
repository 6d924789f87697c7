export { nextSlot, phaseOffsetMs } from '@sextant/db';
export { isForwardingHeader } from '@sextant/db/check-config';
export type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
export {
  type AuthResult,
  authenticate,
  authenticateApiKey,
  bearerToken,
  csrfProblem,
  SESSION_COOKIES,
} from './auth/authenticate';
export { API_KEY_CACHE_LIMITS, API_KEYS_CHANNEL, ApiKeyCache } from './auth/key-cache';
export { actorOf, type Context, type Identity, type Logger, type Runtime } from './context';
export { APP_ERROR_CODES, type AppErrorCode, OVERLOADED_API_MESSAGE, trpcErrorBody } from './error-codes';
export { AppError, appCodeOf, toTRPCError } from './errors';
export { findInputProblem } from './input-guard';
export {
  BOARD_LIMITS,
  DELIVERY_LIMITS,
  DIGEST_LIMITS,
  FLAG_EVALUATION_LIMITS,
  FLAG_LIMITS,
  PROGRESS_LIMITS,
  PROJECT_LIMITS,
  ROLLOUT_LIMITS,
  SUBSCRIBER_LIMITS,
  TRPC_MAX_BATCH,
  WORK_ITEM_LIMITS,
} from './limits';
export {
  compileOutbound,
  isLocalAddress,
  type OutboundPolicy,
  type OutboundRules,
  type Refusal,
} from './outbound/policy';
export { PRIVATE_NETWORKS, type ProtectedPort, urlPort } from './outbound/rules';
export { type AppRouter, appRouter } from './root';
export { type DeploymentReportInput, deploymentReportInput } from './schemas/deployments';
export { type FlagEvaluationCountsInput, flagEvaluationCountsInput } from './schemas/flag-evaluations';
export {
  batchSchema,
  histogramSchema,
  METRIC_LIMITS,
  type MetricBatch,
  pointSchema,
} from './schemas/metrics';
export { parseBatchFast } from './schemas/metrics-fast';
export { rolloutEdgeInput, rolloutReportInput } from './schemas/rollout-procedures';
export {
  type AnalysisMetric,
  type AnalysisTemplate,
  analysisMetric,
  analysisTemplate,
  type Comparison,
  type ReleaseRef,
  type RolloutStep,
  releaseRef,
  rolloutStep,
  rolloutSteps,
} from './schemas/rollouts';
export { isSecretHeader, SECRET_MASK } from './schemas/secrets';
export { BADGE_WINDOWS, type BadgeWindow, STATUSPAGE_FILES, UNSUBSCRIBE_EDGE } from './schemas/status-pages';
export {
  ALERTS_RECEIVE_ROLE,
  alertsQuerySchema,
  type GettableAlert,
  getAlertsV2,
} from './services/alerting/alertmanager-api';
export { compare, evaluateCondition, judge, monitorOutcome } from './services/alerting/conditions';
export {
  annotate,
  EVALUATION_LEASE_MS,
  type EvaluableRule,
  evaluateSlot,
  type Preview,
  previewRule,
  type RuleDraft,
  ruleSettings,
  runDueRules,
  type SlotResult,
} from './services/alerting/engine';
export {
  DEFAULT_RESOLVE_TIMEOUT_MS,
  ExternalAlertsRefused,
  receiveAlerts,
} from './services/alerting/external';
export {
  activeRuleAlerts,
  pruneAlertTransitions,
  receiveExternalAlerts,
  resolveLapsedExternalAlerts,
} from './services/alerting/instances';
export { RESEND_DELAY_MS } from './services/alerting/rule-state';
export {
  type ClaimedSlot,
  claimDueRules,
  ruleEvaluationStats,
} from './services/alerting/schedule';
export { pruneCheckResults, type RunResult, rollupCheckHours } from './services/check-results';
export { type ClaimedCheck, claimDueChecks, recordRun } from './services/checks';
export { DEPLOYMENTS_WRITE_ROLE, type ReportResult, reportDeployment } from './services/deployments';
export { expireInstances } from './services/discovery';
export {
  type Band,
  type BandLevel,
  type BandYear,
  bandFor,
  DORA_BAND_YEAR,
  DORA_BANDS,
  DORA_KEYS,
  DORA_LIMITS,
  DORA_WINDOW_DAYS,
  type DoraDeployment,
  type DoraFigures,
  type DoraIncident,
  type DoraInput,
  type DoraKey,
  type DoraWindow,
  doraFigures,
  doraWindow,
  type FrequencyBucket,
  frequencyBucket,
} from './services/dora';
export { evaluateFlag, type FlagEvaluation, inferFlagType } from './services/flags/evaluate';
export {
  EVALUATION_BUCKETS,
  evaluationBucket,
  FLAG_EVALUATIONS_METRIC,
  FlagEvaluationCounter,
  type FlagEvaluationCounts,
  type FlushResult,
  flagEvaluationCounts,
  OTHER_BUCKET,
} from './services/flags/evaluation-counter';
export {
  FLAGS_CHANNEL,
  type FlagSnapshot,
  FlagSnapshotCache,
  loadFlagSnapshot,
} from './services/flags/snapshot';
export {
  markLateHeartbeats,
  nextDueAt,
  pruneHeartbeatPings,
  recordPing,
} from './services/heartbeats';
export { snapshotCardinality } from './services/metrics/cardinality';
export { type IngestLimits, type IngestResult, ingestBatch, seriesHash } from './services/metrics/ingest';
export {
  CardinalityLimitError,
  DEFAULT_SERIES_LIMITS,
  type OnLimit,
  type SeriesLimits,
} from './services/metrics/limits';
export {
  AlreadyAccepted,
  acceptedBefore,
  METRICS_PUSH_ROLE,
  pruneIngestKeys,
  pushMetrics,
} from './services/metrics/push';
export {
  drainRollupBacklog,
  markLateSamples,
  rollupHours,
  rollupMinutes,
  rollupRecent,
} from './services/metrics/rollups';
export { SERIES_CACHE_MS } from './services/metrics/series';
export { breakerStates } from './services/notify/breakers';
export {
  classifyHttp,
  classifySmtp,
  classifyTransport,
  parseRetryAfter,
  RETRY_AFTER_MAX_MS,
} from './services/notify/classify';
export {
  type Delivered,
  deliverClaim,
  deliverDue,
  INTEGRATION_GONE,
  type LoadTargets,
  type Resolved,
  resolveClaims,
} from './services/notify/deliver';
export {
  DEFAULT_SEND_TIMEOUT_MS,
  type DeliveryPolicy,
  deliveryPolicy,
} from './services/notify/delivery-policy';
export {
  defaultFlushOptions,
  FLUSH_LEASE_MS,
  type FlushDb,
  type FlushOptions,
  flushGroup,
  flushGroups,
  pruneNotificationHistory,
  recordReceiverData,
  runDueFlushes,
  type TickResult,
} from './services/notify/flush';
export { type ClaimedGroup, claimDueGroups, msUntilNextTick } from './services/notify/groups';
export {
  endpointOf,
  type HttpRequest,
  INTEGRATION_SECRETS,
  IntegrationConfigError,
  type Mail,
  type Rendered,
  render,
} from './services/notify/integrations';
export type {
  IntegrationTarget,
  MessageAlert,
  NotificationMessage,
  SendNotification,
  SendOutcome,
} from './services/notify/message';
export {
  type ClaimedDelivery,
  type CompletionInput,
  type CompletionResult,
  claimDeliveries,
  completeDeliveries,
} from './services/notify/outbox';
export { deadLetterCount } from './services/notify/outbox-reads';
export { isProjectDigest, type ProjectDigest } from './services/notify/project-digest';
export {
  integrationTargetsById,
  loadIntegrationTargets,
  receiverIntegrations,
} from './services/notify/receivers';
export { useSecretKey } from './services/notify/secret-box';
export {
  isStatusNotice,
  NOTICE_EVENTS,
  type NoticeEvent,
  type StatusNotice,
} from './services/notify/status-notice';
export { digestDueAtMs, isoWeekStart, sendWeeklyDigests } from './services/progress/digest';
export { refreshAllSnapshots, refreshProjectSnapshot } from './services/progress/snapshots';
export { resolveShareLink } from './services/projects/share-links';
export { releaseBoard } from './services/release-board';
export {
  type AnalysisPhase,
  analysisRunPhase,
  compareCanary,
  type Desired,
  desiredOf,
  evaluateAnalysis,
  type Measurement,
  type MetricResult,
  measure,
  newRollout,
  type ReleaseHistoryEntry,
  ROLLOUT_STATES,
  ROLLOUT_TRANSITIONS,
  type RollbackPlan,
  type RolloutEffect,
  type RolloutEvent,
  type RolloutSnapshot,
  type RolloutState,
  rollbackPlan,
  type TransitionResult,
  transition,
} from './services/rollouts';
export { desiredState, ROLLOUTS_WRITE_ROLE, reportApplied } from './services/rollouts/actions';
export { type RolloutTickResult, rolloutTick } from './services/rollouts/worker';
export {
  type ClaimedScrapeTarget,
  claimDueScrapeTargets,
  completeScrape,
  LostLease,
} from './services/scrape-targets';
export { outboundPolicy } from './services/settings';
export { STATUS_CHANNEL, StatusPageCache, viewVersion } from './services/status-page-cache';
export {
  type PageUptimes,
  publicStatusPageUptimes,
  publicStatusPageView,
} from './services/status-page-edges';
export { enqueueMaintenanceNotices } from './services/status-page-notices';
export { unsubscribe as unsubscribeByToken } from './services/status-page-subscribers';
export type {
  StatusPageComponentView,
  StatusPageIncidentView,
  StatusPageMaintenanceView,
  StatusPageView,
} from './services/status-page-view';
export { subscriptionToken } from './services/subscription-tokens';
export { DATABASE_DOWN, type SystemInfo } from './services/system';
export { transformer } from './transformer';
export { type Access, createCallerFactory, type Meta } from './trpc';
