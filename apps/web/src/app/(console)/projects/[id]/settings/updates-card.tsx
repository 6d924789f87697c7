'use client';

import { PROJECT_HEALTHS } from '@sextant/db/enums';
import { PROJECT_LIMITS, projectUpdateInput } from '@sextant/trpc/schemas';
import { Badge, Select, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { Field } from '~/components/field';
import { Form } from '~/components/form';
import { SectionCard } from '~/components/section-card';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { LocalTime } from '~/lib/local-time';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import { UPDATES_SHOWN } from './settings-shared';

const HEALTH_LABEL = { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' } as const;
const HEALTH_TONE = { on_track: 'success', at_risk: 'warning', off_track: 'danger' } as const;

/** The owner's dated notes with the health they state; the computed health is the dashboard's. */
export function UpdatesCard({ projectId, canWrite }: { projectId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const updates = useSuspenseQuery(
    trpc.projects.listUpdates.queryOptions({ projectId, limit: UPDATES_SHOWN }),
  );
  const add = useMutation(
    trpc.projects.addUpdate.mutationOptions({
      onSuccess: () => {
        toast.success('Update posted.');
        return queryClient.invalidateQueries({ queryKey: trpc.projects.listUpdates.pathKey() });
      },
    }),
  );
  const { errors, message, accept } = useFormErrors(add.error);

  function onSubmit(form: HTMLFormElement) {
    add.reset();
    const t = readForm(form, ['note', 'health']);
    const input = accept(
      validate(
        projectUpdateInput,
        { projectId, note: t.note.trim(), health: (t.health || null) as never },
        inputField,
      ),
    );
    if (input)
      add.mutate(projectUpdateInput.parse(input), {
        onSuccess: () => form.reset(),
      });
  }

  return (
    <SectionCard title="Owner's updates" description="A dated note with the health you state, newest first.">
      <div className="flex flex-col gap-4">
        {canWrite ? (
          <Form onSubmit={onSubmit} message={message} submitLabel="Post update" pending={add.isPending}>
            <Field id="update-note" label="Note" error={errors.note}>
              {(c) => <Textarea {...c} name="note" rows={3} maxLength={PROJECT_LIMITS.noteLength} />}
            </Field>
            <Field id="update-health" label="Stated health (optional)" error={errors.health}>
              {(c) => (
                <Select {...c} name="health" defaultValue="" className="w-48">
                  <option value="">Not stated</option>
                  {PROJECT_HEALTHS.map((h) => (
                    <option key={h} value={h}>
                      {HEALTH_LABEL[h]}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </Form>
        ) : null}
        {updates.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">No updates yet.</p>
        ) : (
          <ul className="flex flex-col gap-3" data-testid="project-updates">
            {updates.data.map((u) => (
              <li key={u.id} className="flex flex-col gap-1 border-l-2 pl-3 text-sm">
                <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
                  <LocalTime value={u.createdAt} />
                  <span>{u.authorName ?? 'someone'}</span>
                  {u.health ? <Badge tone={HEALTH_TONE[u.health]}>{HEALTH_LABEL[u.health]}</Badge> : null}
                </div>
                <p className="whitespace-pre-wrap">{u.note}</p>
              </li>
            ))}
          </ul>
        )}
      </div>
    </SectionCard>
  );
}
