'use client';

import {
  Badge,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  Stat,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@sextant/ui';
import { useQuery } from '@tanstack/react-query';
import { formatDuration } from '~/lib/format';
import { useTRPC } from '~/trpc/react';

/** How often the overview re-reads system.info; fast enough to notice an outage. */
const REFRESH_MS = 5_000;

export function OverviewView() {
  const trpc = useTRPC();
  const info = useQuery({ ...trpc.system.info.queryOptions(), refetchInterval: REFRESH_MS });
  const environments = useQuery(trpc.system.environments.queryOptions());

  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Overview</h1>
        <p className="text-sm text-muted-foreground">
          Live state of this Sextant installation, refreshed every 5 s.
        </p>
      </div>

      {info.error && !info.data ? (
        <Card role="alert" className="border-destructive/50">
          <CardHeader>
            <CardTitle>API unreachable</CardTitle>
            <CardDescription>{info.error.message}</CardDescription>
          </CardHeader>
        </Card>
      ) : null}

      <Card aria-busy={info.isPending}>
        <CardHeader>
          <CardTitle>System</CardTitle>
          <CardDescription>
            From <code>system.info</code> on the API
          </CardDescription>
        </CardHeader>
        <CardContent>
          {info.data ? (
            <dl className="grid grid-cols-2 gap-6 sm:grid-cols-4" data-testid="system-info">
              <Stat label="Version" value={info.data.version} data-testid="version" />
              <Stat label="Uptime" value={formatDuration(info.data.uptimeSeconds)} data-testid="uptime" />
              <Stat
                label="Database"
                data-testid="db-status"
                value={
                  info.data.db.status === 'up' ? (
                    <Badge tone="success">up · {info.data.db.latencyMs} ms</Badge>
                  ) : (
                    <Badge tone="danger" title={info.data.db.error ?? undefined}>
                      down
                    </Badge>
                  )
                }
              />
              <Stat
                label="Migrations"
                data-testid="migrations"
                value={
                  info.data.migrations ? (
                    <span className="font-mono text-sm">
                      {info.data.migrations.level ?? 'none'}{' '}
                      <Badge tone={info.data.migrations.current ? 'success' : 'warning'}>
                        {info.data.migrations.applied}/{info.data.migrations.expected}
                      </Badge>
                    </span>
                  ) : (
                    '—'
                  )
                }
              />
            </dl>
          ) : (
            <p className="text-sm text-muted-foreground">Loading…</p>
          )}
          {info.data ? (
            <p className="mt-4 text-xs text-muted-foreground">
              Started {info.data.startedAt.toLocaleString()}
            </p>
          ) : null}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Environments</CardTitle>
          <CardDescription>In promotion order</CardDescription>
        </CardHeader>
        <CardContent>
          {environments.data ? (
            <Table data-testid="environments">
              <TableHeader>
                <TableRow>
                  <TableHead className="w-16">Order</TableHead>
                  <TableHead>Name</TableHead>
                  <TableHead>Kind</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {environments.data.map((env) => (
                  <TableRow key={env.id}>
                    <TableCell className="tabular-nums text-muted-foreground">{env.position + 1}</TableCell>
                    <TableCell className="font-medium">{env.name}</TableCell>
                    <TableCell>
                      <Badge tone={env.isProduction ? 'danger' : 'info'}>
                        {env.isProduction ? 'production' : 'non-production'}
                      </Badge>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : environments.error ? (
            <p className="text-sm text-destructive">{environments.error.message}</p>
          ) : (
            <p className="text-sm text-muted-foreground">Loading…</p>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
