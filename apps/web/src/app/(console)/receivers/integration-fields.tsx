'use client';

import { SECRET_MASK } from '@sextant/trpc/schemas';
import { Button, Checkbox, Input, Label, Select } from '@sextant/ui';
import { Field, Options } from '~/components/field';
import { FIELDS, type FieldSpec, getPath, type IntegrationDraft, setPath } from './receiver-form';

/** The fields of one integration kind; `errors` are keyed by the integration's path (`integrations.0`). */
export function IntegrationFields({
  draft,
  base,
  errors,
  onChange,
}: {
  draft: IntegrationDraft;
  base: string;
  errors: Partial<Record<string, string>>;
  onChange: (values: IntegrationDraft['values']) => void;
}) {
  const kind = draft.values.kind as keyof typeof FIELDS;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {FIELDS[kind].map((spec) => {
        const id = `${base}.${spec.name}`;
        // A refusal about the SMTP host as a whole (deny list) sits under `smarthost`.
        const error =
          errors[id] ?? (spec.name.startsWith('smarthost.') ? errors[`${base}.smarthost`] : undefined);
        const value = getPath(draft.values, spec.name);
        const set = (v: unknown) => onChange(setPath(draft.values, spec.name, v));
        if (spec.type === 'bool')
          return (
            <div key={spec.name} className="flex items-center gap-2 self-end">
              <Checkbox id={id} checked={value === true} onChange={(e) => set(e.target.checked)} />
              <Label htmlFor={id}>{spec.label}</Label>
            </div>
          );
        return (
          <Field key={spec.name} id={id} label={spec.label} error={error} hint={spec.hint}>
            {(control) => (
              <Control
                spec={spec}
                value={value}
                set={set}
                stored={draft.stored.includes(spec.name)}
                control={control}
              />
            )}
          </Field>
        );
      })}
    </div>
  );
}

function Control({
  spec,
  value,
  set,
  stored,
  control,
}: {
  spec: FieldSpec;
  value: unknown;
  set: (v: unknown) => void;
  stored: boolean;
  control: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined };
}) {
  switch (spec.type) {
    case 'number':
      return (
        <Input
          {...control}
          type="number"
          inputMode="numeric"
          min={spec.range?.min}
          max={spec.range?.max}
          value={typeof value === 'number' && !Number.isNaN(value) ? value : ''}
          onChange={(e) => set(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      );
    case 'select':
      return (
        <Select {...control} value={String(value)} onChange={(e) => set(e.target.value)}>
          <Options values={spec.options ?? []} />
        </Select>
      );
    case 'list':
      return (
        <Input
          {...control}
          defaultValue={(value as string[]).join(', ')}
          onChange={(e) =>
            set(
              e.target.value
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            )
          }
        />
      );
    case 'secret':
      return (
        <SecretInput spec={spec} value={value as string | null} set={set} stored={stored} control={control} />
      );
    default:
      return <Input {...control} value={String(value ?? '')} onChange={(e) => set(e.target.value)} />;
  }
}

/** A stored secret is never shown: the input stays empty ("set — leave to keep"), typing replaces it. */
function SecretInput({
  spec,
  value,
  set,
  stored,
  control,
}: {
  spec: FieldSpec;
  value: string | null;
  set: (v: unknown) => void;
  stored: boolean;
  control: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined };
}) {
  const kept = value === SECRET_MASK;
  const removed = stored && value === null;
  return (
    <div className="flex gap-2">
      <Input
        {...control}
        type="password"
        autoComplete="off"
        data-secret-state={kept ? 'kept' : removed ? 'removed' : 'typed'}
        placeholder={kept ? 'set — leave to keep, type to replace' : removed ? 'will be removed' : ''}
        value={kept || value === null ? '' : value}
        onChange={(e) => set(e.target.value === '' && stored ? SECRET_MASK : e.target.value)}
      />
      {stored && spec.optional ? (
        <Button type="button" size="sm" variant="outline" onClick={() => set(kept ? null : SECRET_MASK)}>
          {kept ? 'Remove' : 'Keep'}
        </Button>
      ) : null}
    </div>
  );
}
