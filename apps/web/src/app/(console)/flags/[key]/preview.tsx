'use client';

import { evaluate, type FlagConfigInput, type FlagType } from '@sextant/flags';
import { Button, Input, Label } from '@sextant/ui';
import { useDeferredValue, useMemo, useState } from 'react';
import { SectionCard } from '~/components/section-card';
import { distribution, share } from '~/lib/flags';

const DEFAULTS: Record<FlagType, unknown> = { boolean: false, string: '', number: 0, json: null };
const MAX_FIELDS = 10;

interface Sample {
  userId: string;
  sessionId: string;
  fields: { name: string; value: string }[];
}

/** The two stickiness fields, typed in like any sample value but randomised for the 1,000 users. */
const ID_FIELDS = [
  { name: 'userId', id: 'sample-user' },
  { name: 'sessionId', id: 'sample-session' },
] as const;

/** The sample as an evaluation context: empty fields left out, as an SDK would not send them. */
function toContext(sample: Sample): Record<string, string> {
  const context: Record<string, string> = {};
  for (const f of sample.fields) if (f.name.trim() && f.value !== '') context[f.name.trim()] = f.value;
  if (sample.userId) context.userId = sample.userId;
  if (sample.sessionId) context.sessionId = sample.sessionId;
  return context;
}

/**
 * "Who gets what", live on the draft: the sample context and 1,000 random users through `evaluate` from
 * @sextant/flags, in the browser, the same evaluator the API and the clients run.
 */
export function Preview({
  flagKey,
  type,
  config,
}: {
  flagKey: string;
  type: FlagType;
  config: { strategies: unknown[]; variants: unknown[] } & Omit<FlagConfigInput, 'strategies' | 'variants'>;
}) {
  const [sample, setSample] = useState<Sample>({
    userId: 'user-42',
    sessionId: '',
    fields: [{ name: 'country', value: '' }],
  });
  const deferred = useDeferredValue(config);
  const context = useMemo(() => toContext(sample), [sample]);
  const flag = deferred as FlagConfigInput;
  const one = useMemo(
    () => evaluate(flagKey, flag, type, DEFAULTS[type] as never, context),
    [flagKey, flag, type, context],
  );
  // The random users take the sample's other fields; their own userId and sessionId are random.
  const base = useMemo(() => {
    const { userId: _u, sessionId: _s, ...rest } = context;
    return rest;
  }, [context]);
  const many = useMemo(() => distribution(flag, base), [flag, base]);
  const setField = (i: number, p: Partial<Sample['fields'][number]>) =>
    setSample((s) => ({ ...s, fields: s.fields.map((f, j) => (j === i ? { ...f, ...p } : f)) }));
  return (
    <SectionCard
      title="Who gets what"
      description="The unsaved draft, evaluated here in the browser by the same evaluator as the API."
      testId="flag-preview"
    >
      <div className="flex flex-col gap-4">
        <div className="grid gap-2 sm:grid-cols-2">
          {ID_FIELDS.map(({ name, id }) => (
            <div key={name} className="flex flex-col gap-1">
              <Label htmlFor={id}>{name}</Label>
              <Input
                id={id}
                value={sample[name]}
                maxLength={200}
                onChange={(e) => setSample({ ...sample, [name]: e.target.value })}
              />
            </div>
          ))}
          {sample.fields.map((f, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a field being renamed keeps its row
            <div key={i} className="contents">
              <Input
                aria-label={`Sample field ${i + 1} name`}
                placeholder="field"
                value={f.name}
                maxLength={200}
                onChange={(e) => setField(i, { name: e.target.value })}
              />
              <Input
                aria-label={`Sample field ${i + 1} value`}
                placeholder="value"
                value={f.value}
                maxLength={1000}
                onChange={(e) => setField(i, { value: e.target.value })}
              />
            </div>
          ))}
        </div>
        <Button
          size="sm"
          variant="outline"
          type="button"
          className="self-start"
          disabled={sample.fields.length >= MAX_FIELDS}
          onClick={() => setSample({ ...sample, fields: [...sample.fields, { name: '', value: '' }] })}
        >
          Add field
        </Button>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="preview-sample">
          <dt className="text-muted-foreground">Value</dt>
          <dd className="font-mono" data-testid="preview-value">
            {JSON.stringify(one.value)}
          </dd>
          <dt className="text-muted-foreground">Variant</dt>
          <dd>{one.variant ?? '—'}</dd>
          <dt className="text-muted-foreground">Reason</dt>
          <dd data-testid="preview-reason">
            {one.reason}
            {one.errorCode ? ` (${one.errorCode}: ${one.errorMessage})` : ''}
          </dd>
        </dl>
        <p className="text-sm" data-testid="preview-distribution" data-on={many.error ? undefined : many.on}>
          {many.error ? (
            <span className="text-destructive">The draft cannot be evaluated: {many.error}</span>
          ) : (
            <>
              <span className="font-medium">{many.users.toLocaleString('en')} random users:</span>{' '}
              {share(many.on, many.users)} on
              {many.variants.length
                ? `; ${many.variants.map((v) => `${v.name} ${share(v.users, many.users)}`).join(', ')}`
                : ''}
            </>
          )}
        </p>
        <p className="text-xs text-muted-foreground">
          Random users get random userId and sessionId; the other fields are the sample&apos;s.
        </p>
      </div>
    </SectionCard>
  );
}
