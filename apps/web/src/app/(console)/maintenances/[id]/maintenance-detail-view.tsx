'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Badge, Button } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ConsolePage } from '~/components/page-header';
import { SectionCard } from '~/components/section-card';
import { LocalTime } from '~/lib/local-time';
import { describeRrule } from '~/lib/maintenances';
import { useTRPC } from '~/trpc/react';
import { CancelMaintenanceButton } from '../cancel-button';

export function MaintenanceDetailView({ id, role }: { id: string; role: Role }) {
  const trpc = useTRPC();
  const window = useSuspenseQuery(trpc.maintenances.get.queryOptions({ id }));
  const m = window.data;
  const over = m.cancelledAt !== null || m.nextOccurrences.length === 0;
  const canEdit = roleAtLeast(role, 'maintainer') && !over;

  return (
    <ConsolePage
      title={m.title}
      description={m.description || 'A planned maintenance window.'}
      back={{ href: '/maintenances', label: 'Maintenance' }}
      refreshed={[window]}
      width="medium"
      action={
        canEdit ? (
          <div className="flex gap-2" data-testid="maintenance-actions">
            <Button asChild variant="outline">
              <Link href={`/maintenances/${m.id}/edit`}>Edit</Link>
            </Button>
            <CancelMaintenanceButton id={m.id} title={m.title} />
          </div>
        ) : null
      }
    >
      <SectionCard title="Schedule" testId="maintenance-schedule">
        <div className="flex flex-col gap-3 text-sm">
          {m.cancelledAt ? (
            <p>
              <Badge tone="neutral" data-testid="maintenance-cancelled">
                Cancelled
              </Badge>{' '}
              <LocalTime value={m.cancelledAt} />
            </p>
          ) : null}
          <dl className="grid grid-cols-2 gap-x-6 gap-y-2 sm:grid-cols-3">
            <Item label="Repeats">
              <span data-testid="maintenance-recurrence">{describeRrule(m.rrule)}</span>
            </Item>
            <Item label="Time zone">{m.timeZone}</Item>
            <Item label="Lasts">{m.durationMinutes} min</Item>
            <Item label="First starts">
              <LocalTime value={m.startsAt} />
            </Item>
            <Item label="Series ends">
              <LocalTime value={m.seriesEndsAt} />
            </Item>
            {m.rrule ? <Item label="RRULE">{<code className="break-all">{m.rrule}</code>}</Item> : null}
          </dl>
        </div>
      </SectionCard>
      <SectionCard title="Next occurrences" testId="maintenance-occurrences">
        {m.nextOccurrences.length === 0 ? (
          <p className="text-sm text-muted-foreground">None still to come.</p>
        ) : (
          <ol className="flex flex-col gap-1 text-sm">
            {m.nextOccurrences.map((o) => (
              <li key={o.start.toISOString()} data-testid="maintenance-occurrence">
                <LocalTime value={o.start} /> – <LocalTime value={o.end} />
              </li>
            ))}
          </ol>
        )}
      </SectionCard>
      <SectionCard title="Affected services" testId="maintenance-targets">
        <ul className="flex flex-col gap-1 text-sm">
          {m.targets.map((t) => (
            <li key={`${t.serviceId}/${t.environmentId}`} data-testid="maintenance-target">
              <span className="font-medium">{t.serviceName}</span>{' '}
              <span className="text-muted-foreground">in {t.environmentName}</span>
            </li>
          ))}
        </ul>
      </SectionCard>
    </ConsolePage>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-muted-foreground">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
