'use client';

import { Button, FieldError, Input, Select } from '@sextant/ui';
import { type AlertMatcher, MATCHER_OPS } from '~/lib/matcher-text';

/**
 * A matcher set being edited: one row per matcher (label, operator, value), add and remove. `errors` are keyed
 * by row index (a message about one matcher), `set` is about the whole set.
 */
export function MatchersEditor({
  id,
  label,
  value,
  onChange,
  errors = {},
  setError,
}: {
  id: string;
  label: string;
  value: AlertMatcher[];
  onChange: (next: AlertMatcher[]) => void;
  errors?: Record<number, string | undefined>;
  setError?: string | null;
}) {
  const change = (i: number, patch: Partial<AlertMatcher>) =>
    onChange(value.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <fieldset
      className="flex flex-col gap-2"
      data-testid={id}
      aria-describedby={setError ? `${id}-error` : undefined}
    >
      <legend className="mb-1.5 text-sm font-medium">{label}</legend>
      {value.map((m, i) => (
        // Rows have no identity of their own; the index is what issue paths use too.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <div key={i} className="flex flex-col gap-1" data-testid="matcher-row">
          <div className="flex gap-2">
            <Input
              aria-label={`${label} ${i + 1} label`}
              value={m.label}
              onChange={(e) => change(i, { label: e.target.value })}
              placeholder="alertname"
              className="font-mono"
              autoComplete="off"
            />
            <Select
              aria-label={`${label} ${i + 1} operator`}
              value={m.op}
              onChange={(e) => change(i, { op: e.target.value as AlertMatcher['op'] })}
              className="w-20 shrink-0 font-mono"
            >
              {MATCHER_OPS.map((op) => (
                <option key={op} value={op}>
                  {op}
                </option>
              ))}
            </Select>
            <Input
              aria-label={`${label} ${i + 1} value`}
              aria-invalid={!!errors[i]}
              value={m.value}
              onChange={(e) => change(i, { value: e.target.value })}
              placeholder={m.op.includes('~') ? 'regex, anchored' : 'value'}
              className="font-mono"
              autoComplete="off"
            />
            <Button
              type="button"
              variant="outline"
              aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
              onClick={() => onChange(value.filter((_, j) => j !== i))}
              disabled={value.length === 1}
            >
              ×
            </Button>
          </div>
          {errors[i] ? <FieldError>{errors[i]}</FieldError> : null}
        </div>
      ))}
      <div>
        <Button
          type="button"
          variant="outline"
          size="sm"
          onClick={() => onChange([...value, { label: '', op: '=', value: '' }])}
        >
          Add matcher
        </Button>
      </div>
      {setError ? <FieldError id={`${id}-error`}>{setError}</FieldError> : null}
    </fieldset>
  );
}

/** Messages of a matcher set's issues: per row (`<at>.<i>.…`) and for the set (`<at>` itself). */
export function matcherErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  at: string,
): { rows: Record<number, string>; set: string | null } {
  const rows: Record<number, string> = {};
  let set: string | null = null;
  for (const issue of issues) {
    if (String(issue.path[0]) !== at) continue;
    const row = issue.path[1];
    if (row === undefined) set ??= issue.message;
    else rows[Number(row)] ??= issue.message;
  }
  return { rows, set };
}
