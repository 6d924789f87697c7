'use client';

import { WORK_ITEM_STATUSES } from '@sextant/db/enums';
import { WORK_ITEM_LIMITS } from '@sextant/trpc/limits';
import { workItemCreate, workItemPatch } from '@sextant/trpc/schemas';
import { Input, Select, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import { type Item, type Milestone, type Person, parseLabels, STATUS_LABEL } from './items-shared';
import { ReleasePicker } from './release-picker';

const KEYS = ['title', 'estimate', 'status', 'milestoneId', 'assigneeUserId', 'labels', 'dueDate'] as const;

/** New item, or every field of one item (sent as a full patch). */
export function ItemDialog({
  projectId,
  item,
  milestones,
  people,
}: {
  projectId: string;
  item?: Item;
  milestones: Milestone[];
  people: Person[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [releaseId, setReleaseId] = useState<string | null>(item?.releaseId ?? null);
  const done = (message: string) => {
    toast.success(message);
    setOpen(false);
    return queryClient.invalidateQueries({ queryKey: trpc.workItems.pathKey() });
  };
  const create = useMutation(trpc.workItems.create.mutationOptions({ onSuccess: () => done('Item added.') }));
  const update = useMutation(trpc.workItems.update.mutationOptions({ onSuccess: () => done('Item saved.') }));
  const mutation = item ? update : create;
  const { errors, dialog, submit } = useFormDialog(mutation, [open, setOpen], {
    at: item ? 'patch' : undefined,
    onOpen: () => setReleaseId(item?.releaseId ?? null),
  });

  function onSubmit(form: HTMLFormElement) {
    const text = readForm(form, KEYS);
    const estimate = text.estimate.trim();
    const fields = {
      title: text.title.trim(),
      estimate: estimate === '' ? null : Number(estimate),
      status: text.status,
      milestoneId: text.milestoneId || null,
      assigneeUserId: text.assigneeUserId || null,
      labels: parseLabels(text.labels),
      dueDate: text.dueDate || null,
      releaseId,
    };
    const badNumber =
      estimate !== '' && !/^\d+$/.test(estimate) ? { estimate: 'Whole points, 0 or more.' } : {};
    if (item) {
      const input = submit(validate(workItemPatch, fields, inputField, badNumber));
      if (input) update.mutate({ id: item.id, patch: workItemPatch.parse(input) });
    } else {
      const input = submit(validate(workItemCreate, { ...fields, projectId }, inputField, badNumber));
      if (input) create.mutate(workItemCreate.parse(input));
    }
  }

  return (
    <FormDialog
      {...dialog}
      editing={!!item}
      createLabel="New item"
      title={item ? 'Edit item' : 'New item'}
      description="Un-estimated items count the project's default estimate in progress by estimate."
      wide
      onSubmit={onSubmit}
      submitLabel={mutation.isPending ? 'Saving…' : item ? 'Save item' : 'Add item'}
    >
      <Field id="item-title" label="Title" error={errors.title}>
        {(p) => (
          <Input {...p} name="title" defaultValue={item?.title} maxLength={WORK_ITEM_LIMITS.titleLength} />
        )}
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="item-estimate" label="Estimate (points, optional)" error={errors.estimate}>
          {(p) => (
            <Input
              {...p}
              name="estimate"
              inputMode="numeric"
              defaultValue={item?.estimate ?? ''}
              placeholder="un-estimated"
            />
          )}
        </Field>
        <Field id="item-status" label="Status" error={errors.status}>
          {(p) => (
            <Select {...p} name="status" defaultValue={item?.status ?? 'todo'}>
              {WORK_ITEM_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="item-milestone" label="Milestone" error={errors.milestoneId}>
          {(p) => (
            <Select {...p} name="milestoneId" defaultValue={item?.milestoneId ?? ''}>
              <option value="">No milestone</option>
              {milestones.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="item-assignee" label="Assignee" error={errors.assigneeUserId}>
          {(p) => (
            <Select {...p} name="assigneeUserId" defaultValue={item?.assigneeUserId ?? ''}>
              <option value="">Nobody</option>
              {people.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field
          id="item-due"
          label="Due (optional)"
          error={errors.dueDate}
          hint="Not before the project starts."
        >
          {(p) => <Input {...p} name="dueDate" type="date" defaultValue={item?.dueDate ?? ''} />}
        </Field>
      </div>
      <Field
        id="item-labels"
        label="Labels (optional)"
        error={errors.labels}
        hint={`Separated by commas; at most ${WORK_ITEM_LIMITS.labels}.`}
      >
        {(p) => <Input {...p} name="labels" defaultValue={item?.labels.join(', ')} autoComplete="off" />}
      </Field>
      <ReleasePicker value={releaseId} onChange={setReleaseId} error={errors.releaseId} />
    </FormDialog>
  );
}
