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
import { CheckDialog } from './check-dialog';
import { CheckRow } from './check-row';
import type { CheckRow as Check, Environment } from './types';

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
    <Card>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-4">
        <div className="flex flex-col gap-1">
          <CardTitle>Checks</CardTitle>
          <CardDescription>Probes Sextant runs against the service on a schedule.</CardDescription>
        </div>
        {canEdit ? <CheckDialog service={service} environments={environments} /> : null}
      </CardHeader>
      <CardContent>
        {checks.length === 0 ? (
          <p className="text-sm text-muted-foreground">No checks yet.</p>
        ) : (
          <Table data-testid="checks">
            <TableHeader>
              <TableRow>
                <TableHead>Check</TableHead>
                <TableHead>Target</TableHead>
                <TableHead>Env</TableHead>
                <TableHead>Interval</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">Latency</TableHead>
                <TableHead>Last run</TableHead>
                <TableHead>Last error</TableHead>
                {canEdit ? <TableHead className="text-right">Actions</TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {checks.map((c) => (
                <CheckRow
                  key={c.id}
                  check={c}
                  service={service}
                  environments={environments}
                  canEdit={canEdit}
                />
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
