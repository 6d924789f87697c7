import { fingerprintSchema } from '@sextant/trpc/schemas';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { resolveRange } from '~/lib/metrics-range';
import { firstParam } from '~/lib/search-params';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';
import { AlertDetailView } from './alert-detail-view';
import { rangeCovering } from './range';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ fingerprint: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { fingerprint } = await params;
  return { title: `Alert ${fingerprint}` };
}

export default async function AlertPage({ params, searchParams }: Props) {
  const user = await requireSession('viewer');
  const [{ fingerprint }, query] = await Promise.all([params, searchParams]);
  if (!fingerprintSchema.safeParse(fingerprint).success) notFound();
  const rule = firstParam((key) => query[key], 'rule');
  const ref = { fingerprint, ...(rule ? { ruleId: rule } : {}) };
  const detail = await getQueryClient()
    .fetchQuery(trpc.alerts.get.queryOptions(ref))
    .catch((e: { data?: { code?: string } }) => {
      if (e?.data?.code === 'NOT_FOUND' || e?.data?.code === 'BAD_REQUEST') notFound();
      throw e;
    });
  // One "now" for the server's prefetch and the browser's first render, so their query keys match.
  const now = Date.now();
  const first = detail.history.at(-1)?.at ?? detail.alert?.activeAt ?? null;
  const range = rangeCovering(first, now);
  const { from, to } = resolveRange(range, now);
  await Promise.all([
    prefetch(trpc.alerts.chart.queryOptions({ ...ref, from, to })),
    prefetch(trpc.notifications.forAlert.queryOptions({ fingerprint })),
  ]);
  return (
    <HydrateClient>
      <AlertDetailView alertRef={ref} role={user.role} now={now} initialRange={range} />
    </HydrateClient>
  );
}
