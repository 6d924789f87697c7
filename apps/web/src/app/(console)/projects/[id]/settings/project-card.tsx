'use client';

import { PROJECT_LIMITS, projectPatch } from '@sextant/trpc/schemas';
import { Input, Select, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Field, NumberField } from '~/components/field';
import { Form } from '~/components/form';
import { SectionCard } from '~/components/section-card';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import { type Person, type Project, THRESHOLD_HINTS } from './settings-shared';

const KEYS = [
  'name',
  'description',
  'ownerUserId',
  'startDate',
  'targetDate',
  'defaultEstimate',
  'riskGapPercent',
  'stallDays',
] as const;
const THRESHOLDS = ['defaultEstimate', 'riskGapPercent', 'stallDays'] as const;
const THRESHOLD_LABEL = {
  defaultEstimate: 'Default estimate (points)',
  riskGapPercent: 'Risk gap (%)',
  stallDays: 'Stall days',
} as const;

/** Name, description, owner, dates and the thresholds the progress rules read. */
export function ProjectCard({
  project: p,
  people,
  canWrite,
}: {
  project: Project;
  people: Person[];
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.projects.update.mutationOptions({
      onSuccess: () => {
        toast.success('Project saved.');
        return queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
      },
    }),
  );
  const { errors, message, accept } = useFormErrors(update.error, { at: 'project' });

  if (!canWrite) {
    return (
      <SectionCard title="Project" testId="project-summary">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="text-muted-foreground">Owner</dt>
          <dd>{p.ownerName ?? 'Nobody'}</dd>
          <dt className="text-muted-foreground">Start → target</dt>
          <dd>
            {p.startDate} → {p.targetDate ?? 'no target date'}
          </dd>
          {THRESHOLDS.map((t) => (
            <div key={t} className="contents">
              <dt className="text-muted-foreground">{THRESHOLD_LABEL[t]}</dt>
              <dd>
                {p[t]} <span className="text-xs text-muted-foreground">— {THRESHOLD_HINTS[t]}</span>
              </dd>
            </div>
          ))}
        </dl>
      </SectionCard>
    );
  }

  function onSubmit(form: HTMLFormElement) {
    update.reset();
    const t = readForm(form, KEYS);
    const number = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));
    const input = accept(
      validate(
        projectPatch,
        {
          name: t.name.trim(),
          description: t.description.trim() || null,
          ownerUserId: t.ownerUserId || null,
          startDate: t.startDate,
          targetDate: t.targetDate || null,
          defaultEstimate: number(t.defaultEstimate),
          riskGapPercent: number(t.riskGapPercent),
          stallDays: number(t.stallDays),
        },
        inputField,
      ),
    );
    if (input) update.mutate({ id: p.id, project: projectPatch.parse(input) });
  }

  return (
    <SectionCard title="Project" description="What the dashboard and the progress rules read.">
      <Form onSubmit={onSubmit} message={message} submitLabel="Save project" pending={update.isPending}>
        <Field id="project-name" label="Name" error={errors.name}>
          {(c) => <Input {...c} name="name" defaultValue={p.name} maxLength={PROJECT_LIMITS.nameLength} />}
        </Field>
        <Field id="project-description" label="Description (optional)" error={errors.description}>
          {(c) => <Textarea {...c} name="description" rows={2} defaultValue={p.description ?? ''} />}
        </Field>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field id="project-owner" label="Owner" error={errors.ownerUserId}>
            {(c) => (
              <Select {...c} name="ownerUserId" defaultValue={p.ownerUserId ?? ''}>
                <option value="">Nobody</option>
                {people.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field id="project-start" label="Start date" error={errors.startDate}>
            {(c) => <Input {...c} name="startDate" type="date" defaultValue={p.startDate} />}
          </Field>
          <Field id="project-target" label="Target date (optional)" error={errors.targetDate}>
            {(c) => <Input {...c} name="targetDate" type="date" defaultValue={p.targetDate ?? ''} />}
          </Field>
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          {THRESHOLDS.map((t) => (
            <NumberField
              key={t}
              id={`project-${t}`}
              label={THRESHOLD_LABEL[t]}
              name={t}
              range={PROJECT_LIMITS[t]}
              defaultValue={String(p[t])}
              error={errors[t]}
              hint={THRESHOLD_HINTS[t]}
            />
          ))}
        </div>
      </Form>
    </SectionCard>
  );
}
