'use client';

import { environmentInput } from '@sextant/trpc/schemas';
import { Button, Input, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EnvironmentKindBadge } from '~/components/environment-kind-badge';
import { Field } from '~/components/field';
import { RefreshError } from '~/components/refresh-error';
import { TableCard } from '~/components/table-card';
import { inputField, validate } from '~/lib/field-errors';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

export function EnvironmentsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const environments = useSuspenseQuery(trpc.environments.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.environments.list.queryKey() });
  const onError = (e: { message: string }) => toast.error(e.message);
  const create = useMutation(trpc.environments.create.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.environments.update.mutationOptions({ onSuccess: refresh, onError }));
  const reorder = useMutation(trpc.environments.reorder.mutationOptions({ onSuccess: refresh, onError }));
  const [name, setName] = useState('');
  const { errors, message, accept } = useFormErrors(create.error);
  const list = environments.data;

  function move(index: number, by: -1 | 1) {
    const ids = list.map((e) => e.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    reorder.mutate({ ids });
  }

  function rename(id: string, current: string) {
    const next = window.prompt('New name', current)?.trim();
    if (next && next !== current) update.mutate({ id, name: next });
  }

  return (
    <TableCard
      title="Environments"
      description="In promotion order. Checks and metrics are scoped by environment. Promotions into an environment that requires approval wait until someone other than the releaser approves."
      columns={[{ label: 'Order' }, { label: 'Name' }, { label: 'Kind' }, { label: 'Promotions' }]}
      rowActions
      rows={list.length}
      empty="No environments."
      testId="environments-admin"
      toolbar={<RefreshError queries={[environments]} />}
      footer={
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            create.reset();
            const input = accept(validate(environmentInput, { name, isProduction: false }, inputField));
            if (input) create.mutate(input, { onSuccess: () => setName('') });
          }}
        >
          <Field
            id="env-name"
            label="New environment"
            error={errors.name ?? message}
            className="flex flex-1 flex-col gap-1.5"
          >
            {(control) => (
              <Input
                {...control}
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder="e.g. STAGING"
              />
            )}
          </Field>
          <Button type="submit" disabled={create.isPending}>
            Add environment
          </Button>
        </form>
      }
    >
      {list.map((env, i) => (
        <TableRow key={env.id}>
          <TableCell className="tabular-nums text-muted-foreground">{i + 1}</TableCell>
          <TableCell className="font-medium">{env.name}</TableCell>
          <TableCell>
            <EnvironmentKindBadge isProduction={env.isProduction} />
          </TableCell>
          <TableCell className="text-sm" data-testid="env-approval">
            {env.requiresApproval ? 'Require approval' : 'No approval'}
          </TableCell>
          <TableCell className="flex justify-end gap-1">
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Move ${env.name} up`}
              disabled={i === 0}
              onClick={() => move(i, -1)}
            >
              ↑
            </Button>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Move ${env.name} down`}
              disabled={i === list.length - 1}
              onClick={() => move(i, 1)}
            >
              ↓
            </Button>
            <Button size="sm" variant="outline" onClick={() => rename(env.id, env.name)}>
              Rename
            </Button>
            <Button
              size="sm"
              variant="outline"
              onClick={() => update.mutate({ id: env.id, isProduction: !env.isProduction })}
            >
              {env.isProduction ? 'Mark non-production' : 'Mark production'}
            </Button>
            <Button
              size="sm"
              variant="outline"
              onClick={() => update.mutate({ id: env.id, requiresApproval: !env.requiresApproval })}
            >
              {env.requiresApproval ? 'Drop approval' : 'Require approval'}
            </Button>
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
