'use client';

import { environmentInput } from '@sextant/trpc/schemas';
import {
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  FieldError,
  Input,
  Label,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  toast,
} from '@sextant/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { EnvironmentKindBadge } from '~/components/environment-kind-badge';
import { inputField, validate } from '~/lib/field-errors';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

export function EnvironmentsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const environments = useQuery(trpc.environments.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.environments.list.queryKey() });
  const onError = (e: { message: string }) => toast.error(e.message);
  const create = useMutation(trpc.environments.create.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.environments.update.mutationOptions({ onSuccess: refresh, onError }));
  const reorder = useMutation(trpc.environments.reorder.mutationOptions({ onSuccess: refresh, onError }));
  const [name, setName] = useState('');
  const { errors, message, accept } = useFormErrors(create.error);
  const list = environments.data ?? [];

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
    <Card>
      <CardHeader>
        <CardTitle>Environments</CardTitle>
        <CardDescription>In promotion order. Checks and metrics are scoped by environment.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <Table data-testid="environments-admin">
          <TableHeader>
            <TableRow>
              <TableHead>Order</TableHead>
              <TableHead>Name</TableHead>
              <TableHead>Kind</TableHead>
              <TableHead className="text-right">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.map((env, i) => (
              <TableRow key={env.id}>
                <TableCell className="tabular-nums text-muted-foreground">{i + 1}</TableCell>
                <TableCell className="font-medium">{env.name}</TableCell>
                <TableCell>
                  <EnvironmentKindBadge isProduction={env.isProduction} />
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
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            create.reset();
            const input = accept(validate(environmentInput, { name, isProduction: false }, inputField));
            if (input) create.mutate(input, { onSuccess: () => setName('') });
          }}
        >
          <div className="flex flex-1 flex-col gap-1.5">
            <Label htmlFor="env-name">New environment</Label>
            <Input
              id="env-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. STAGING"
            />
            {errors.name ? <FieldError>{errors.name}</FieldError> : null}
            {message ? <FieldError>{message}</FieldError> : null}
          </div>
          <Button type="submit" disabled={create.isPending}>
            Add environment
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
