'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Badge, buttonVariants, Checkbox, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';

type Rule = RouterOutputs['alertRules']['list'][number];

const HEALTH_TONE = { unknown: 'neutral', ok: 'success', nodata: 'warning', error: 'danger' } as const;
const KIND_LABEL = { metric: 'metric threshold', absence: 'absence', monitor: 'monitor' } as const;

export function RulesView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const rules = useSuspenseQuery(trpc.alertRules.list.queryOptions({}));
  const canEdit = roleAtLeast(role, 'maintainer');
  return (
    <ConsolePage
      title="Alert rules"
      description="What Sextant watches for: check states, metric thresholds and missing series."
      action={
        canEdit ? (
          <Link href="/alerts/rules/new" className={buttonVariants()} data-testid="new-rule">
            New rule
          </Link>
        ) : null
      }
      refreshed={[rules]}
    >
      <TableCard
        title="Rules"
        description="Every new check gets a “down for 2 runs” rule; edit it or turn it off here."
        columns={[
          { label: 'Name' },
          { label: 'Kind' },
          { label: 'Service' },
          { label: 'State' },
          { label: 'Enabled' },
        ]}
        rows={rules.data.length}
        empty="No alert rules yet."
        testId="alert-rules"
      >
        {rules.data.map((r) => (
          <RuleRow key={r.id} rule={r} canEdit={canEdit} />
        ))}
      </TableCard>
    </ConsolePage>
  );
}

function RuleRow({ rule: r, canEdit }: { rule: Rule; canEdit: boolean }) {
  return (
    <TableRow data-testid="alert-rule-row" data-name={r.name}>
      <TableCell>
        <Link href={`/alerts/rules/${r.id}`} className="font-medium hover:underline">
          {r.name}
        </Link>
      </TableCell>
      <TableCell className="text-sm">{KIND_LABEL[r.kind]}</TableCell>
      <TableCell className="text-sm">
        {r.serviceSlug ? <Link href={`/services/${r.serviceSlug}`}>{r.serviceName}</Link> : '—'}
      </TableCell>
      <TableCell className="flex flex-wrap items-center gap-2 text-sm">
        <Badge tone={HEALTH_TONE[r.health]} title={r.lastError ?? undefined}>
          {r.health}
        </Badge>
        {r.firing > 0 ? <Badge tone="danger">{r.firing} firing</Badge> : null}
        {r.pending > 0 ? <Badge tone="warning">{r.pending} pending</Badge> : null}
      </TableCell>
      <TableCell>{canEdit ? <EnabledToggle rule={r} /> : r.enabled ? 'yes' : 'no'}</TableCell>
    </TableRow>
  );
}

function EnabledToggle({ rule: r }: { rule: Rule }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const set = useMutation(
    trpc.alertRules.setEnabled.mutationOptions({
      onSuccess: (after) => toast.success(`${after.enabled ? 'Enabled' : 'Disabled'} “${r.name}”.`),
      onError: (e) => toast.error(e.message),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.alertRules.list.queryKey() }),
    }),
  );
  return (
    <Checkbox
      aria-label={`Enabled: ${r.name}`}
      data-testid="rule-enabled-toggle"
      checked={r.enabled}
      disabled={set.isPending}
      onChange={(e) => set.mutate({ id: r.id, enabled: e.target.checked })}
    />
  );
}
