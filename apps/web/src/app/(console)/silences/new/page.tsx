import type { Metadata } from 'next';
import { ConsolePage } from '~/components/page-header';
import { type AlertMatcher, parseMatcher } from '~/lib/matcher-text';
import { requireSession } from '~/server/session';
import { SilenceForm } from '../silence-form';

export const metadata: Metadata = { title: 'New silence' };
export const dynamic = 'force-dynamic';

/** Prefilled from `?matcher=alertname%3DHighErrors&matcher=…` (see newSilenceHref), e.g. by "Silence this alert". */
export default async function NewSilencePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireSession('maintainer');
  const raw = (await searchParams).matcher;
  const matchers = (Array.isArray(raw) ? raw : raw ? [raw] : [])
    .map(parseMatcher)
    .filter((m): m is AlertMatcher => m !== null);
  return (
    <ConsolePage
      title="New silence"
      description="Mutes the alerts its matchers select between its start and end."
      back={{ href: '/silences', label: 'Silences' }}
    >
      <SilenceForm initialMatchers={matchers} />
    </ConsolePage>
  );
}
