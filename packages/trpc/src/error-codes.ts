/**
 * Stable error codes and tRPC's error body, in one place for the API, its plain-HTTP edges and the console's
 * proxy. No zod or server imports: the console may bundle this file (`@sextant/trpc/error-codes`).
 */
import { type TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';

/** Stable, documented error codes; clients switch on these rather than on messages. */
export const APP_ERROR_CODES = {
  VALIDATION_FAILED: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** A check or scrape target names an address the outbound policy refuses. */
  TARGET_DENIED: 'BAD_REQUEST',
  /** A receiver a route of the routing tree sends to; the message names the routes. */
  RECEIVER_IN_USE: 'CONFLICT',
  /** This server has no notification transports (runtime.sendNotification), so "send test" cannot run. */
  SENDING_UNAVAILABLE: 'PRECONDITION_FAILED',
  /** Integration secrets that do not decrypt: another SEXTANT_SECRET_KEY, or damaged ciphertext. */
  SECRET_UNREADABLE: 'INTERNAL_SERVER_ERROR',
  /** An incident status change the transition table does not allow; the message names both states. */
  INCIDENT_ILLEGAL_TRANSITION: 'CONFLICT',
  /** As many postmortem action items as INCIDENT_LIMITS.actionItems allows exist already on the incident. */
  INCIDENT_ACTION_ITEM_LIMIT: 'PRECONDITION_FAILED',
  /** A public status page may show public services only; the message names the others. */
  STATUS_PAGE_PRIVATE_SERVICE: 'BAD_REQUEST',
  /** As many status pages as STATUS_PAGE_LIMITS.pages allows exist already. */
  STATUS_PAGE_LIMIT: 'PRECONDITION_FAILED',
  /** A private status page and no signed-in user or API key. */
  STATUS_PAGE_SIGN_IN: 'UNAUTHORIZED',
  /** The status page has no mail integration, so it offers no email subscription. */
  STATUS_PAGE_MAIL_OFF: 'PRECONDITION_FAILED',
  /** A confirm or unsubscribe link that is damaged, for another purpose, or names no subscriber. */
  SUBSCRIPTION_LINK_INVALID: 'BAD_REQUEST',
  /** A confirmation link older than SUBSCRIBER_LIMITS.confirmDays: subscribe again. */
  SUBSCRIPTION_LINK_EXPIRED: 'BAD_REQUEST',
  /** A rollout event its state does not accept (the transition table); the message names both. */
  ROLLOUT_ILLEGAL_TRANSITION: 'CONFLICT',
  /** A rollout event fenced on a step or analysis run the rollout has already left (another instance won). */
  ROLLOUT_STALE_EVENT: 'CONFLICT',
  /** A timed rollout pause reported over before its end time. */
  ROLLOUT_PAUSE_NOT_DUE: 'CONFLICT',
  /** Superseding or rolling back a rollout to the release it is already rolling out. */
  ROLLOUT_SAME_RELEASE: 'CONFLICT',
  /** A rollback with no earlier release that succeeded in this environment (or an unknown one named). */
  ROLLOUT_NO_PREVIOUS_RELEASE: 'PRECONDITION_FAILED',
  /** A rollback to a release that never succeeded in this environment. */
  ROLLOUT_ROLLBACK_NOT_GOOD: 'PRECONDITION_FAILED',
  /** A deployment or promotion names a service slug (or id) that does not exist. */
  SERVICE_NOT_FOUND: 'NOT_FOUND',
  /** A deployment or promotion names an environment that does not exist. */
  ENVIRONMENT_NOT_FOUND: 'NOT_FOUND',
  /** A deployment state change the transition table does not allow; the message names both states. */
  DEPLOYMENT_ILLEGAL_TRANSITION: 'CONFLICT',
  /** A report reuses an external id (per service × environment) of a deployment of another version. */
  DEPLOYMENT_EXTERNAL_ID_CONFLICT: 'CONFLICT',
  /** A report's version exists for the service with another commit SHA. */
  RELEASE_COMMIT_MISMATCH: 'CONFLICT',
  /** Promotion to an environment whose previous environment has no succeeded deployment of the release. */
  PROMOTION_PREVIOUS_NOT_SUCCEEDED: 'PRECONDITION_FAILED',
  /** Only a signed-in admin may override the promotion order. */
  PROMOTION_OVERRIDE_FORBIDDEN: 'FORBIDDEN',
  /** An approval by the person who made the release or asked for the promotion (or whose key did). */
  DEPLOYMENT_SELF_APPROVAL: 'FORBIDDEN',
  /** Approving a deployment that is not waiting for an approval. */
  DEPLOYMENT_NOT_AWAITING_APPROVAL: 'CONFLICT',
  /** Starting a deployment that still waits for its approval. */
  DEPLOYMENT_APPROVAL_PENDING: 'PRECONDITION_FAILED',
  /** A deployment rollback with no earlier release that succeeded in that environment. */
  DEPLOYMENT_NO_PREVIOUS_RELEASE: 'PRECONDITION_FAILED',
  /** No flag with that key. */
  FLAG_NOT_FOUND: 'NOT_FOUND',
  /** A flag with that key exists already (keys are unique and never change). */
  FLAG_KEY_TAKEN: 'CONFLICT',
  /** A flag configuration @sextant/flags' flagConfigSchema refuses; `data.details.issues` lists each path and message. */
  FLAG_CONFIG_INVALID: 'BAD_REQUEST',
  /** A rollout strategy's group id changed without `confirmGroupIdChange: true` (it reshuffles every user). */
  FLAG_GROUP_ID_CHANGE_UNCONFIRMED: 'PRECONDITION_FAILED',
  /** `expectedVersion` is not the environment's current version: someone else changed it meanwhile. */
  FLAG_VERSION_CONFLICT: 'CONFLICT',
  /** Deleting a flag that is not archived (archive it first, so clients fall back to their defaults). */
  FLAG_NOT_ARCHIVED: 'PRECONDITION_FAILED',
  /** A change to an archived flag: it serves nobody (it is out of every snapshot); unarchive it first. */
  FLAG_ARCHIVED: 'CONFLICT',
  /** A project's name is taken (case-insensitively). */
  PROJECT_NAME_TAKEN: 'CONFLICT',
  /** A project's owner or member is not an existing, enabled user; the message names which. */
  PROJECT_USER_INVALID: 'BAD_REQUEST',
  /** A project's target date before its start date. */
  PROJECT_TARGET_BEFORE_START: 'BAD_REQUEST',
  /** A project's digest integration that is not of kind email (the digest is a mail). */
  PROJECT_DIGEST_NOT_EMAIL: 'BAD_REQUEST',
  /** A write to an archived project or anything in it: archived projects are read-only until unarchived. */
  PROJECT_ARCHIVED: 'CONFLICT',
  /** A milestone's name is taken in its project (case-insensitively). */
  MILESTONE_NAME_TAKEN: 'CONFLICT',
  /** A milestone due before its project starts (or a start moved after a milestone's due date). */
  MILESTONE_DUE_BEFORE_START: 'BAD_REQUEST',
  /** A reorder that does not list each of the project's milestones exactly once. */
  MILESTONE_ORDER_MISMATCH: 'BAD_REQUEST',
  /** As many milestones as PROJECT_LIMITS.milestones allows exist already on the project. */
  MILESTONE_LIMIT: 'PRECONDITION_FAILED',
  /** As many live share links as PROJECT_LIMITS.shareLinks allows exist already on the project. */
  SHARE_LINK_LIMIT: 'PRECONDITION_FAILED',
  /** A share link token that is unknown, expired or revoked: one code, so a probe learns nothing. */
  SHARE_LINK_INVALID: 'NOT_FOUND',
  /** A work item's milestone is not a milestone of the item's project. */
  WORK_ITEM_MILESTONE_INVALID: 'BAD_REQUEST',
  /** A work item's assignee is no user, or a disabled one. */
  WORK_ITEM_ASSIGNEE_INVALID: 'BAD_REQUEST',
  /** A work item due before its project starts. */
  WORK_ITEM_DUE_BEFORE_START: 'BAD_REQUEST',
  /** A work item's release does not exist. */
  WORK_ITEM_RELEASE_INVALID: 'BAD_REQUEST',
  /** An import's CSV header lacks, repeats or adds columns; the message names them. */
  WORK_ITEM_IMPORT_COLUMNS: 'BAD_REQUEST',
  /** An import larger than WORK_ITEM_LIMITS.importBytes, refused before parsing. */
  WORK_ITEM_IMPORT_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** An import with more rows than WORK_ITEM_LIMITS.importRows, refused before parsing. */
  WORK_ITEM_IMPORT_TOO_MANY_ROWS: 'BAD_REQUEST',
  /** Text that is not CSV (or not a `gh issue list --json` array); the message says where. */
  WORK_ITEM_IMPORT_MALFORMED: 'BAD_REQUEST',
  /** Some rows were rejected, so nothing was imported; `data.details.rows` lists each with its line and codes. */
  WORK_ITEM_IMPORT_REJECTED: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  PASSWORD_CHANGE_REQUIRED: 'FORBIDDEN',
  LAST_ADMIN: 'PRECONDITION_FAILED',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  /** A tRPC batch with more calls than TRPC_MAX_BATCH. */
  BATCH_TOO_LARGE: 'BAD_REQUEST',
  // Refused by tRPC or the server before any procedure ran (wrong HTTP method, content type, body size).
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_SUPPORTED',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** Load shedding: the event loop lags, so new requests get 503 + Retry-After. */
  OVERLOADED: 'SERVICE_UNAVAILABLE',
  DB_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  DB_TIMEOUT: 'TIMEOUT',
  /** A metrics selector's label matching ran out of its own time bound (METRIC_LIMITS.matchTimeoutMs). */
  QUERY_TOO_EXPENSIVE: 'BAD_REQUEST',
  /** A metrics batch would create series beyond a metric's or a service's series limit; nothing was stored. */
  CARDINALITY_LIMIT: 'UNPROCESSABLE_CONTENT',
  /** An alert rule names a metric the store has no series of. */
  UNKNOWN_METRIC: 'BAD_REQUEST',
  /** An alert rule's annotation template does not parse, or uses a control structure (no loops, no branches). */
  INVALID_TEMPLATE: 'BAD_REQUEST',
  /** An alert rule's query would yield more series than the rule's series limit; the message gives the count. */
  RULE_SERIES_LIMIT: 'BAD_REQUEST',
  /** The console's proxy could not reach the API (refused, or no answer within API_PROXY_TIMEOUT_MS). */
  API_UNAVAILABLE: 'BAD_GATEWAY',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<string, TRPC_ERROR_CODE_KEY>;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;

/**
 * The appCode of an error that carries none of its own (tRPC's own refusals, a bare TRPCError), per tRPC code:
 * chosen here, never by the order of APP_ERROR_CODES, where several appCodes share one tRPC code.
 */
export const DEFAULT_APP_CODE: Record<TRPC_ERROR_CODE_KEY, AppErrorCode> = {
  PARSE_ERROR: 'VALIDATION_FAILED',
  BAD_REQUEST: 'VALIDATION_FAILED',
  // The only unprocessable content a procedure answers.
  UNPROCESSABLE_CONTENT: 'CARDINALITY_LIMIT',
  PRECONDITION_REQUIRED: 'VALIDATION_FAILED',
  CLIENT_CLOSED_REQUEST: 'VALIDATION_FAILED',
  UNAUTHORIZED: 'UNAUTHORIZED',
  PAYMENT_REQUIRED: 'FORBIDDEN',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_SUPPORTED',
  TIMEOUT: 'DB_TIMEOUT',
  CONFLICT: 'CONFLICT',
  // The only precondition a procedure checks.
  PRECONDITION_FAILED: 'LAST_ADMIN',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  // Inside tRPC only the database answers "unavailable"; load shedding happens before tRPC (by status, below).
  SERVICE_UNAVAILABLE: 'DB_UNAVAILABLE',
  BAD_GATEWAY: 'API_UNAVAILABLE',
  GATEWAY_TIMEOUT: 'API_UNAVAILABLE',
  NOT_IMPLEMENTED: 'INTERNAL',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
};

/** The appCode of a request refused by HTTP status before tRPC ran (body or rate limit, load shedding, proxy). */
const APP_CODE_BY_STATUS: Partial<Record<number, AppErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  502: 'API_UNAVAILABLE',
  503: 'OVERLOADED',
};

/** What the API answers when it sheds load (503 OVERLOADED); the console words it for people itself. */
export const OVERLOADED_API_MESSAGE = 'The server is overloaded; try again shortly.';

export interface TrpcErrorBody {
  error: {
    json: {
      message: string;
      code: number;
      data: { code: TRPC_ERROR_CODE_KEY; httpStatus: number; appCode: AppErrorCode; zodError: null };
    };
  };
}

/**
 * tRPC's error body (superjson-wrapped, as the typed client reads it) for a request answered outside tRPC. One
 * body also for a batch: httpBatchLink gives a non-array error to every call, while an array shorter than the
 * batch fails the calls it lacks with "Missing result".
 */
export function trpcErrorBody(
  status: number,
  message: string,
  appCode: AppErrorCode = APP_CODE_BY_STATUS[status] ?? (status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL'),
): TrpcErrorBody {
  const code = APP_ERROR_CODES[appCode];
  return {
    error: {
      json: {
        message,
        code: TRPC_ERROR_CODES_BY_KEY[code],
        data: { code, httpStatus: status, appCode, zodError: null },
      },
    },
  };
}
