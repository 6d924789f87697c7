'use client';

import { MAINTENANCE_LIMITS } from '@sextant/trpc/limits';
import { maintenanceInput } from '@sextant/trpc/schemas';
import { Button, FieldError, Input, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { Field } from '~/components/field';
import { SectionCard } from '~/components/section-card';
import { type InputIssue, stateFormErrors } from '~/lib/field-errors';
import { SERVICE_CHOICES } from '~/lib/incidents';
import { instantToZoned, RRULE_PRESETS, zonedToInstant } from '~/lib/maintenances';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { type Schedule, type ScheduleDraft, ScheduleFields } from './schedule-fields';
import { type TargetRow, TargetsFields } from './targets-fields';

const FIELDS = ['title', 'description', 'startsAt', 'endsAt', 'rrule', 'timeZone', 'targets'];
const MINUTE = 60_000;

type Saved = RouterOutputs['maintenances']['get'];

function draftOf(saved: Saved | undefined): ScheduleDraft {
  if (!saved)
    return {
      kind: 'once',
      timeZone: 'UTC',
      start: '',
      end: '',
      durationMinutes: '60',
      rrule: RRULE_PRESETS[1].rrule,
    };
  return {
    kind: saved.rrule ? 'recurring' : 'once',
    timeZone: saved.timeZone,
    start: instantToZoned(saved.startsAt, saved.timeZone),
    end: instantToZoned(saved.endsAt, saved.timeZone),
    durationMinutes: String(saved.durationMinutes),
    rrule: saved.rrule ?? RRULE_PRESETS[1].rrule,
  };
}

/** The instants the schedule draft means: wall times read in its zone, a recurring end as start + duration. */
function scheduleOf(d: ScheduleDraft): Schedule {
  const startsAt = zonedToInstant(d.start, d.timeZone.trim());
  const minutes = Number(d.durationMinutes);
  const endsAt =
    d.kind === 'once'
      ? zonedToInstant(d.end, d.timeZone.trim())
      : startsAt && d.durationMinutes.trim() && Number.isFinite(minutes)
        ? new Date(startsAt.getTime() + minutes * MINUTE)
        : undefined;
  return { startsAt, endsAt, rrule: d.kind === 'recurring' ? d.rrule : null, timeZone: d.timeZone };
}

/** Schedule (no `saved`) or edit a window; the shared schema checks first, the server's coded refusals land on fields. */
export function MaintenanceForm({ saved }: { saved?: Saved }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const services = useSuspenseQuery(trpc.services.list.queryOptions(SERVICE_CHOICES));
  const environments = useSuspenseQuery(trpc.environments.list.queryOptions());
  const [title, setTitle] = useState(saved?.title ?? '');
  const [description, setDescription] = useState(saved?.description ?? '');
  const [draft, setDraft] = useState(() => draftOf(saved));
  const [targets, setTargets] = useState<TargetRow[]>(
    saved?.targets.map((t) => ({ serviceId: t.serviceId, environmentId: t.environmentId })) ?? [],
  );
  const [clientIssues, setClientIssues] = useState<InputIssue[]>([]);

  const done = (what: string) => {
    toast.success(what);
    void queryClient.invalidateQueries({ queryKey: trpc.maintenances.pathKey() });
    router.push('/maintenances');
  };
  const create = useMutation(
    trpc.maintenances.create.mutationOptions({ onSuccess: () => done('Maintenance scheduled.') }),
  );
  const update = useMutation(
    trpc.maintenances.update.mutationOptions({ onSuccess: () => done('Maintenance saved.') }),
  );
  const mutation = saved ? update : create;
  const { issues, fieldError, message } = stateFormErrors(
    mutation.error,
    clientIssues,
    FIELDS,
    saved ? 'maintenance' : undefined,
  );
  // Stable between renders: the preview debounces it, and a new object each render would re-arm it forever.
  const schedule = useMemo(() => scheduleOf(draft), [draft]);

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    mutation.reset();
    // Missing times read as a plain sentence rather than zod's "expected date".
    const own: InputIssue[] = [];
    if (!schedule.startsAt) own.push({ path: ['startsAt'], message: 'Pick a start in a known time zone.' });
    if (!schedule.endsAt)
      own.push({
        path: ['endsAt'],
        message: draft.kind === 'once' ? 'Pick an end.' : 'Give a duration in minutes.',
      });
    const checked = maintenanceInput.safeParse({ title, description, ...schedule, targets });
    const all = [...own, ...(checked.success ? [] : checked.error.issues)];
    setClientIssues(all);
    if (!checked.success || own.length) return;
    if (saved) update.mutate({ id: saved.id, maintenance: checked.data });
    else create.mutate(checked.data);
  }

  return (
    <SectionCard title="Maintenance window">
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate data-testid="maintenance-form">
        <Field id="maintenance-title" label="Title" error={fieldError('title')}>
          {(p) => (
            <Input
              {...p}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              maxLength={MAINTENANCE_LIMITS.titleLength}
            />
          )}
        </Field>
        <Field
          id="maintenance-description"
          label="Description"
          error={fieldError('description')}
          hint="Optional; what is done and what users may notice."
        >
          {(p) => (
            <Textarea
              {...p}
              rows={3}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              maxLength={MAINTENANCE_LIMITS.descriptionLength}
            />
          )}
        </Field>
        <ScheduleFields
          draft={draft}
          onChange={(change) => setDraft((d) => ({ ...d, ...change }))}
          schedule={schedule}
          fieldError={fieldError}
        />
        <TargetsFields
          rows={targets}
          onChange={setTargets}
          services={services.data}
          environments={environments.data}
          issues={issues}
          error={fieldError('targets')}
        />
        {message ? <FieldError>{message}</FieldError> : null}
        <div className="flex gap-2">
          <Button type="submit" disabled={mutation.isPending}>
            {saved ? 'Save window' : 'Schedule window'}
          </Button>
          <Button type="button" variant="outline" onClick={() => router.push('/maintenances')}>
            Back
          </Button>
        </div>
      </form>
    </SectionCard>
  );
}
