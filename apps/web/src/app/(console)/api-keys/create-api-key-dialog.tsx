'use client';

import { API_KEY_ROLES, type ApiKeyRole, type Role, roleAtLeast } from '@sextant/db/roles';
import { apiKeyInput } from '@sextant/trpc/schemas';
import { dateProblem, TIME_LIMITS } from '@sextant/trpc/time-range';
import {
  Button,
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogTitle,
  DialogTrigger,
  FieldError,
  Input,
  Label,
  SecretValue,
  Select,
  toast,
} from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { inputField, validate } from '~/lib/field-errors';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

/** `YYYY-MM-DD` for the local calendar day, as `<input type="date">` uses. */
function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A key "expiring on" a day works through that whole local day. */
function endOfLocalDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d!, 23, 59, 59, 999);
}

export function CreateApiKeyDialog({ role }: { role: Role }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: ({ apiKey }) => {
        toast.success(`Created “${apiKey.name}”.`);
        return queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
      },
    }),
  );
  const { errors, message, accept, clear } = useFormErrors(create.error);
  const allowedRoles = API_KEY_ROLES.filter((r) => roleAtLeast(role, r));

  function onOpenChange(next: boolean) {
    setOpen(next);
    // The key is shown once: closing the dialog forgets it.
    if (!next) {
      create.reset();
      clear();
    }
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const day = String(form.get('expiresAt') ?? '');
    const expiresAt = day ? endOfLocalDay(day) : undefined;
    const problem = !expiresAt
      ? null
      : Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now()
        ? 'Pick a day in the future.'
        : dateProblem(expiresAt.getTime());
    create.reset(); // drop the previous server errors so only the current problems show
    const input = accept(
      validate(
        apiKeyInput,
        { name: String(form.get('name') ?? ''), role: String(form.get('role')) as ApiKeyRole, expiresAt },
        inputField,
        problem ? { expiresAt: problem } : {},
      ),
    );
    if (input) create.mutate(input);
  }

  const expiresAtError = errors.expiresAt;

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>Create API key</Button>
      </DialogTrigger>
      <DialogContent>
        {create.data ? (
          <>
            <DialogTitle>API key created</DialogTitle>
            <DialogDescription>
              Copy “{create.data.apiKey.name}” now. It will not be shown again; only its prefix is kept.
            </DialogDescription>
            <SecretValue value={create.data.key} data-testid="new-api-key" />
            <div className="flex min-w-0 flex-col gap-1.5 text-sm">
              <span className="text-muted-foreground">Send it to the API as</span>
              <pre className="whitespace-pre-wrap break-all rounded-md bg-muted p-2 font-mono text-xs">
                Authorization: Bearer {create.data.key}
              </pre>
            </div>
            <div className="flex justify-end">
              <DialogClose asChild>
                <Button>Done</Button>
              </DialogClose>
            </div>
          </>
        ) : (
          <>
            <DialogTitle>Create API key</DialogTitle>
            <DialogDescription>
              The key can have your role or a lower one, at most maintainer: admin work needs a signed-in
              person.
            </DialogDescription>
            <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="api-key-name">Name</Label>
                <Input
                  id="api-key-name"
                  name="name"
                  autoComplete="off"
                  placeholder="e.g. deploy bot"
                  aria-invalid={!!errors.name}
                  aria-describedby={errors.name ? 'api-key-name-error' : undefined}
                />
                {errors.name ? <FieldError id="api-key-name-error">{errors.name}</FieldError> : null}
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="api-key-role">Role</Label>
                <Select id="api-key-role" name="role" defaultValue="viewer" aria-invalid={!!errors.role}>
                  {allowedRoles.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </Select>
                {errors.role ? <FieldError>{errors.role}</FieldError> : null}
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="api-key-expires">Expires on (optional)</Label>
                <Input
                  id="api-key-expires"
                  name="expiresAt"
                  type="date"
                  className="dark:[color-scheme:dark]"
                  min={localDay(new Date())}
                  max={localDay(new Date(Date.now() + TIME_LIMITS.maxAheadMs))}
                  aria-invalid={!!expiresAtError}
                  aria-describedby={expiresAtError ? 'api-key-expires-error' : 'api-key-expires-hint'}
                />
                {expiresAtError ? (
                  <FieldError id="api-key-expires-error">{expiresAtError}</FieldError>
                ) : (
                  <p id="api-key-expires-hint" className="text-xs text-muted-foreground">
                    Valid until the end of that day, your time. Empty means it never expires.
                  </p>
                )}
              </div>
              {message ? <FieldError>{message}</FieldError> : null}
              <div className="flex justify-end gap-2">
                <DialogClose asChild>
                  <Button type="button" variant="outline">
                    Cancel
                  </Button>
                </DialogClose>
                <Button type="submit" disabled={create.isPending}>
                  {create.isPending ? 'Creating…' : 'Create API key'}
                </Button>
              </div>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
