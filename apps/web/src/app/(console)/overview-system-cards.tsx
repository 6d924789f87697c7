import { Badge, Stat, TableCell, TableRow } from '@sextant/ui';
import { EnvironmentKindBadge } from '~/components/environment-kind-badge';
import { SectionCard } from '~/components/section-card';
import { TableCard } from '~/components/table-card';
import { formatDuration } from '~/lib/format';
import type { RouterOutputs } from '~/lib/router-types';

/** The API's version, uptime, database and migration level. */
export function SystemCard({ info }: { info: RouterOutputs['system']['info'] }) {
  return (
    <SectionCard
      title="System"
      description={
        <>
          From <code>system.info</code> on the API
        </>
      }
    >
      <dl className="grid grid-cols-2 gap-6 sm:grid-cols-4" data-testid="system-info">
        <Stat label="Version" value={info.version} data-testid="version" />
        <Stat label="Uptime" value={formatDuration(info.uptimeSeconds)} data-testid="uptime" />
        <Stat
          label="Database"
          data-testid="db-status"
          value={
            info.db.status === 'up' ? (
              <Badge tone="success">up · {info.db.latencyMs} ms</Badge>
            ) : (
              <Badge tone="danger" title={info.db.error ?? undefined}>
                down
              </Badge>
            )
          }
        />
        <Stat
          label="Migrations"
          data-testid="migrations"
          value={
            info.migrations ? (
              <span className="font-mono text-sm">
                {info.migrations.level ?? 'none'}{' '}
                <Badge tone={info.migrations.current ? 'success' : 'warning'}>
                  {info.migrations.applied}/{info.migrations.expected}
                </Badge>
              </span>
            ) : (
              '—'
            )
          }
        />
      </dl>
      <p className="mt-4 text-xs text-muted-foreground">Started {info.startedAt.toLocaleString()}</p>
    </SectionCard>
  );
}

export function EnvironmentsCard({ environments }: { environments: RouterOutputs['environments']['list'] }) {
  return (
    <TableCard
      title="Environments"
      description="In promotion order"
      columns={[{ label: 'Order' }, { label: 'Name' }, { label: 'Kind' }]}
      rows={environments.length}
      empty="No environments."
      testId="environments"
    >
      {environments.map((env) => (
        <TableRow key={env.id}>
          <TableCell className="w-16 tabular-nums text-muted-foreground">{env.position + 1}</TableCell>
          <TableCell className="font-medium">{env.name}</TableCell>
          <TableCell>
            <EnvironmentKindBadge isProduction={env.isProduction} />
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
