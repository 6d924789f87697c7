import { heartbeatSettings } from '@sextant/trpc/schemas';
import { fieldByPath, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import type { RouterInputs } from '~/lib/router-types';
import { numberField } from './check-form';
import type { Heartbeat } from './types';

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

export function heartbeatValues(h: Heartbeat): HeartbeatFormValues {
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

/** The form's fields, each read from the input of that name. */
const HEARTBEAT_FIELDS = Object.keys(emptyHeartbeat()) as (keyof HeartbeatFormValues)[];

/** Which form field an issue of the heartbeat's input is about. */
export const heartbeatField = fieldByPath(HEARTBEAT_FIELDS);

/** What a submitted heartbeat form holds; the schedule is the dialog's state, a period keeps the saved zone. */
export function readHeartbeat(
  form: HTMLFormElement,
  schedule: HeartbeatFormValues['schedule'],
  savedTimezone: string,
): HeartbeatFormValues {
  const text = readForm(form, HEARTBEAT_FIELDS);
  return { ...text, schedule, timezone: schedule === 'cron' ? text.timezone : savedTimezone };
}

/** The heartbeat's input, checked by the API's own schema (cron syntax and time zone included). */
export function toHeartbeatInput(
  v: HeartbeatFormValues,
): { input: HeartbeatInput } | { errors: HeartbeatFormErrors } {
  const parseErrors: HeartbeatFormErrors = {};
  if (v.schedule === 'cron' && !v.cron.trim()) parseErrors.cron = 'Enter a cron expression, e.g. 0 3 * * *';
  if (v.schedule === 'cron' && !v.timezone.trim())
    parseErrors.timezone = 'Enter a time zone, e.g. UTC or Europe/Madrid.';
  const input = {
    name: v.name.trim(),
    environmentId: v.environmentId || null,
    periodSeconds: v.schedule === 'period' ? numberField(v.periodSeconds) : null,
    cron: v.schedule === 'cron' ? v.cron.trim() : null,
    // A period ignores the zone; keep what was there (or UTC).
    timezone: v.timezone.trim() || 'UTC',
    graceSeconds: numberField(v.graceSeconds) as number,
  } satisfies HeartbeatInput;
  return validate(heartbeatSettings, input, heartbeatField, parseErrors);
}
