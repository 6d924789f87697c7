'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { MaintenanceForm } from '../../maintenance-form';

export function EditMaintenance({ id }: { id: string }) {
  const trpc = useTRPC();
  const window = useSuspenseQuery(trpc.maintenances.get.queryOptions({ id }));
  if (window.data.cancelledAt)
    return <p className="text-sm text-muted-foreground">This window is cancelled; it is kept as history.</p>;
  return <MaintenanceForm saved={window.data} />;
}
