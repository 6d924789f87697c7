'use client';

import type { Role } from '@sextant/db/roles';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@sextant/ui';
import { useQuery } from '@tanstack/react-query';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { ApiKeyRow } from './api-key-row';
import { CreateApiKeyDialog } from './create-api-key-dialog';

export function ApiKeysView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
          <p className="text-sm text-muted-foreground">
            {role === 'admin'
              ? 'Credentials for scripts and services. You see every key.'
              : 'Credentials for scripts and services. You see the keys you created.'}
          </p>
        </div>
        <CreateApiKeyDialog role={role} />
      </div>

      <TableCard
        title="Keys"
        description="A key acts with its own role, never more than its creator's."
        columns={[
          { label: 'Name · key' },
          { label: 'Role' },
          { label: 'Created' },
          { label: 'Last used' },
          { label: 'Expires' },
          { label: 'State' },
          { label: 'Actions', right: true },
        ]}
        rows={keys.data?.length ?? 0}
        empty="No API keys yet."
        loading={!keys.data && !keys.error}
        error={!keys.data ? (keys.error?.message ?? null) : null}
        testId="api-keys"
      >
        {keys.data?.map((k) => (
          <ApiKeyRow key={k.id} apiKey={k} />
        ))}
      </TableCard>

      <Card>
        <CardHeader>
          <CardTitle>Using a key</CardTitle>
          <CardDescription>
            Send it to the Sextant API (not this console) in the Authorization header.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3 text-sm">
          <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs">
            Authorization: Bearer sxt_…
          </pre>
          <p className="text-muted-foreground">
            From TypeScript, the typed client in <code>@sextant/trpc/client</code> does this for you:
          </p>
          <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs">
            {
              "const client = createClient({ url: 'http://<api-host>/trpc', apiKey });\nawait client.system.info.query();"
            }
          </pre>
        </CardContent>
      </Card>
    </div>
  );
}
