'use client';

import { Button, Select, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { TableCard } from '~/components/table-card';
import { SERVICE_CHOICES } from '~/lib/incidents';
import { useTRPC } from '~/trpc/react';
import type { Project } from './settings-shared';

/** The services whose reliability facts the dashboard shows; the list is saved whole (`setServices`). */
export function ServicesCard({ project: p, canWrite }: { project: Project; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const services = useSuspenseQuery(trpc.services.list.queryOptions(SERVICE_CHOICES));
  const [serviceId, setServiceId] = useState('');
  const save = useMutation(
    trpc.projects.setServices.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.projects.get.pathKey() }),
      onError: (e) => toast.error(e.message),
    }),
  );
  const linked = p.services.map((s) => s.id);
  const set = (serviceIds: string[]) => save.mutate({ projectId: p.id, serviceIds });
  const candidates = services.data.items.filter((s) => !linked.includes(s.id));
  return (
    <TableCard
      title="Linked services"
      description="Their uptime, open incidents, DORA figures and last production deployment show on the dashboard."
      columns={[{ label: 'Service' }]}
      rowActions={canWrite}
      rows={p.services.length}
      empty="No linked services."
      testId="linked-services"
      busy={save.isPending}
      footer={
        canWrite ? (
          <div className="flex flex-wrap items-center gap-3">
            <Select
              aria-label="Service to link"
              className="w-56"
              value={serviceId}
              onChange={(e) => setServiceId(e.target.value)}
            >
              <option value="">Pick a service…</option>
              {candidates.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </Select>
            <Button
              variant="outline"
              disabled={!serviceId || save.isPending}
              onClick={() => {
                set([...linked, serviceId]);
                setServiceId('');
              }}
            >
              Link service
            </Button>
          </div>
        ) : null
      }
    >
      {p.services.map((s) => (
        <TableRow key={s.id}>
          <TableCell>
            <Link href={`/services/${s.slug}`} className="hover:underline">
              {s.name}
            </Link>
          </TableCell>
          {canWrite ? (
            <TableCell className="text-right">
              <Button
                size="sm"
                variant="outline"
                disabled={save.isPending}
                onClick={() => set(linked.filter((id) => id !== s.id))}
              >
                Unlink
              </Button>
            </TableCell>
          ) : null}
        </TableRow>
      ))}
    </TableCard>
  );
}
