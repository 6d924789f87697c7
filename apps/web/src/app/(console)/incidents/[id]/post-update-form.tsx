'use client';

import { incidentPostUpdateInput } from '@sextant/trpc/schemas';
import { Button, FieldError, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SectionCard } from '~/components/section-card';
import { type InputIssue, stateFormErrors } from '~/lib/field-errors';
import { useTRPC } from '~/trpc/react';
import { type UpdateDraft, UpdateFields } from '../update-fields';

const EMPTY: UpdateDraft = { body: '', visibility: 'public' };

/** A timeline entry at the incident's current status, public or internal. */
export function PostUpdateForm({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<UpdateDraft>(EMPTY);
  const [clientIssues, setClientIssues] = useState<InputIssue[]>([]);
  const post = useMutation(
    trpc.incidents.postUpdate.mutationOptions({
      onSuccess: () => {
        toast.success('Update posted.');
        setDraft(EMPTY);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.incidents.pathKey() }),
    }),
  );
  const { fieldError, message } = stateFormErrors(post.error, clientIssues, ['body', 'visibility']);

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    post.reset();
    const checked = incidentPostUpdateInput.safeParse({ id, ...draft });
    setClientIssues(checked.success ? [] : checked.error.issues);
    if (checked.success) post.mutate(checked.data);
  }

  return (
    <SectionCard title="Post update">
      <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate data-testid="post-update-form">
        <UpdateFields
          idPrefix="post-update"
          label="Update"
          value={draft}
          onChange={setDraft}
          error={fieldError('body')}
        />
        {message ? <FieldError>{message}</FieldError> : null}
        <Button type="submit" className="w-fit" disabled={post.isPending}>
          Post update
        </Button>
      </form>
    </SectionCard>
  );
}
