import type { Metadata } from 'next';
import { readRange, resolveRange } from '~/lib/metrics-range';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { lineInputs, RED, USE } from './charts';
import { DashboardView } from './dashboard-view';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ service: string; environment: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { service, environment } = await params;
  return { title: `${service} · ${environment} · Metrics` };
}

export default async function ServiceMetricsPage({ params, searchParams }: Props) {
  await requireSession('viewer');
  const [{ service, environment }, query] = await Promise.all([params, searchParams]);
  const target = { service, environment };
  // One "now" for the server's prefetch and the browser's first render, so their query keys match.
  const now = Date.now();
  const window = resolveRange(
    readRange((key) => query[key]),
    now,
  );
  await Promise.all([
    ...[...RED, ...USE].flatMap((spec) =>
      lineInputs(spec, target, window).map((input) => prefetch(trpc.metrics.query.queryOptions(input))),
    ),
    prefetch(trpc.services.get.queryOptions({ id: service })),
  ]);
  return (
    <HydrateClient>
      <DashboardView target={target} now={now} />
    </HydrateClient>
  );
}
