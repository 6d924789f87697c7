'use client';

import { Button, FieldError, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '~/components/field';
import { RefreshError } from '~/components/refresh-error';
import { SectionCard } from '~/components/section-card';
import { fieldErrors, formError } from '~/lib/field-errors';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** What checks and scrapes may reach: the built-in refusals, Sextant's own ports, the allow and deny lists. */
export function OutboundCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useSuspenseQuery(trpc.settings.outbound.queryOptions());
  // Read-only until hydrated: typed before then, a value would be overwritten by React's first render.
  const hydrated = useHydrated();
  const [allowText, setAllowText] = useState<string | null>(null);
  const [denyText, setDenyText] = useState<string | null>(null);
  const save = useMutation(
    trpc.settings.setOutbound.mutationOptions({
      onSuccess: (saved) => {
        toast.success('Outbound rules saved; probes use them within 10 s.');
        setAllowText(null);
        setDenyText(null);
        queryClient.setQueryData(trpc.settings.outbound.queryKey(), saved);
      },
    }),
  );
  const data = current.data;
  const allow = allowText ?? data.allow.join('\n');
  const deny = denyText ?? data.deny.join('\n');
  const errors = fieldErrors(save.error);
  const privateNetworks = data.privateNetworks;
  const privateDenied = privateNetworks.length > 0 && privateNetworks.every((n) => lines(deny).includes(n));

  return (
    <SectionCard
      id="outbound"
      title="Outbound: what checks may reach"
      description={
        <>
          Every check and scrape is vetted after DNS resolution, on every redirect hop. Private networks are
          reachable by default; this machine and the clouds' metadata services are not. The most specific rule
          wins, so allowing <code>127.0.0.1</code> opens that address but not Sextant's own ports on it.
        </>
      }
      className="flex flex-col gap-4"
    >
      <RefreshError queries={[current]} />
      <details className="text-sm" data-testid="outbound-built-in">
        <summary className="cursor-pointer">Always refused unless allowed below</summary>
        <ul className="mt-2 grid gap-1 font-mono text-xs">
          {data.builtIn.map((r) => (
            <li key={r.cidr}>
              {r.cidr} <span className="font-sans text-muted-foreground">— {r.label}</span>
            </li>
          ))}
          {data.protectedPorts.map((p) => (
            <li key={p.port}>
              port {p.port} on this machine{' '}
              <span className="font-sans text-muted-foreground">
                — Sextant's own {p.name}; allow exactly address:port to open it
              </span>
            </li>
          ))}
        </ul>
      </details>
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ allow: lines(allow), deny: lines(deny) });
        }}
      >
        <Field
          id="allow-networks"
          label="Allowed"
          error={errors.allow}
          hint="One per line: an address, a CIDR, or an address with a port (127.0.0.1:8080, [::1]:8080). Each change is recorded in the audit log."
        >
          {(control) => (
            <Textarea
              {...control}
              className="min-h-20 font-mono"
              value={allow}
              placeholder={'127.0.0.1\n[::1]:8080'}
              disabled={!hydrated}
              onChange={(e) => setAllowText(e.target.value)}
            />
          )}
        </Field>
        <Field id="deny-networks" label="Also refused" error={errors.deny}>
          {(control) => (
            <Textarea
              {...control}
              className="min-h-20 font-mono"
              value={deny}
              placeholder="10.0.0.0/8"
              disabled={!hydrated}
              onChange={(e) => setDenyText(e.target.value)}
            />
          )}
        </Field>
        {formError(save.error) ? <FieldError>{formError(save.error)}</FieldError> : null}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={!hydrated || save.isPending}>
            Save outbound rules
          </Button>
          <Button
            type="button"
            variant="outline"
            disabled={!hydrated || save.isPending || privateDenied}
            title={privateNetworks.join(', ')}
            onClick={() =>
              save.mutate({ allow: lines(allow), deny: [...new Set([...lines(deny), ...privateNetworks])] })
            }
          >
            Deny private networks too
          </Button>
        </div>
      </form>
    </SectionCard>
  );
}
