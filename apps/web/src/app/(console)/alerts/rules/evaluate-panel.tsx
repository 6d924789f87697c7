'use client';

import {
  Button,
  FieldError,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { AlertStateBadge } from '~/components/alert-state-badge';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { readRule, toRuleInput } from './rule-form';

type Preview = RouterOutputs['alertRules']['evaluateNow'];

const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');

/**
 * "Evaluate now" inside the editor's form: the draft as it stands, evaluated by the engine at this instant against
 * the rule's current alerts; nothing is saved. Field errors show on the fields when the form is submitted.
 */
export function EvaluatePanel({ ruleId }: { ruleId: string | null }) {
  const trpc = useTRPC();
  const [draftError, setDraftError] = useState<string | null>(null);
  const evaluate = useMutation(trpc.alertRules.evaluateNow.mutationOptions());

  function run(form: HTMLFormElement | null) {
    if (!form) return;
    const draft = toRuleInput(readRule(form));
    if ('errors' in draft) {
      setDraftError(`Fix the draft first: ${Object.values(draft.errors).join(' ')}`);
      return;
    }
    setDraftError(null);
    evaluate.mutate({ id: ruleId, rule: draft.input });
  }

  return (
    <div className="flex flex-col gap-3 rounded-md border p-4" data-testid="evaluate-now">
      <div className="flex items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground">
          Runs the draft's query now and shows what the engine would do; nothing is saved.
        </p>
        <Button
          type="button"
          variant="outline"
          disabled={evaluate.isPending}
          onClick={(e) => run(e.currentTarget.form)}
        >
          Evaluate now
        </Button>
      </div>
      {draftError ? <FieldError>{draftError}</FieldError> : null}
      {evaluate.error ? <FieldError>{evaluate.error.message}</FieldError> : null}
      {evaluate.data ? <PreviewResult preview={evaluate.data} /> : null}
    </div>
  );
}

function PreviewResult({ preview }: { preview: Preview }) {
  const { outcome, evaluation } = preview;
  const summary =
    outcome.kind === 'error'
      ? `The query failed: ${outcome.message}`
      : outcome.kind === 'nodata'
        ? 'The query returned no series (no data).'
        : `${outcome.results.length} series, ${outcome.results.filter((r) => r.alerting).length} past the threshold.`;
  const changes = new Map(evaluation.transitions.map((t) => [t.fingerprint, t]));
  return (
    <div className="flex flex-col gap-2" data-testid="evaluate-result">
      <p className="text-sm" data-testid="evaluate-summary">
        {summary}
      </p>
      {evaluation.instances.length > 0 ? (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Alert labels</TableHead>
              <TableHead>Value</TableHead>
              <TableHead>Would be</TableHead>
              <TableHead>Change</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {evaluation.instances.map((i) => {
              const t = changes.get(i.fingerprint);
              return (
                <TableRow key={i.fingerprint}>
                  <TableCell className="font-mono text-xs">{labelText(i.labels)}</TableCell>
                  <TableCell>{i.value ?? '—'}</TableCell>
                  <TableCell>
                    <AlertStateBadge state={i.state} />
                  </TableCell>
                  <TableCell className="text-xs">
                    {t ? `${t.from} → ${t.to} (${t.reason})` : 'unchanged'}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      ) : null}
    </div>
  );
}
