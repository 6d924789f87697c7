'use client';

import { TableCard } from '~/components/table-card';
import { HeartbeatDialog } from './heartbeat-dialog';
import { HeartbeatRow } from './heartbeat-row';
import type { Environment, Heartbeat } from './types';

export function HeartbeatsCard({
  heartbeats,
  service,
  environments,
  canEdit,
  pingBase,
}: {
  heartbeats: Heartbeat[];
  service: string;
  environments: Environment[];
  canEdit: boolean;
  pingBase: string;
}) {
  return (
    <TableCard
      title="Heartbeats"
      description="Jobs that report in; silence past the grace time means DOWN."
      action={
        canEdit ? <HeartbeatDialog service={service} environments={environments} pingBase={pingBase} /> : null
      }
      columns={[
        { label: 'Heartbeat' },
        { label: 'Status' },
        { label: 'Schedule' },
        { label: 'Grace' },
        { label: 'Last ping' },
        { label: 'Last run' },
        { label: 'Next due' },
      ]}
      rowActions={canEdit}
      rows={heartbeats.length}
      empty="No heartbeat monitors yet."
      testId="heartbeats"
    >
      {heartbeats.map((h) => (
        <HeartbeatRow
          key={h.id}
          heartbeat={h}
          service={service}
          environments={environments}
          canEdit={canEdit}
          pingBase={pingBase}
        />
      ))}
    </TableCard>
  );
}
