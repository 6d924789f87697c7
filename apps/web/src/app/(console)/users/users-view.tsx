'use client';

import { useQuery } from '@tanstack/react-query';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { CreateUserDialog } from './create-user-dialog';
import { UserRow } from './user-row';

export function UsersView({ currentUserId }: { currentUserId: string }) {
  const trpc = useTRPC();
  const users = useQuery(trpc.users.list.queryOptions());

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
          <p className="text-sm text-muted-foreground">
            People who can sign in to this console, their roles and their sessions.
          </p>
        </div>
        <CreateUserDialog />
      </div>

      <TableCard
        title="All users"
        description="Viewers read, maintainers operate, admins also manage users and the audit log."
        columns={[
          { label: 'User' },
          { label: 'Role' },
          { label: 'Status' },
          { label: 'Live sessions', right: true },
          { label: 'Actions', right: true },
        ]}
        rows={users.data?.length ?? 0}
        empty="No users."
        loading={!users.data && !users.error}
        error={!users.data ? (users.error?.message ?? null) : null}
        testId="users"
      >
        {users.data?.map((u) => (
          <UserRow key={u.id} user={u} isSelf={u.id === currentUserId} />
        ))}
      </TableCard>
    </div>
  );
}
