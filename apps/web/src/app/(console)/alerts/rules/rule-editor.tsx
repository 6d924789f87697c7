'use client';

import { ERROR_POLICIES, NO_DATA_POLICIES } from '@sextant/db/enums';
import { ALERT_RULE_LIMITS as LIMITS } from '@sextant/trpc/schemas';
import { Checkbox, Label, Select, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Field } from '~/components/field';
import { Form } from '~/components/form';
import { SectionCard } from '~/components/section-card';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import { EvaluatePanel } from './evaluate-panel';
import { KindFields } from './kind-fields';
import {
  emptyRule,
  type Rule,
  type RuleKind,
  readRule,
  ruleField,
  ruleValues,
  toRuleInput,
} from './rule-form';
import { RuleFormProvider, RuleNumber, RuleSelect, RuleText } from './rule-inputs';

export type ServiceOption = { id: string; name: string };

const TEMPLATE_HINT =
  'Templates: {{ $value }}, {{ $labels.route }}, {{ $threshold }}; pipes | humanize, | humanizePercentage, | humanizeDuration, | printf "%.2f".';

/** The rule editor: new when `rule` is absent; read-only (no controls) for viewers. */
export function RuleEditor({
  rule,
  services,
  canEdit,
}: {
  rule?: Rule;
  services: ServiceOption[];
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const initial = rule ? ruleValues(rule) : emptyRule();
  const [kind, setKind] = useState<RuleKind>(initial.kind);
  const done = (message: string) => () => {
    toast.success(message);
    void queryClient.invalidateQueries({ queryKey: trpc.alertRules.pathKey() });
    router.push('/alerts/rules');
  };
  const create = useMutation(
    trpc.alertRules.create.mutationOptions({ onSuccess: done('Created the rule.') }),
  );
  const update = useMutation(trpc.alertRules.update.mutationOptions({ onSuccess: done('Saved the rule.') }));
  const mutation = rule ? update : create;
  const { errors, message, accept } = useFormErrors(mutation.error, { fieldOf: ruleField, at: 'rule' });

  function onSubmit(form: HTMLFormElement) {
    mutation.reset();
    const input = accept(toRuleInput(readRule(form)));
    if (!input) return;
    if (rule) update.mutate({ id: rule.id, rule: input });
    else create.mutate({ rule: input });
  }

  const fields = (
    <RuleFormProvider value={{ initial, errors }}>
      <fieldset disabled={!canEdit} className="flex flex-col gap-4" data-testid="rule-fields">
        <div className="grid gap-4 sm:grid-cols-3">
          <RuleText name="name" label="Name (alertname)" wide maxLength={LIMITS.nameLength} />
          <Field id="rule-kind" label="Kind" error={errors.kind}>
            {(p) => (
              <Select {...p} name="kind" value={kind} onChange={(e) => setKind(e.target.value as RuleKind)}>
                <option value="metric">metric threshold</option>
                <option value="absence">absence</option>
                <option value="monitor">monitor</option>
              </Select>
            )}
          </Field>
        </div>
        <RuleSelect name="serviceId" label="Service" hint="Its page lists the rule's alerts.">
          <option value="">— fleet-wide —</option>
          {services.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </RuleSelect>
        <KindFields kind={kind} />
        <div className="grid gap-4 sm:grid-cols-4">
          <RuleNumber name="forSeconds" label="For (seconds)" range={LIMITS.forSeconds} />
          <RuleNumber
            name="keepFiringForSeconds"
            label="Keep firing for (s)"
            range={LIMITS.keepFiringForSeconds}
          />
          <RuleNumber name="intervalSeconds" label="Interval (seconds)" range={LIMITS.intervalSeconds} />
          <RuleNumber name="seriesLimit" label="Series limit (0: none)" range={LIMITS.seriesLimit} />
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <RuleSelect name="noDataPolicy" label="When there is no data" values={NO_DATA_POLICIES} />
          <RuleSelect name="errorPolicy" label="When evaluation fails" values={ERROR_POLICIES} />
        </div>
        <RuleText
          name="labels"
          label="Labels"
          hint="key=value, comma separated (severity=page, team=payments)."
        />
        <RuleText name="summary" label="Summary" hint={TEMPLATE_HINT} maxLength={LIMITS.templateLength} />
        <RuleText name="description" label="Description" multiline maxLength={LIMITS.templateLength} />
        <RuleText name="runbook_url" label="Runbook URL" />
        <RuleText name="annotations" label="Other annotations" multiline hint="One name=template a line." />
        <div className="flex items-center gap-2">
          <Checkbox id="rule-enabled" name="enabled" defaultChecked={initial.enabled === 'on'} />
          <Label htmlFor="rule-enabled">Enabled</Label>
        </div>
      </fieldset>
    </RuleFormProvider>
  );

  return (
    <div className="flex flex-col gap-6">
      <SectionCard title="Definition" testId="rule-editor">
        {canEdit ? (
          <Form
            onSubmit={onSubmit}
            message={message}
            submitLabel={rule ? 'Save rule' : 'Create rule'}
            pending={mutation.isPending}
          >
            {fields}
            <EvaluatePanel ruleId={rule?.id ?? null} />
          </Form>
        ) : (
          fields
        )}
      </SectionCard>
    </div>
  );
}
