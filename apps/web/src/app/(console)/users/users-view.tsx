'use client';

import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  Table,
  TableBody,
  TableHead,
  TableHeader,
  TableRow,
} from '@sextant/ui';
import { useQuery } from '@tanstack/react-query';
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

      <Card>
        <CardHeader>
          <CardTitle>All users</CardTitle>
          <CardDescription>
            Viewers read, maintainers operate, admins also manage users and the audit log.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {users.data ? (
            <Table data-testid="users">
              <TableHeader>
                <TableRow>
                  <TableHead>User</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right">Live sessions</TableHead>
                  <TableHead className="text-right">Actions</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {users.data.map((u) => (
                  <UserRow key={u.id} user={u} isSelf={u.id === currentUserId} />
                ))}
              </TableBody>
            </Table>
          ) : users.error ? (
            <p role="alert" className="text-sm text-destructive">
              {users.error.message}
            </p>
          ) : (
            <p className="text-sm text-muted-foreground">Loading…</p>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
