'use client';

import { TableCard } from '~/components/table-card';
import { CheckDialog } from './check-dialog';
import { CheckRow } from './check-row';
import type { Check, Environment } from './types';

export function ChecksCard({
  checks,
  service,
  environments,
  canEdit,
}: {
  checks: Check[];
  service: string;
  environments: Environment[];
  canEdit: boolean;
}) {
  return (
    <TableCard
      title="Checks"
      description="Probes Sextant runs against the service on a schedule."
      action={canEdit ? <CheckDialog service={service} environments={environments} /> : null}
      columns={[
        { label: 'Check' },
        { label: 'Target' },
        { label: 'Env' },
        { label: 'Interval' },
        { label: 'Status' },
        { label: 'Latency', right: true },
        { label: 'Last run' },
        { label: 'Last error' },
      ]}
      rowActions={canEdit}
      rows={checks.length}
      empty="No checks yet."
      testId="checks"
    >
      {checks.map((c) => (
        <CheckRow key={c.id} check={c} service={service} environments={environments} canEdit={canEdit} />
      ))}
    </TableCard>
  );
}
