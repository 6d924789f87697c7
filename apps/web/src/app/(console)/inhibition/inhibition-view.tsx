'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Badge, Button, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { MatcherChips } from '~/components/matcher-chips';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import { inhibitionRuleAnchor } from '~/lib/alerts';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { InhibitionRuleDialog } from './inhibition-rule-dialog';

type Rule = RouterOutputs['inhibitionRules']['list'][number];

export function InhibitionView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const rules = useSuspenseQuery(trpc.inhibitionRules.list.queryOptions());
  const canEdit = roleAtLeast(role, 'maintainer');
  return (
    <ConsolePage
      title="Inhibition rules"
      description="While an alert matching the source fires, alerts matching the target that share its values of the equal labels are muted. An alert never inhibits itself."
      action={canEdit ? <InhibitionRuleDialog /> : null}
      refreshed={[rules]}
    >
      <TableCard
        columns={[
          { label: 'Name' },
          { label: 'Source' },
          { label: 'Target' },
          { label: 'Equal' },
          { label: 'State' },
        ]}
        rowActions={canEdit}
        rows={rules.data.length}
        empty="No inhibition rules."
        testId="inhibition-rules"
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
    <TableRow id={inhibitionRuleAnchor(r.id)} data-testid="inhibition-rule-row" data-name={r.name}>
      <TableCell className="font-medium">{r.name}</TableCell>
      <TableCell>
        <MatcherChips matchers={r.sourceMatchers} />
      </TableCell>
      <TableCell>
        <MatcherChips matchers={r.targetMatchers} />
      </TableCell>
      <TableCell className="font-mono text-xs">{r.equal.length > 0 ? r.equal.join(', ') : '—'}</TableCell>
      <TableCell>
        <Badge tone={r.enabled ? 'success' : 'neutral'}>{r.enabled ? 'enabled' : 'disabled'}</Badge>
      </TableCell>
      {canEdit ? (
        <TableCell className="text-right">
          <div className="flex justify-end gap-2">
            <InhibitionRuleDialog rule={r} />
            <EnableButton rule={r} />
            <DeleteButton rule={r} />
          </div>
        </TableCell>
      ) : null}
    </TableRow>
  );
}

function useInvalidate() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.inhibitionRules.list.queryKey() });
}

function EnableButton({ rule: r }: { rule: Rule }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const set = useMutation(
    trpc.inhibitionRules.setEnabled.mutationOptions({
      onSuccess: (after) => toast.success(`${after.enabled ? 'Enabled' : 'Disabled'} “${r.name}”.`),
      onError: (e) => toast.error(e.message),
      onSettled: invalidate,
    }),
  );
  return (
    <Button
      size="sm"
      variant="outline"
      disabled={set.isPending}
      onClick={() => set.mutate({ id: r.id, enabled: !r.enabled })}
    >
      {r.enabled ? 'Disable' : 'Enable'}
    </Button>
  );
}

function DeleteButton({ rule: r }: { rule: Rule }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.inhibitionRules.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted “${r.name}”.`);
        setOpen(false);
      },
      onSettled: invalidate,
    }),
  );
  return (
    <ConfirmButton
      open={open}
      onOpenChange={setOpen}
      label="Delete"
      variant="destructive"
      title={`Delete “${r.name}”?`}
      description="Alerts it mutes notify again from now on."
      action={remove}
      onConfirm={() => remove.mutate({ id: r.id })}
    />
  );
}
