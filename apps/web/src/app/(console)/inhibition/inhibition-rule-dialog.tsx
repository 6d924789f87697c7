'use client';

import { ALERT_MATCHER_LIMITS, inhibitionRuleRequest } from '@sextant/trpc/schemas';
import { Input, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { MatchersEditor, matcherErrors } from '~/components/matchers-editor';
import { type InputIssue, stateFormErrors } from '~/lib/field-errors';
import type { AlertMatcher } from '~/lib/matcher-text';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';

type Rule = RouterOutputs['inhibitionRules']['list'][number];

const FIELDS = ['name', 'sourceMatchers', 'targetMatchers', 'equal'];
const blank = (label: string): AlertMatcher[] => [{ label, op: '=', value: '' }];

/** "New inhibition rule", or "Edit" for `rule`. */
export function InhibitionRuleDialog({ rule }: { rule?: Rule }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(rule?.name ?? '');
  const [source, setSource] = useState<AlertMatcher[]>(rule?.sourceMatchers ?? blank('alertname'));
  const [target, setTarget] = useState<AlertMatcher[]>(rule?.targetMatchers ?? blank('alertname'));
  const [equal, setEqual] = useState(rule?.equal.join(', ') ?? '');
  const [clientIssues, setClientIssues] = useState<InputIssue[]>([]);

  const saved = (message: string) => {
    toast.success(message);
    setOpen(false);
    void queryClient.invalidateQueries({ queryKey: trpc.inhibitionRules.list.queryKey() });
  };
  const create = useMutation(
    trpc.inhibitionRules.create.mutationOptions({ onSuccess: () => saved('Rule created.') }),
  );
  const update = useMutation(
    trpc.inhibitionRules.update.mutationOptions({ onSuccess: () => saved('Rule saved.') }),
  );
  const mutation = rule ? update : create;

  const { issues, fieldError, message } = stateFormErrors(mutation.error, clientIssues, FIELDS, 'rule');
  const sourceErrors = matcherErrors(issues, 'sourceMatchers');
  const targetErrors = matcherErrors(issues, 'targetMatchers');

  function onSubmit() {
    mutation.reset();
    const input = {
      name,
      sourceMatchers: source,
      targetMatchers: target,
      equal: equal.split(/[\s,]+/).filter(Boolean),
    };
    const checked = inhibitionRuleRequest.safeParse(input);
    setClientIssues(checked.success ? [] : checked.error.issues);
    if (!checked.success) return;
    if (rule) update.mutate({ id: rule.id, rule: checked.data });
    else create.mutate(checked.data);
  }

  return (
    <FormDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        mutation.reset();
        setClientIssues([]);
      }}
      editing={!!rule}
      createLabel="New inhibition rule"
      title={rule ? 'Edit inhibition rule' : 'New inhibition rule'}
      description="Mute target alerts while a source alert fires with the same values of the equal labels."
      wide
      onSubmit={onSubmit}
      message={message}
      submitLabel={rule ? 'Save' : 'Create rule'}
      pending={mutation.isPending}
    >
      <Field id="inhibit-name" label="Name" error={fieldError('name')}>
        {(p) => (
          <Input
            {...p}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={ALERT_MATCHER_LIMITS.nameLength}
            autoComplete="off"
          />
        )}
      </Field>
      <MatchersEditor
        id="inhibit-source"
        label="Source matcher"
        value={source}
        onChange={setSource}
        errors={sourceErrors.rows}
        setError={sourceErrors.set}
      />
      <MatchersEditor
        id="inhibit-target"
        label="Target matcher"
        value={target}
        onChange={setTarget}
        errors={targetErrors.rows}
        setError={targetErrors.set}
      />
      <Field
        id="inhibit-equal"
        label="Equal labels (optional)"
        error={fieldError('equal')}
        hint="Comma separated, e.g. service, zone. A label missing on both alerts counts as equal."
      >
        {(p) => (
          <Input
            {...p}
            value={equal}
            onChange={(e) => setEqual(e.target.value)}
            className="font-mono"
            autoComplete="off"
          />
        )}
      </Field>
    </FormDialog>
  );
}
