import type { RouterInputs } from '~/lib/router-types';
import { intField } from './check-form';
import type { HeartbeatRow } from './types';

export type HeartbeatInput = RouterInputs['heartbeats']['create']['heartbeat'];

export interface HeartbeatFormValues {
  name: string;
  /** Empty: not tied to an environment. */
  environmentId: string;
  schedule: 'period' | 'cron';
  periodSeconds: string;
  cron: string;
  timezone: string;
  graceSeconds: string;
}
export type HeartbeatFormErrors = Partial<Record<keyof HeartbeatFormValues, string>>;

export function emptyHeartbeat(): HeartbeatFormValues {
  return {
    name: '',
    environmentId: '',
    schedule: 'period',
    periodSeconds: '300',
    cron: '',
    timezone: 'UTC',
    graceSeconds: '60',
  };
}

export function heartbeatValues(h: HeartbeatRow): HeartbeatFormValues {
  return {
    name: h.name,
    environmentId: h.environmentId ?? '',
    schedule: h.cron ? 'cron' : 'period',
    periodSeconds: h.periodSeconds === null ? '' : String(h.periodSeconds),
    cron: h.cron ?? '',
    timezone: h.timezone,
    graceSeconds: String(h.graceSeconds),
  };
}

/** Client-side half of the API's rules; cron syntax and time zones are checked by the API. */
export function toHeartbeatInput(
  v: HeartbeatFormValues,
): { input: HeartbeatInput } | { errors: HeartbeatFormErrors } {
  const errors: HeartbeatFormErrors = {};
  if (!v.name.trim()) errors.name = 'Give the monitor a name.';
  const period = v.schedule === 'period' ? intField(v.periodSeconds, 1, 31 * 86_400) : null;
  if (typeof period === 'string') errors.periodSeconds = period;
  if (v.schedule === 'cron' && !v.cron.trim()) errors.cron = 'Enter a cron expression, e.g. 0 3 * * *';
  if (v.schedule === 'cron' && !v.timezone.trim())
    errors.timezone = 'Enter a time zone, e.g. UTC or Europe/Madrid.';
  const grace = intField(v.graceSeconds, 0, 7 * 86_400, { max: 'At most 7 days.' });
  if (typeof grace === 'string') errors.graceSeconds = grace;
  if (Object.keys(errors).length > 0) return { errors };
  return {
    input: {
      name: v.name.trim(),
      environmentId: v.environmentId || null,
      periodSeconds: typeof period === 'number' ? period : null,
      cron: v.schedule === 'cron' ? v.cron.trim() : null,
      // A period ignores the zone; keep what was there (or UTC).
      timezone: v.timezone.trim() || 'UTC',
      graceSeconds: grace as number,
    },
  };
}
