'use client';

import { PROJECT_LIMITS, projectInput } from '@sextant/trpc/schemas';
import { Input, Select, Textarea, toast } from '@sextant/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Field } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

/** `YYYY-MM-DD` of the local calendar day, as `<input type="date">` uses. */
function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A new project (maintainers and admins): checked with the API's own schema, then its dashboard opens. */
export function CreateProjectDialog() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  // The owner picker lists enabled people by display name, as incidents' action items do.
  const people = useQuery({ ...trpc.users.directory.queryOptions(), enabled: open });
  const create = useMutation(
    trpc.projects.create.mutationOptions({
      onSuccess: async (project) => {
        toast.success(`Created ${project.name}.`);
        setOpen(false);
        await queryClient.invalidateQueries({ queryKey: trpc.progress.portfolio.queryKey() });
        router.push(`/projects/${project.id}`);
      },
    }),
  );
  const { errors, dialog, submit } = useFormDialog(create, [open, setOpen]);

  function onSubmit(form: HTMLFormElement) {
    const text = readForm(form, ['name', 'description', 'ownerUserId', 'startDate', 'targetDate']);
    const input = submit(
      validate(
        projectInput,
        {
          name: text.name.trim(),
          description: text.description.trim() || null,
          ownerUserId: text.ownerUserId || null,
          startDate: text.startDate,
          targetDate: text.targetDate || null,
        },
        inputField,
      ),
    );
    if (input) create.mutate(input);
  }

  return (
    <FormDialog
      {...dialog}
      createLabel="New project"
      title="New project"
      description="Milestones, work items, members and thresholds are set on its pages once it exists."
      onSubmit={onSubmit}
      submitLabel={create.isPending ? 'Creating…' : 'Create project'}
    >
      <Field id="project-name" label="Name" error={errors.name}>
        {(p) => (
          <Input
            {...p}
            name="name"
            autoComplete="off"
            maxLength={PROJECT_LIMITS.nameLength}
            placeholder="e.g. Checkout v2"
          />
        )}
      </Field>
      <Field id="project-description" label="Description (optional)" error={errors.description}>
        {(p) => <Textarea {...p} name="description" rows={2} maxLength={PROJECT_LIMITS.descriptionLength} />}
      </Field>
      <Field id="project-owner" label="Owner (optional)" error={errors.ownerUserId}>
        {(p) => (
          <Select {...p} name="ownerUserId" defaultValue="">
            <option value="">No owner</option>
            {(people.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="project-start" label="Start date" error={errors.startDate}>
          {(p) => <Input {...p} name="startDate" type="date" defaultValue={localDay(new Date())} />}
        </Field>
        <Field id="project-target" label="Target date (optional)" error={errors.targetDate}>
          {(p) => <Input {...p} name="targetDate" type="date" />}
        </Field>
      </div>
    </FormDialog>
  );
}
