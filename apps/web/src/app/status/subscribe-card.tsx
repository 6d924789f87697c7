'use client';

import { subscribeInput } from '@sextant/trpc/schemas';
import { Button, Checkbox, FieldError, Input, Label } from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '~/components/field';
import { SectionCard } from '~/components/section-card';
import { type InputIssue, stateFormErrors } from '~/lib/field-errors';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';

/**
 * "Subscribe to updates": an address and, optionally, the components it cares about (none = all). The answer is
 * the server's, the same whether the address was new or known, so the form never tells who subscribed.
 */
export function SubscribeCard({
  slug,
  components,
}: {
  slug: string;
  components: { key: string; name: string }[];
}) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [clientIssues, setClientIssues] = useState<InputIssue[]>([]);
  const subscribe = useMutation(trpc.statusPages.subscribe.mutationOptions());
  const hydrated = useHydrated();
  const { fieldError, message } = stateFormErrors(subscribe.error, clientIssues, ['email', 'components']);

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    subscribe.reset();
    const checked = subscribeInput.safeParse({ slug, email, components: chosen });
    setClientIssues(checked.success ? [] : checked.error.issues);
    if (checked.success) subscribe.mutate(checked.data);
  }

  return (
    <SectionCard title="Subscribe to updates" testId="status-subscribe">
      {subscribe.isSuccess ? (
        <p role="status" className="text-sm" data-testid="subscribe-answer">
          {subscribe.data.message}
        </p>
      ) : (
        <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
          <p className="text-sm text-muted-foreground">
            Get an email when an incident starts, changes or ends, and before maintenance. Every email has a
            one-click unsubscribe link.
          </p>
          <Field id="subscribe-email" label="Email" error={fieldError('email')}>
            {(p) => (
              <Input
                {...p}
                type="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          {components.length > 1 ? (
            <fieldset className="flex flex-col gap-1.5">
              <legend className="text-sm font-medium">Only these components (none: all of them)</legend>
              <div className="flex flex-wrap gap-x-4 gap-y-1.5">
                {components.map((c) => (
                  <div key={c.key} className="flex items-center gap-2">
                    <Checkbox
                      id={`subscribe-${c.key}`}
                      checked={chosen.includes(c.key)}
                      onChange={(e) =>
                        setChosen((ks) => (e.target.checked ? [...ks, c.key] : ks.filter((k) => k !== c.key)))
                      }
                    />
                    <Label htmlFor={`subscribe-${c.key}`} className="font-normal">
                      {c.name}
                    </Label>
                  </div>
                ))}
              </div>
              {fieldError('components') ? <FieldError>{fieldError('components')}</FieldError> : null}
            </fieldset>
          ) : null}
          {message ? <FieldError>{message}</FieldError> : null}
          <Button type="submit" className="w-fit" disabled={!hydrated || subscribe.isPending}>
            Subscribe
          </Button>
        </form>
      )}
    </SectionCard>
  );
}
