'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import { ConsolePage } from '~/components/page-header';
import { useTRPC } from '~/trpc/react';
import { DeleteRuleButton } from './delete-rule-button';
import { RuleEditor } from './rule-editor';

const BACK = { href: '/alerts/rules', label: 'Alert rules' };

/** The editor page: a new rule, or rule `id` (viewers see it without controls). */
export function RulePage({ id, canEdit }: { id?: string; canEdit: boolean }) {
  const trpc = useTRPC();
  // The services a rule may belong to; the editor offers the first 100 by name.
  const services = useSuspenseQuery(trpc.services.list.queryOptions({ pageSize: 100 }));
  const options = services.data.items.map((s) => ({ id: s.id, name: s.name }));
  if (!id) {
    return (
      <ConsolePage
        width="medium"
        back={BACK}
        title="New alert rule"
        description="A rule raises one alert per label set its condition matches."
        refreshed={[services]}
      >
        <RuleEditor services={options} canEdit={canEdit} />
      </ConsolePage>
    );
  }
  return <ExistingRule id={id} canEdit={canEdit} services={options} />;
}

function ExistingRule({
  id,
  canEdit,
  services,
}: {
  id: string;
  canEdit: boolean;
  services: { id: string; name: string }[];
}) {
  const trpc = useTRPC();
  const rule = useSuspenseQuery(trpc.alertRules.get.queryOptions({ id }));
  return (
    <ConsolePage
      width="medium"
      back={BACK}
      title={rule.data.name}
      description={
        canEdit
          ? 'Edit the rule; a changed interval moves it to a new slot grid.'
          : 'You can see this rule; maintainers can change it.'
      }
      action={canEdit ? <DeleteRuleButton id={id} name={rule.data.name} /> : null}
      refreshed={[rule]}
    >
      <RuleEditor
        key={rule.data.updatedAt.toISOString()}
        rule={rule.data}
        services={services}
        canEdit={canEdit}
      />
    </ConsolePage>
  );
}
