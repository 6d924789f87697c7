'use client';

import { Badge } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { MatcherChips } from '~/components/matcher-chips';
import { ConsolePage } from '~/components/page-header';
import { SectionCard } from '~/components/section-card';
import { LocalTime } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import { SilenceForm } from '../../silence-form';
import { SILENCE_TONE } from '../../silence-row';

export function EditSilenceView({ id }: { id: string }) {
  const trpc = useTRPC();
  const query = useSuspenseQuery(trpc.silences.get.queryOptions({ id }));
  const { data } = query;
  const history = [...data.replaced, data.silence, ...data.replacedBy];
  return (
    <ConsolePage
      title="Edit silence"
      description="Changing only the end or comment keeps this silence; changing matchers or an active silence's start expires it and creates a new one."
      back={{ href: '/silences', label: 'Silences' }}
      refreshed={[query]}
    >
      {data.silence.state === 'expired' ? (
        <p className="text-sm text-muted-foreground">This silence has expired and cannot be edited.</p>
      ) : (
        <SilenceForm
          key={data.silence.updatedAt.toISOString()}
          initialMatchers={data.silence.matchers}
          silence={data.silence}
        />
      )}
      {history.length > 1 ? (
        <SectionCard
          title="History"
          description="The silences this one replaced, and those that replaced it."
        >
          <ol className="flex flex-col gap-2" data-testid="silence-history">
            {history.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center gap-2 text-sm">
                <Badge tone={SILENCE_TONE[s.state]}>{s.state}</Badge>
                <MatcherChips matchers={s.matchers} />
                <LocalTime value={s.startsAt} /> – <LocalTime value={s.endsAt} />
                {s.id === id ? <span className="text-xs text-muted-foreground">(this one)</span> : null}
                {s.id !== id && s.state !== 'expired' ? (
                  <Link href={`/silences/${s.id}/edit`} className="text-xs underline">
                    open
                  </Link>
                ) : null}
              </li>
            ))}
          </ol>
        </SectionCard>
      ) : null}
    </ConsolePage>
  );
}
