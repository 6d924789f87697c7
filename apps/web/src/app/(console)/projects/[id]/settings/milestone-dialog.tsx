'use client';

import { milestoneInput, milestonePatch, PROJECT_LIMITS } from '@sextant/trpc/schemas';
import { Input, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import type { Milestone } from './settings-shared';

/** New milestone (appended last), or one milestone's fields; coded refusals show on their field. */
export function MilestoneDialog({ projectId, milestone }: { projectId: string; milestone?: Milestone }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const done = (message: string) => {
    toast.success(message);
    setOpen(false);
    return queryClient.invalidateQueries({ queryKey: trpc.milestones.pathKey() });
  };
  const create = useMutation(
    trpc.milestones.create.mutationOptions({ onSuccess: () => done('Milestone added.') }),
  );
  const update = useMutation(
    trpc.milestones.update.mutationOptions({ onSuccess: () => done('Milestone saved.') }),
  );
  const mutation = milestone ? update : create;
  // Zod issues arrive under `milestone`; a service's coded refusal (MILESTONE_DUE_BEFORE_START) names the field.
  const { errors, dialog, submit } = useFormDialog(mutation, [open, setOpen], { at: 'milestone' });

  function onSubmit(form: HTMLFormElement) {
    const t = readForm(form, ['name', 'dueDate', 'description']);
    const fields = {
      name: t.name.trim(),
      dueDate: t.dueDate || null,
      description: t.description.trim() || null,
    };
    if (milestone) {
      const input = submit(validate(milestonePatch, fields, inputField));
      if (input) update.mutate({ id: milestone.id, milestone: input });
    } else {
      const input = submit(validate(milestoneInput, fields, inputField));
      if (input) create.mutate({ projectId, milestone: input });
    }
  }

  return (
    <FormDialog
      {...dialog}
      editing={!!milestone}
      createLabel="New milestone"
      title={milestone ? 'Edit milestone' : 'New milestone'}
      description="A milestone may not be due before the project starts."
      onSubmit={onSubmit}
      submitLabel={mutation.isPending ? 'Saving…' : milestone ? 'Save milestone' : 'Add milestone'}
    >
      <Field id="milestone-name" label="Name" error={errors.name}>
        {(c) => (
          <Input
            {...c}
            name="name"
            defaultValue={milestone?.name}
            maxLength={PROJECT_LIMITS.nameLength}
            autoComplete="off"
          />
        )}
      </Field>
      <Field id="milestone-due" label="Due date (optional)" error={errors.dueDate}>
        {(c) => <Input {...c} name="dueDate" type="date" defaultValue={milestone?.dueDate ?? ''} />}
      </Field>
      <Field id="milestone-description" label="Description (optional)" error={errors.description}>
        {(c) => <Textarea {...c} name="description" rows={2} defaultValue={milestone?.description ?? ''} />}
      </Field>
    </FormDialog>
  );
}
