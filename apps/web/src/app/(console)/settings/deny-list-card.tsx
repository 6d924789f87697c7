'use client';

import {
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  FieldError,
  Label,
  Textarea,
  toast,
} from '@sextant/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formError } from '~/lib/field-errors';
import { useTRPC } from '~/trpc/react';

/** First zod message under `networks.N`, which flattenError reports under the top-level key. */
function networksError(error: unknown): string | null {
  const data = (error as { data?: { zodError?: { fieldErrors?: Record<string, string[]> } } } | null)?.data;
  return data?.zodError?.fieldErrors?.networks?.[0] ?? null;
}

export function DenyListCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.settings.denyNetworks.queryOptions());
  const [text, setText] = useState<string | null>(null);
  const save = useMutation(
    trpc.settings.setDenyNetworks.mutationOptions({
      onSuccess: () => {
        toast.success('Deny list saved; probes use it within 10 s.');
        setText(null);
        void queryClient.invalidateQueries({ queryKey: trpc.settings.denyNetworks.queryKey() });
      },
    }),
  );
  const value = text ?? (current.data ?? []).join('\n');

  return (
    <Card>
      <CardHeader>
        <CardTitle>Networks no check may reach</CardTitle>
        <CardDescription>
          One CIDR per line, IPv4 or IPv6. Applied to every probe after DNS resolution, including redirects.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="flex flex-col gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({
              networks: value
                .split('\n')
                .map((l) => l.trim())
                .filter(Boolean),
            });
          }}
        >
          <Label htmlFor="deny-networks">Denied networks</Label>
          <Textarea
            id="deny-networks"
            className="min-h-28 font-mono"
            value={value}
            aria-invalid={!!networksError(save.error)}
            onChange={(e) => setText(e.target.value)}
          />
          {networksError(save.error) ? <FieldError>{networksError(save.error)}</FieldError> : null}
          {formError(save.error) ? <FieldError>{formError(save.error)}</FieldError> : null}
          <Button type="submit" className="self-start" disabled={save.isPending}>
            Save deny list
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
