'use client';

import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@sextant/ui';
import { useQuery } from '@tanstack/react-query';
import { RelativeTime } from '~/components/relative-time';
import { useTRPC } from '~/trpc/react';

/** Instances that registered through service discovery and have not missed their TTL. */
export function InstancesCard({ service, refreshMs }: { service: string; refreshMs: number }) {
  const trpc = useTRPC();
  const instances = useQuery(trpc.discovery.list.queryOptions({ service }, { refetchInterval: refreshMs }));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Live instances</CardTitle>
        <CardDescription>Registered through discovery; gone once they stop heartbeating.</CardDescription>
      </CardHeader>
      <CardContent>
        {instances.error && !instances.data ? (
          <p role="alert" className="text-sm text-destructive">
            {instances.error.message}
          </p>
        ) : !instances.data ? (
          <p className="text-sm text-muted-foreground">Loading…</p>
        ) : instances.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">No live instances.</p>
        ) : (
          <Table data-testid="instances">
            <TableHeader>
              <TableRow>
                <TableHead>Address</TableHead>
                <TableHead>Env</TableHead>
                <TableHead>Version</TableHead>
                <TableHead>Last heartbeat</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {instances.data.map((i) => (
                <TableRow key={i.id} data-testid="instance-row">
                  <TableCell className="font-mono text-xs">
                    {i.host}:{i.port}
                  </TableCell>
                  <TableCell className="text-sm">{i.environment}</TableCell>
                  <TableCell className="font-mono text-xs">{i.version ?? '—'}</TableCell>
                  <TableCell className="text-sm">
                    <RelativeTime value={i.lastHeartbeatAt} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
