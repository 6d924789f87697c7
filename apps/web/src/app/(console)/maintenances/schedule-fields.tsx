'use client';

import { MAINTENANCE_LIMITS } from '@sextant/trpc/limits';
import { maintenancePreviewInput } from '@sextant/trpc/schemas';
import { Input, Select } from '@sextant/ui';
import { skipToken, useQuery } from '@tanstack/react-query';
import { Field, Suggestions } from '~/components/field';
import { serverIssues } from '~/lib/field-errors';
import { COMMON_TIME_ZONES, describeRrule, RRULE_PRESETS } from '~/lib/maintenances';
import { PREVIEW_DEBOUNCE_MS, useDebounced } from '~/lib/use-debounced';
import { useTRPC } from '~/trpc/react';

export interface ScheduleDraft {
  kind: 'once' | 'recurring';
  timeZone: string;
  /** Wall-clock times in timeZone, as `<input type="datetime-local">` has them. */
  start: string;
  end: string;
  durationMinutes: string;
  rrule: string;
}

export interface Schedule {
  startsAt: Date | undefined;
  endsAt: Date | undefined;
  rrule: string | null;
  timeZone: string;
}

/** An instant as a wall-clock time in the window's zone, for the preview. */
function inZone(d: Date, timeZone: string): string {
  return d.toLocaleString('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' });
}

/** One-off start/end, or a recurring RRULE (preset or raw) with its duration, in an IANA zone; and the preview. */
export function ScheduleFields({
  draft,
  onChange,
  schedule,
  fieldError,
}: {
  draft: ScheduleDraft;
  onChange: (change: Partial<ScheduleDraft>) => void;
  schedule: Schedule;
  fieldError: (field: string) => string | null;
}) {
  const preset = RRULE_PRESETS.find((p) => p.rrule === draft.rrule.trim().toUpperCase())?.id ?? 'custom';
  return (
    <fieldset className="flex flex-col gap-4">
      <legend className="mb-1 text-sm font-medium">Schedule</legend>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="maintenance-kind" label="Repeats">
          {(p) => (
            <Select
              {...p}
              value={draft.kind}
              onChange={(e) => onChange({ kind: e.target.value as ScheduleDraft['kind'] })}
            >
              <option value="once">Once</option>
              <option value="recurring">On a schedule (RRULE)</option>
            </Select>
          )}
        </Field>
        <Field
          id="maintenance-zone"
          label="Time zone"
          error={fieldError('timeZone')}
          hint="An IANA name; times below are in it, and a recurring window keeps its local time across DST."
        >
          {(p) => (
            <>
              <Input
                {...p}
                list="maintenance-zones"
                value={draft.timeZone}
                onChange={(e) => onChange({ timeZone: e.target.value })}
                maxLength={MAINTENANCE_LIMITS.timeZoneLength}
              />
              <Suggestions id="maintenance-zones" values={COMMON_TIME_ZONES} />
            </>
          )}
        </Field>
        <Field id="maintenance-start" label="Start" error={fieldError('startsAt')}>
          {(p) => (
            <Input
              {...p}
              type="datetime-local"
              value={draft.start}
              onChange={(e) => onChange({ start: e.target.value })}
            />
          )}
        </Field>
        {draft.kind === 'once' ? (
          <Field id="maintenance-end" label="End" error={fieldError('endsAt')}>
            {(p) => (
              <Input
                {...p}
                type="datetime-local"
                value={draft.end}
                onChange={(e) => onChange({ end: e.target.value })}
              />
            )}
          </Field>
        ) : (
          <Field
            id="maintenance-duration"
            label="Duration (minutes)"
            error={fieldError('endsAt')}
            hint="Each occurrence lasts this long: 1 minute to 7 days."
          >
            {(p) => (
              <Input
                {...p}
                type="number"
                inputMode="numeric"
                min={MAINTENANCE_LIMITS.durationMinutes.min}
                max={MAINTENANCE_LIMITS.durationMinutes.max}
                value={draft.durationMinutes}
                onChange={(e) => onChange({ durationMinutes: e.target.value })}
              />
            )}
          </Field>
        )}
      </div>
      {draft.kind === 'recurring' ? (
        <div className="grid gap-4 sm:grid-cols-[1fr_2fr]">
          <Field id="maintenance-preset" label="Preset">
            {(p) => (
              <Select
                {...p}
                value={preset}
                onChange={(e) => {
                  const chosen = RRULE_PRESETS.find((r) => r.id === e.target.value);
                  if (chosen) onChange({ rrule: chosen.rrule });
                }}
              >
                {RRULE_PRESETS.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.label}
                  </option>
                ))}
                <option value="custom">Custom RRULE</option>
              </Select>
            )}
          </Field>
          <Field
            id="maintenance-rrule"
            label="RRULE"
            error={fieldError('rrule')}
            hint={
              draft.rrule.trim()
                ? describeRrule(draft.rrule.trim().toUpperCase())
                : 'RFC 5545, e.g. FREQ=WEEKLY;BYDAY=SU;COUNT=10; it must end (COUNT or UNTIL).'
            }
          >
            {(p) => (
              <Input
                {...p}
                className="font-mono"
                value={draft.rrule}
                onChange={(e) => onChange({ rrule: e.target.value })}
                maxLength={MAINTENANCE_LIMITS.rruleLength}
              />
            )}
          </Field>
        </div>
      ) : null}
      <Preview schedule={schedule} />
    </fieldset>
  );
}

/** The server's answer for the schedule as typed: the next occurrences, or why it would be refused. */
function Preview({ schedule }: { schedule: Schedule }) {
  const trpc = useTRPC();
  const debounced = useDebounced(schedule, PREVIEW_DEBOUNCE_MS);
  const checked = maintenancePreviewInput.safeParse(debounced);
  const preview = useQuery(
    trpc.maintenances.preview.queryOptions(checked.success ? checked.data : skipToken, {
      retry: false,
      placeholderData: (previous) => previous,
    }),
  );
  // The server's canonical zone: one typed may be unknown while older data is still shown.
  const zone = preview.data?.timeZone ?? 'UTC';
  return (
    <div className="rounded-md border p-3 text-sm" data-testid="maintenance-preview" aria-live="polite">
      <p className="mb-2 font-medium">Next occurrences</p>
      {!checked.success ? (
        <p className="text-muted-foreground">Give a start, an end or duration and a time zone to see them.</p>
      ) : preview.error ? (
        <p className="text-destructive" data-testid="maintenance-preview-error">
          {serverIssues(preview.error)[0]?.message ?? preview.error.message}
        </p>
      ) : !preview.data ? (
        <p className="text-muted-foreground">Working them out…</p>
      ) : preview.data.nextOccurrences.length === 0 ? (
        <p className="text-muted-foreground">None: the last one has ended.</p>
      ) : (
        <>
          <ol className="flex flex-col gap-0.5 tabular-nums">
            {preview.data.nextOccurrences.map((o) => (
              <li key={o.start.toISOString()} data-testid="maintenance-preview-occurrence">
                {inZone(o.start, zone)} – {inZone(o.end, zone)}
              </li>
            ))}
          </ol>
          <p className="mt-2 text-xs text-muted-foreground">
            {preview.data.occurrences === 1 ? 'One occurrence' : `${preview.data.occurrences} occurrences`} in
            all, in {preview.data.timeZone}; the last ends {inZone(preview.data.seriesEndsAt, zone)}.
          </p>
        </>
      )}
    </div>
  );
}
