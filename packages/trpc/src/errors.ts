import { TRPCError } from '@trpc/server';
import { APP_ERROR_CODES, type AppErrorCode, DEFAULT_APP_CODE } from './error-codes';

export { APP_ERROR_CODES, type AppErrorCode } from './error-codes';

/**
 * Thrown by service functions; the procedure layer turns it into a TRPCError in one place. `path` names the
 * input field it is about (as a zod issue would), so a form shows it next to that field.
 */
export class AppError extends Error {
  constructor(
    readonly appCode: AppErrorCode,
    message: string,
    readonly path?: readonly (string | number)[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

const CONNECTIVITY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
  '53300', // too_many_connections
]);

/** The first value `pick` finds on the error or its wrapping causes (five deep at most). */
function findInCauses(
  err: unknown,
  pick: (e: Record<string, unknown>) => string | undefined,
): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const found = pick(e as Record<string, unknown>);
    if (found !== undefined) return found;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function findCode(err: unknown): string | undefined {
  return findInCauses(err, ({ code }) =>
    typeof code === 'string' && (CONNECTIVITY_CODES.has(code) || /^[0-9A-Z]{5}$/.test(code))
      ? code
      : undefined,
  );
}

/** The violated constraint's name, as postgres.js reports it. */
const findConstraint = (err: unknown) =>
  findInCauses(err, ({ constraint_name: name }) => (typeof name === 'string' ? name : undefined));

/**
 * Unique indexes two concurrent writes can both pass the service's own check for: the loser gets the code that
 * check gives, not a generic CONFLICT.
 */
const UNIQUE_INDEX_ERRORS: Record<string, { code: AppErrorCode; message: string; field: string }> = {
  projects_name_lower_idx: {
    code: 'PROJECT_NAME_TAKEN',
    message: 'That project name is taken.',
    field: 'name',
  },
  milestones_project_name_idx: {
    code: 'MILESTONE_NAME_TAKEN',
    message: 'That milestone name is taken in this project.',
    field: 'name',
  },
};

export function isDatabaseUnavailable(err: unknown): boolean {
  const code = findCode(err);
  return code !== undefined && CONNECTIVITY_CODES.has(code);
}

/** Turns whatever a procedure threw into a TRPCError with a safe message and a stable appCode. */
export function toTRPCError(err: TRPCError): TRPCError {
  const cause = err.cause;
  if (cause instanceof AppError) {
    if (err.code === APP_ERROR_CODES[cause.appCode]) return err;
    return new TRPCError({ code: APP_ERROR_CODES[cause.appCode], message: cause.message, cause });
  }
  if (err.code !== 'INTERNAL_SERVER_ERROR') return err;
  if (isDatabaseUnavailable(cause)) {
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The database is unavailable; try again shortly.',
      cause: new AppError('DB_UNAVAILABLE', String((cause as Error)?.message ?? cause)),
    });
  }
  const code = findCode(cause);
  if (code === '57014') {
    return new TRPCError({
      code: 'TIMEOUT',
      message: 'The database query took too long and was cancelled.',
      cause: new AppError('DB_TIMEOUT', 'statement timeout'),
    });
  }
  // Class 22, data exception: a value Postgres cannot take (bad uuid or date text, number or date out of range,
  // NUL). Input validation should have caught it; either way it is the caller's input, never a 500.
  if (code?.startsWith('22')) {
    return new TRPCError({
      code: 'BAD_REQUEST',
      message: 'A value in the input is out of range or malformed.',
      cause: new AppError('VALIDATION_FAILED', `data exception ${code}`),
    });
  }
  if (code === '23505') {
    const known = UNIQUE_INDEX_ERRORS[findConstraint(cause) ?? ''];
    if (known) {
      const error = new AppError(known.code, known.message, [known.field]);
      return new TRPCError({ code: APP_ERROR_CODES[known.code], message: known.message, cause: error });
    }
    return new TRPCError({
      code: 'CONFLICT',
      message: 'That already exists.',
      cause: new AppError('CONFLICT', 'unique'),
    });
  }
  return err;
}

export function appCodeOf(err: TRPCError): AppErrorCode {
  return err.cause instanceof AppError ? err.cause.appCode : DEFAULT_APP_CODE[err.code];
}
