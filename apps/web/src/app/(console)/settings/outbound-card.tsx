'use client';

import { Button, FieldError, Label, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
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
        <Label htmlFor="allow-networks">Allowed</Label>
        <Textarea
          id="allow-networks"
          className="min-h-20 font-mono"
          value={allow}
          placeholder={'127.0.0.1\n[::1]:8080'}
          disabled={!hydrated}
          aria-invalid={!!errors.allow}
          aria-describedby="allow-networks-hint"
          onChange={(e) => setAllowText(e.target.value)}
        />
        <p id="allow-networks-hint" className="text-xs text-muted-foreground">
          One per line: an address, a CIDR, or an address with a port (127.0.0.1:8080, [::1]:8080). Each
          change is recorded in the audit log.
        </p>
        {errors.allow ? <FieldError>{errors.allow}</FieldError> : null}
        <Label htmlFor="deny-networks">Also refused</Label>
        <Textarea
          id="deny-networks"
          className="min-h-20 font-mono"
          value={deny}
          placeholder="10.0.0.0/8"
          disabled={!hydrated}
          aria-invalid={!!errors.deny}
          onChange={(e) => setDenyText(e.target.value)}
        />
        {errors.deny ? <FieldError>{errors.deny}</FieldError> : null}
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
