'use client';

import { ALERT_MATCHER_LIMITS, silencePreviewInput, silenceRequest } from '@sextant/trpc/schemas';
import { Button, FieldError, Input, Select, Textarea, toast } from '@sextant/ui';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Field } from '~/components/field';
import { MatchersEditor, matcherErrors } from '~/components/matchers-editor';
import { SectionCard } from '~/components/section-card';
import { type InputIssue, stateFormErrors } from '~/lib/field-errors';
import type { AlertMatcher } from '~/lib/matcher-text';
import type { RouterOutputs } from '~/lib/router-types';
import { PREVIEW_DEBOUNCE_MS, useDebounced } from '~/lib/use-debounced';
import { useTRPC } from '~/trpc/react';
import { SilencePreview } from './silence-preview';

type Silence = RouterOutputs['silences']['get']['silence'];

/** How long a new silence lasts unless an end is picked, in hours. */
const DURATIONS = [
  { hours: 1, label: '1 hour' },
  { hours: 2, label: '2 hours' },
  { hours: 4, label: '4 hours' },
  { hours: 8, label: '8 hours' },
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '1 week' },
];
const HOUR = 3_600_000;
const FIELDS = ['matchers', 'startsAt', 'endsAt', 'comment'];

/** An instant as `<input type="datetime-local">` wants it, in the browser's zone. */
function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fromLocalInput = (v: string) => (v ? new Date(v) : undefined);

/**
 * New or edit silence: matchers, start (empty = now), an end or a duration, and a comment, with a live preview of
 * the current alerts it would mute. Editing matchers or the start of an active silence replaces it (spec A6.4).
 */
export function SilenceForm({
  initialMatchers,
  silence,
}: {
  initialMatchers: AlertMatcher[];
  silence?: Silence;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [matchers, setMatchers] = useState<AlertMatcher[]>(
    initialMatchers.length > 0 ? initialMatchers : [{ label: 'alertname', op: '=', value: '' }],
  );
  const initialStart = silence ? toLocalInput(silence.startsAt) : '';
  const [start, setStart] = useState(initialStart);
  const [endMode, setEndMode] = useState<'duration' | 'end'>(silence ? 'end' : 'duration');
  const [hours, setHours] = useState('2');
  const [end, setEnd] = useState(silence ? toLocalInput(silence.endsAt) : '');
  const [comment, setComment] = useState(silence?.comment ?? '');
  const [clientIssues, setClientIssues] = useState<InputIssue[]>([]);

  const draft = useDebounced({ matchers, startsAt: fromLocalInput(start) }, PREVIEW_DEBOUNCE_MS);
  const previewable = silencePreviewInput.safeParse(draft).success;
  const preview = useQuery(
    trpc.silences.preview.queryOptions(draft, { enabled: previewable, placeholderData: keepPreviousData }),
  );

  const done = (message: string) => {
    toast.success(message);
    void queryClient.invalidateQueries({ queryKey: trpc.silences.pathKey() });
    router.push('/silences');
  };
  const create = useMutation(
    trpc.silences.create.mutationOptions({ onSuccess: () => done('Silence created.') }),
  );
  const update = useMutation(
    trpc.silences.update.mutationOptions({
      onSuccess: (r) =>
        done(
          r.replaced
            ? 'Saved as a new silence; the old one is expired and kept in its history.'
            : 'Silence saved.',
        ),
    }),
  );
  const mutation = silence ? update : create;

  // The API's issues are below `silence` on an edit; the form's own checks come first.
  const { issues, fieldError, message } = stateFormErrors(mutation.error, clientIssues, FIELDS, 'silence');
  const matcherIssues = matcherErrors(issues, 'matchers');

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    mutation.reset();
    // An unchanged start is left out, so the stored one (to the millisecond) is kept and the edit stays in place.
    const startsAt = start === initialStart && silence ? undefined : fromLocalInput(start);
    const from = startsAt ?? new Date();
    const endsAt =
      endMode === 'duration' ? new Date(from.getTime() + Number(hours) * HOUR) : fromLocalInput(end);
    const input = { matchers, startsAt, endsAt, comment };
    const checked = silenceRequest.safeParse(input);
    setClientIssues(checked.success ? [] : checked.error.issues);
    if (!checked.success) return;
    if (silence) update.mutate({ id: silence.id, silence: checked.data });
    else create.mutate(checked.data);
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <SectionCard title="Silence">
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate data-testid="silence-form">
          <MatchersEditor
            id="silence-matchers"
            label="Matcher"
            value={matchers}
            onChange={setMatchers}
            errors={matcherIssues.rows}
            setError={matcherIssues.set}
          />
          <p className="text-xs text-muted-foreground">
            An alert is muted when every matcher holds; a missing label reads as empty. Regexes are anchored.
          </p>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="silence-start" label="Start" error={fieldError('startsAt')} hint="Empty: now.">
              {(p) => (
                <Input
                  {...p}
                  type="datetime-local"
                  value={start}
                  onChange={(e) => setStart(e.target.value)}
                />
              )}
            </Field>
            <div className="flex flex-col gap-1.5">
              <Select
                aria-label="End by"
                value={endMode}
                onChange={(e) => setEndMode(e.target.value as 'duration' | 'end')}
                className="h-6 w-fit border-none px-0 text-sm font-medium"
              >
                <option value="duration">Duration</option>
                <option value="end">End</option>
              </Select>
              {endMode === 'duration' ? (
                <Select aria-label="Duration" value={hours} onChange={(e) => setHours(e.target.value)}>
                  {DURATIONS.map((d) => (
                    <option key={d.hours} value={d.hours}>
                      {d.label}
                    </option>
                  ))}
                </Select>
              ) : (
                <Input
                  aria-label="End"
                  aria-invalid={!!fieldError('endsAt')}
                  type="datetime-local"
                  value={end}
                  onChange={(e) => setEnd(e.target.value)}
                />
              )}
              {fieldError('endsAt') ? <FieldError>{fieldError('endsAt')}</FieldError> : null}
            </div>
          </div>
          <Field
            id="silence-comment"
            label="Comment"
            error={fieldError('comment')}
            hint="Why, and for how long."
          >
            {(p) => (
              <Textarea
                {...p}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                maxLength={ALERT_MATCHER_LIMITS.commentLength}
              />
            )}
          </Field>
          {message ? <FieldError>{message}</FieldError> : null}
          <div className="flex gap-2">
            <Button type="submit" disabled={mutation.isPending}>
              {silence ? 'Save silence' : 'Create silence'}
            </Button>
            <Button type="button" variant="outline" onClick={() => router.push('/silences')}>
              Cancel
            </Button>
          </div>
        </form>
      </SectionCard>
      <SilencePreview preview={preview} previewable={previewable} />
    </div>
  );
}
