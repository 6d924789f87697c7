'use client';

import { ERROR_POLICIES, NO_DATA_POLICIES } from '@sextant/db/enums';
import { ALERT_RULE_LIMITS as LIMITS } from '@sextant/trpc/schemas';
import { Checkbox, Input, Label, Select, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Field, NumberField, Options } from '~/components/field';
import { Form } from '~/components/form';
import { SectionCard } from '~/components/section-card';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
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

export type ServiceOption = { id: string; name: string };

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
    <fieldset disabled={!canEdit} className="flex flex-col gap-4" data-testid="rule-fields">
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          id="rule-name"
          label="Name (alertname)"
          error={errors.name}
          className="flex flex-col gap-1.5 sm:col-span-2"
        >
          {(p) => (
            <Input
              {...p}
              name="name"
              defaultValue={initial.name}
              maxLength={LIMITS.nameLength}
              autoComplete="off"
            />
          )}
        </Field>
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
      <Field
        id="rule-service"
        label="Service"
        error={errors.serviceId}
        hint="Its page lists the rule's alerts."
      >
        {(p) => (
          <Select {...p} name="serviceId" defaultValue={initial.serviceId}>
            <option value="">— fleet-wide —</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <KindFields kind={kind} initial={initial} errors={errors} />
      <div className="grid gap-4 sm:grid-cols-4">
        <NumberField
          id="rule-for"
          label="For (seconds)"
          name="forSeconds"
          range={LIMITS.forSeconds}
          defaultValue={initial.forSeconds}
          error={errors.forSeconds}
        />
        <NumberField
          id="rule-keep"
          label="Keep firing for (s)"
          name="keepFiringForSeconds"
          range={LIMITS.keepFiringForSeconds}
          defaultValue={initial.keepFiringForSeconds}
          error={errors.keepFiringForSeconds}
        />
        <NumberField
          id="rule-interval"
          label="Interval (seconds)"
          name="intervalSeconds"
          range={LIMITS.intervalSeconds}
          defaultValue={initial.intervalSeconds}
          error={errors.intervalSeconds}
        />
        <NumberField
          id="rule-series-limit"
          label="Series limit (0: none)"
          name="seriesLimit"
          range={LIMITS.seriesLimit}
          defaultValue={initial.seriesLimit}
          error={errors.seriesLimit}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="rule-nodata" label="When there is no data" error={errors.noDataPolicy}>
          {(p) => (
            <Select {...p} name="noDataPolicy" defaultValue={initial.noDataPolicy}>
              <Options values={NO_DATA_POLICIES} />
            </Select>
          )}
        </Field>
        <Field id="rule-error" label="When evaluation fails" error={errors.errorPolicy}>
          {(p) => (
            <Select {...p} name="errorPolicy" defaultValue={initial.errorPolicy}>
              <Options values={ERROR_POLICIES} />
            </Select>
          )}
        </Field>
      </div>
      <Field
        id="rule-labels"
        label="Labels"
        error={errors.labels}
        hint="key=value, comma separated (severity=page, team=payments)."
      >
        {(p) => (
          <Input
            {...p}
            name="labels"
            defaultValue={initial.labels}
            className="font-mono"
            autoComplete="off"
          />
        )}
      </Field>
      <Field
        id="rule-summary"
        label="Summary"
        error={errors.summary}
        hint={
          'Templates: {{ $value }}, {{ $labels.route }}, {{ $threshold }}; pipes | humanize, | humanizePercentage, | humanizeDuration, | printf "%.2f".'
        }
      >
        {(p) => (
          <Input
            {...p}
            name="summary"
            defaultValue={initial.summary}
            className="font-mono"
            maxLength={LIMITS.templateLength}
          />
        )}
      </Field>
      <Field id="rule-description" label="Description" error={errors.description}>
        {(p) => (
          <Textarea
            {...p}
            name="description"
            defaultValue={initial.description}
            className="font-mono"
            maxLength={LIMITS.templateLength}
          />
        )}
      </Field>
      <Field id="rule-runbook" label="Runbook URL" error={errors.runbook_url}>
        {(p) => <Input {...p} name="runbook_url" defaultValue={initial.runbook_url} className="font-mono" />}
      </Field>
      <Field
        id="rule-annotations"
        label="Other annotations"
        error={errors.annotations}
        hint="One name=template a line."
      >
        {(p) => (
          <Textarea {...p} name="annotations" defaultValue={initial.annotations} className="font-mono" />
        )}
      </Field>
      <div className="flex items-center gap-2">
        <Checkbox id="rule-enabled" name="enabled" defaultChecked={initial.enabled === 'on'} />
        <Label htmlFor="rule-enabled">Enabled</Label>
      </div>
    </fieldset>
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
          </Form>
        ) : (
          fields
        )}
      </SectionCard>
      {/* EVALUATE-NOW PREVIEW: the lead adds the "Evaluate now" panel (alertRules.evaluateNow → engine's previewRule) here. */}
    </div>
  );
}
