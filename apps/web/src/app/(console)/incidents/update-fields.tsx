'use client';

import type { IncidentUpdateVisibility } from '@sextant/db/enums';
import { INCIDENT_LIMITS } from '@sextant/trpc/limits';
import { Checkbox, Label, Textarea } from '@sextant/ui';
import { Field } from '~/components/field';

export interface UpdateDraft {
  body: string;
  visibility: IncidentUpdateVisibility;
}

/** A timeline update's text (markdown, shown as plain text) and whether it stays internal. */
export function UpdateFields({
  idPrefix,
  label,
  value,
  onChange,
  error,
}: {
  idPrefix: string;
  label: string;
  value: UpdateDraft;
  onChange: (next: UpdateDraft) => void;
  error: string | null;
}) {
  return (
    <div className="flex flex-col gap-2">
      <Field
        id={`${idPrefix}-body`}
        label={label}
        error={error}
        hint="Markdown; shown as written. Public updates may appear on status pages."
      >
        {(p) => (
          <Textarea
            {...p}
            rows={4}
            value={value.body}
            onChange={(e) => onChange({ ...value, body: e.target.value })}
            maxLength={INCIDENT_LIMITS.updateBodyLength}
          />
        )}
      </Field>
      <div className="flex items-center gap-2">
        <Checkbox
          id={`${idPrefix}-internal`}
          checked={value.visibility === 'internal'}
          onChange={(e) => onChange({ ...value, visibility: e.target.checked ? 'internal' : 'public' })}
        />
        <Label htmlFor={`${idPrefix}-internal`}>Internal (never on a status page)</Label>
      </div>
    </div>
  );
}
