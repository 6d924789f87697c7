'use client';

import { incidentActionItemAddInput, incidentPatch } from '@sextant/trpc/schemas';
import { Button, Checkbox, FieldError, Input, Label, Select, Textarea, toast } from '@sextant/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { Field } from '~/components/field';
import { SectionCard } from '~/components/section-card';
import { type InputIssue, stateFormErrors } from '~/lib/field-errors';
import { LocalTime } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import type { IncidentDetail } from './incident-detail-view';

function useInvalidateIncident() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.incidents.pathKey() });
}

/** The postmortem: summary and root cause (plain text, shown as written) and its action items. */
export function Postmortem({ incident, canEdit }: { incident: IncidentDetail; canEdit: boolean }) {
  return (
    <SectionCard title="Postmortem" testId="incident-postmortem">
      <div className="flex flex-col gap-6">
        {canEdit ? (
          <PostmortemText incident={incident} />
        ) : (
          <dl className="flex flex-col gap-3 text-sm">
            <Text label="Summary" value={incident.postmortemSummary} />
            <Text label="Root cause" value={incident.postmortemRootCause} />
          </dl>
        )}
        <ActionItems incident={incident} canEdit={canEdit} />
      </div>
    </SectionCard>
  );
}

function Text({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <dt className="font-medium">{label}</dt>
      <dd className="whitespace-pre-wrap break-words text-muted-foreground">{value ?? 'Not written yet.'}</dd>
    </div>
  );
}

function PostmortemText({ incident }: { incident: IncidentDetail }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateIncident();
  const [summary, setSummary] = useState(incident.postmortemSummary ?? '');
  const [rootCause, setRootCause] = useState(incident.postmortemRootCause ?? '');
  const [clientIssues, setClientIssues] = useState<InputIssue[]>([]);
  const save = useMutation(
    trpc.incidents.update.mutationOptions({
      onSuccess: () => toast.success('Postmortem saved.'),
      onSettled: invalidate,
    }),
  );
  const { fieldError, message } = stateFormErrors(
    save.error,
    clientIssues,
    ['postmortemSummary', 'postmortemRootCause'],
    'incident',
  );
  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    save.reset();
    const checked = incidentPatch.safeParse({ postmortemSummary: summary, postmortemRootCause: rootCause });
    setClientIssues(checked.success ? [] : checked.error.issues);
    if (checked.success) save.mutate({ id: incident.id, incident: checked.data });
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate data-testid="postmortem-form">
      <Field id="postmortem-summary" label="Summary" error={fieldError('postmortemSummary')}>
        {(p) => <Textarea {...p} rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} />}
      </Field>
      <Field id="postmortem-root-cause" label="Root cause" error={fieldError('postmortemRootCause')}>
        {(p) => <Textarea {...p} rows={3} value={rootCause} onChange={(e) => setRootCause(e.target.value)} />}
      </Field>
      {message ? <FieldError>{message}</FieldError> : null}
      <Button type="submit" variant="outline" className="w-fit" disabled={save.isPending}>
        Save postmortem
      </Button>
    </form>
  );
}

function ActionItems({ incident, canEdit }: { incident: IncidentDetail; canEdit: boolean }) {
  const items = incident.actionItems;
  return (
    <div className="flex flex-col gap-3">
      <h3 className="text-sm font-semibold">Action items</h3>
      {items.length === 0 ? (
        <p className="text-sm text-muted-foreground">No action items yet.</p>
      ) : (
        <ul className="flex flex-col divide-y text-sm" data-testid="action-items">
          {items.map((item) => (
            <ActionItemRow key={item.id} item={item} canEdit={canEdit} />
          ))}
        </ul>
      )}
      {canEdit ? <AddActionItem incidentId={incident.id} /> : null}
    </div>
  );
}

type Item = IncidentDetail['actionItems'][number];

function ActionItemRow({ item, canEdit }: { item: Item; canEdit: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateIncident();
  const update = useMutation(trpc.incidents.updateActionItem.mutationOptions({ onSettled: invalidate }));
  const remove = useMutation(trpc.incidents.removeActionItem.mutationOptions({ onSettled: invalidate }));
  const done = item.doneAt !== null;
  // Set in the click's own render, so the box shows what was asked until the stored value is back.
  const [asked, setAsked] = useState<boolean | null>(null);
  const checked = asked ?? done;
  const id = `action-item-${item.id}`;
  return (
    <li className="flex flex-wrap items-center gap-3 py-2" data-testid="action-item" data-done={done}>
      <Checkbox
        id={id}
        checked={checked}
        disabled={!canEdit}
        onChange={(e) => {
          setAsked(e.target.checked);
          // After the hook's onSettled (the refetch), so the stored value takes over without a flicker.
          update.mutate(
            { id: item.id, patch: { done: e.target.checked } },
            { onSettled: () => setAsked(null) },
          );
        }}
        aria-label={`Done: ${item.title}`}
      />
      <label htmlFor={id} className={done ? 'text-muted-foreground line-through' : ''}>
        {item.title}
      </label>
      <span className="text-xs text-muted-foreground" data-testid="action-item-owner">
        {item.ownerName || item.ownerEmail || 'no owner'}
      </span>
      <span className="text-xs text-muted-foreground" data-testid="action-item-due">
        {item.dueOn ? `due ${item.dueOn}` : 'no due date'}
      </span>
      {done ? (
        <span className="text-xs text-muted-foreground">
          done <LocalTime value={item.doneAt} />
        </span>
      ) : null}
      {update.error ? <FieldError>{update.error.message}</FieldError> : null}
      {canEdit ? (
        <span className="ml-auto">
          <ConfirmButton
            label="Remove"
            title="Remove this action item?"
            description={item.title}
            action={remove}
            onConfirm={() => remove.mutate({ id: item.id })}
          />
        </span>
      ) : null}
    </li>
  );
}

const EMPTY = { title: '', ownerId: '', dueOn: '' };

function AddActionItem({ incidentId }: { incidentId: string }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateIncident();
  const people = useQuery(trpc.users.directory.queryOptions());
  const [draft, setDraft] = useState(EMPTY);
  const [clientIssues, setClientIssues] = useState<InputIssue[]>([]);
  const add = useMutation(
    trpc.incidents.addActionItem.mutationOptions({
      onSuccess: () => setDraft(EMPTY),
      onSettled: invalidate,
    }),
  );
  const { fieldError, message } = stateFormErrors(add.error, clientIssues, ['title', 'ownerId', 'dueOn']);
  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    add.reset();
    const checked = incidentActionItemAddInput.safeParse({
      incidentId,
      title: draft.title,
      ownerId: draft.ownerId || null,
      dueOn: draft.dueOn || null,
    });
    setClientIssues(checked.success ? [] : checked.error.issues);
    if (checked.success) add.mutate(checked.data);
  }
  return (
    <form
      onSubmit={onSubmit}
      className="grid gap-3 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end"
      noValidate
      data-testid="action-item-form"
    >
      <Field id="action-item-title" label="New action item" error={fieldError('title')}>
        {(p) => (
          <Input {...p} value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
        )}
      </Field>
      <Field id="action-item-owner" label="Owner" error={fieldError('ownerId')}>
        {(p) => (
          <Select
            {...p}
            value={draft.ownerId}
            onChange={(e) => setDraft({ ...draft, ownerId: e.target.value })}
          >
            <option value="">No owner</option>
            {(people.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id="action-item-due" label="Due" error={fieldError('dueOn')}>
        {(p) => (
          <Input
            {...p}
            type="date"
            value={draft.dueOn}
            onChange={(e) => setDraft({ ...draft, dueOn: e.target.value })}
          />
        )}
      </Field>
      <Button type="submit" variant="outline" disabled={add.isPending}>
        Add
      </Button>
      {message ? (
        <Label className="sm:col-span-4">
          <FieldError>{message}</FieldError>
        </Label>
      ) : null}
    </form>
  );
}
