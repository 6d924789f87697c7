'use client';

import { API_KEY_ROLES, type ApiKeyRole, type Role, roleAtLeast } from '@sextant/db/roles';
import { apiKeyInput } from '@sextant/trpc/schemas';
import { dateProblem, TIME_LIMITS } from '@sextant/trpc/time-range';
import { Input, SecretValue, Select, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SecretShownOnce } from '~/components/action-dialog';
import { Field, Options } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { useFormDialog } from '~/lib/use-form-errors';
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

/** Create a key of the caller's role or lower; the key is shown once, and closing the dialog forgets it. */
export function CreateApiKeyDialog({ role }: { role: Role }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const open = useState(false);
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: ({ apiKey }) => {
        toast.success(`Created “${apiKey.name}”.`);
        return queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
      },
    }),
  );
  const { errors, dialog, submit } = useFormDialog(create, open);
  const allowedRoles = API_KEY_ROLES.filter((r) => roleAtLeast(role, r));

  function onSubmit(form: HTMLFormElement) {
    const text = readForm(form, ['name', 'role', 'expiresAt']);
    const expiresAt = text.expiresAt ? endOfLocalDay(text.expiresAt) : undefined;
    const problem = !expiresAt
      ? null
      : Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now()
        ? 'Pick a day in the future.'
        : dateProblem(expiresAt.getTime());
    const input = submit(
      validate(
        apiKeyInput,
        { name: text.name, role: text.role as ApiKeyRole, expiresAt },
        inputField,
        problem ? { expiresAt: problem } : {},
      ),
    );
    if (input) create.mutate(input);
  }

  return (
    <FormDialog
      {...dialog}
      createLabel="Create API key"
      title="Create API key"
      description="The key can have your role or a lower one, at most maintainer: admin work needs a signed-in person."
      result={
        create.data ? (
          <SecretShownOnce
            title="API key created"
            description={`Copy “${create.data.apiKey.name}” now. It will not be shown again; only its prefix is kept.`}
          >
            <SecretValue value={create.data.key} data-testid="new-api-key" />
            <div className="flex min-w-0 flex-col gap-1.5 text-sm">
              <span className="text-muted-foreground">Send it to the API as</span>
              <pre className="whitespace-pre-wrap break-all rounded-md bg-muted p-2 font-mono text-xs">
                Authorization: Bearer {create.data.key}
              </pre>
            </div>
          </SecretShownOnce>
        ) : null
      }
      onSubmit={onSubmit}
      submitLabel={create.isPending ? 'Creating…' : 'Create API key'}
    >
      <Field id="api-key-name" label="Name" error={errors.name}>
        {(p) => <Input {...p} name="name" autoComplete="off" placeholder="e.g. deploy bot" />}
      </Field>
      <Field id="api-key-role" label="Role" error={errors.role}>
        {(p) => (
          <Select {...p} name="role" defaultValue="viewer">
            <Options values={allowedRoles} />
          </Select>
        )}
      </Field>
      <Field
        id="api-key-expires"
        label="Expires on (optional)"
        error={errors.expiresAt}
        hint="Valid until the end of that day, your time. Empty means it never expires."
      >
        {(p) => (
          <Input
            {...p}
            name="expiresAt"
            type="date"
            className="dark:[color-scheme:dark]"
            min={localDay(new Date())}
            max={localDay(new Date(Date.now() + TIME_LIMITS.maxAheadMs))}
          />
        )}
      </Field>
    </FormDialog>
  );
}
