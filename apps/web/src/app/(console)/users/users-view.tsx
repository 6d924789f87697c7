'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { CreateUserDialog } from './create-user-dialog';
import { UserRow } from './user-row';

export function UsersView({ currentUserId }: { currentUserId: string }) {
  const trpc = useTRPC();
  const users = useSuspenseQuery(trpc.users.list.queryOptions());

  return (
    <ConsolePage
      title="Users"
      description="People who can sign in to this console, their roles and their sessions."
      action={<CreateUserDialog />}
      refreshed={[users]}
    >
      <TableCard
        title="All users"
        description="Viewers read, maintainers operate, admins also manage users and the audit log."
        columns={[
          { label: 'User' },
          { label: 'Role' },
          { label: 'Status' },
          { label: 'Live sessions', right: true },
        ]}
        rowActions
        rows={users.data.length}
        empty="No users."
        testId="users"
      >
        {users.data.map((u) => (
          <UserRow key={u.id} user={u} isSelf={u.id === currentUserId} />
        ))}
      </TableCard>
    </ConsolePage>
  );
}
