import { FieldError, Input, Label } from '@sextant/ui';

export interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/** Label, control and its message (error or hint), wired together by id for screen readers and tests. */
export function Field({
  id,
  label,
  error,
  hint,
  className,
  children,
}: {
  id: string;
  label: React.ReactNode;
  error?: string | null;
  hint?: React.ReactNode;
  className?: string;
  children: (control: ControlProps) => React.ReactNode;
}) {
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={className ?? 'flex flex-col gap-1.5'}>
      <Label htmlFor={id}>{label}</Label>
      {children({ id, 'aria-invalid': !!error, 'aria-describedby': describedBy })}
      {error ? (
        <FieldError id={`${id}-error`}>{error}</FieldError>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled whole-number input bounded like its schema field (ranges from `@sextant/trpc/limits`). */
export function NumberField({
  id,
  label,
  error,
  hint,
  name,
  range,
  defaultValue,
}: {
  id: string;
  label: React.ReactNode;
  error?: string | null;
  hint?: React.ReactNode;
  name: string;
  range: { min: number; max: number };
  defaultValue: string;
}) {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {(control) => (
        <Input
          {...control}
          name={name}
          type="number"
          inputMode="numeric"
          min={range.min}
          max={range.max}
          defaultValue={defaultValue}
        />
      )}
    </Field>
  );
}

/** A select's options where each value is its own label (roles, tiers, HTTP methods). */
export function Options({ values }: { values: readonly string[] }) {
  return values.map((v) => (
    <option key={v} value={v}>
      {v}
    </option>
  ));
}

/** Values a text input offers as you type (its `list`), e.g. known audit actions or time zones. */
export function Suggestions({ id, values }: { id: string; values: readonly string[] }) {
  return (
    <datalist id={id}>
      {values.map((v) => (
        <option key={v} value={v} />
      ))}
    </datalist>
  );
}
