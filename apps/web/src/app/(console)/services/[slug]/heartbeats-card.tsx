'use client';

import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  Table,
  TableBody,
  TableHead,
  TableHeader,
  TableRow,
} from '@sextant/ui';
import { HeartbeatDialog } from './heartbeat-dialog';
import { HeartbeatRow } from './heartbeat-row';
import type { Environment, HeartbeatRow as Heartbeat } from './types';

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
    <Card>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-4">
        <div className="flex flex-col gap-1">
          <CardTitle>Heartbeats</CardTitle>
          <CardDescription>Jobs that report in; silence past the grace time means DOWN.</CardDescription>
        </div>
        {canEdit ? <HeartbeatDialog service={service} environments={environments} /> : null}
      </CardHeader>
      <CardContent>
        {heartbeats.length === 0 ? (
          <p className="text-sm text-muted-foreground">No heartbeat monitors yet.</p>
        ) : (
          <Table data-testid="heartbeats">
            <TableHeader>
              <TableRow>
                <TableHead>Heartbeat</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Schedule</TableHead>
                <TableHead>Grace</TableHead>
                <TableHead>Last ping</TableHead>
                <TableHead>Last run</TableHead>
                <TableHead>Next due</TableHead>
                {canEdit ? <TableHead className="text-right">Actions</TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
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
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
