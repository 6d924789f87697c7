'use client';

import type { Role } from '@sextant/db/roles';
import { useSuspenseQuery } from '@tanstack/react-query';
import { ConsolePage } from '~/components/page-header';
import { SectionCard } from '~/components/section-card';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { ApiKeyRow } from './api-key-row';
import { CreateApiKeyDialog } from './create-api-key-dialog';

export function ApiKeysView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const keys = useSuspenseQuery(trpc.apiKeys.list.queryOptions());

  return (
    <ConsolePage
      title="API keys"
      description={
        role === 'admin'
          ? 'Credentials for scripts and services. You see every key.'
          : 'Credentials for scripts and services. You see the keys you created.'
      }
      action={<CreateApiKeyDialog role={role} />}
      refreshed={[keys]}
    >
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
        ]}
        rowActions
        rows={keys.data.length}
        empty="No API keys yet."
        testId="api-keys"
      >
        {keys.data.map((k) => (
          <ApiKeyRow key={k.id} apiKey={k} />
        ))}
      </TableCard>

      <SectionCard
        title="Using a key"
        description="Send it to the Sextant API (not this console) in the Authorization header."
        className="flex flex-col gap-3 text-sm"
      >
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
      </SectionCard>
    </ConsolePage>
  );
}
