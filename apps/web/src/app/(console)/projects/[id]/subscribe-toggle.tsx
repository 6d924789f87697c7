'use client';

import { Checkbox, FieldError, Label } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';

/** One's own weekly digest mail for this project (any signed-in role: it changes nothing of the project). */
export function SubscribeToggle({ projectId, subscribed }: { projectId: string; subscribed: boolean }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  // Ticks at once; a refused call puts it back.
  const [checked, setChecked] = useState(subscribed);
  const options = {
    onError: () => setChecked((c) => !c),
    onSettled: () =>
      queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ id: projectId }) }),
  };
  const subscribe = useMutation(trpc.projects.subscribe.mutationOptions(options));
  const unsubscribe = useMutation(trpc.projects.unsubscribe.mutationOptions(options));
  const pending = subscribe.isPending || unsubscribe.isPending;
  const error = subscribe.error ?? unsubscribe.error;
  return (
    <div className="flex flex-col gap-1 print:hidden">
      <div className="flex items-center gap-2">
        <Checkbox
          id="project-digest"
          checked={checked}
          disabled={!hydrated || pending}
          onChange={(e) => {
            setChecked(e.target.checked);
            (e.target.checked ? subscribe : unsubscribe).mutate({ projectId });
          }}
        />
        <Label htmlFor="project-digest">Subscribe to weekly digest</Label>
      </div>
      {error ? <FieldError>{error.message}</FieldError> : null}
    </div>
  );
}
