'use client';

import { ROLES } from '@sextant/db/roles';
import { Badge, Button, Select, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Options } from '~/components/field';
import { LocalTime } from '~/lib/local-time';
import type { RouterInputs, RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { SessionsDialog } from './sessions-dialog';
import { DeleteUserButton, ResetPasswordButton } from './user-actions';

export type UserListItem = RouterOutputs['users']['list'][number];
type Role = RouterInputs['users']['update']['role'] & string;

function StatusBadge({ user }: { user: UserListItem }) {
  if (user.disabledAt) return <Badge tone="danger">disabled</Badge>;
  if (user.mustChangePassword)
    return (
      <Badge tone="warning" className="whitespace-nowrap">
        must change password
      </Badge>
    );
  return <Badge tone="success">active</Badge>;
}

export function UserRow({ user, isSelf }: { user: UserListItem; isSelf: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: (after, input) => {
        if (input.disabled !== undefined)
          toast.success(`${after.email} ${input.disabled ? 'disabled' : 'enabled'}.`);
        else if (input.role) toast.success(`${after.email} is now ${after.role}.`);
      },
      // LAST_ADMIN and friends: the server's sentence is the explanation.
      onError: (error) => toast.error(error.message),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() }),
    }),
  );
  const roleId = `role-${user.id}`;

  return (
    <TableRow data-testid="user-row" data-email={user.email}>
      <TableCell>
        <div className="flex items-center gap-2 font-medium">
          {user.email}
          {isSelf ? <Badge tone="info">you</Badge> : null}
        </div>
        {user.name ? <div className="text-xs text-muted-foreground">{user.name}</div> : null}
      </TableCell>
      <TableCell>
        <label htmlFor={roleId} className="sr-only">
          Role for {user.email}
        </label>
        <Select
          id={roleId}
          className="w-28"
          value={user.role}
          disabled={update.isPending}
          onChange={(e) => update.mutate({ id: user.id, role: e.target.value as Role })}
        >
          <Options values={ROLES} />
        </Select>
      </TableCell>
      <TableCell>
        <StatusBadge user={user} />
        <div className="mt-1 text-xs text-muted-foreground">
          Last sign-in <LocalTime value={user.lastSignInAt} fallback="never" />
        </div>
      </TableCell>
      <TableCell className="text-right tabular-nums">{user.activeSessions}</TableCell>
      <TableCell>
        <div className="flex justify-end gap-2">
          <Button
            size="sm"
            variant="outline"
            disabled={update.isPending}
            onClick={() => update.mutate({ id: user.id, disabled: !user.disabledAt })}
          >
            {user.disabledAt ? 'Enable' : 'Disable'}
          </Button>
          <SessionsDialog user={user} />
          <ResetPasswordButton user={user} />
          <DeleteUserButton user={user} />
        </div>
      </TableCell>
    </TableRow>
  );
}
