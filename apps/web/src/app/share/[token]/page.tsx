import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getQueryClient, trpc } from '~/trpc/server';
import { SharedDashboard } from './shared-dashboard';

export const metadata: Metadata = {
  title: 'Project report',
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};
// Read afresh on every visit: a revoked link must stop at once, so nothing here is cached.
export const dynamic = 'force-dynamic';

/** Outside the console, no sign-in: one project's dashboard through a share link (`progress.shared`). */
export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const data = await getQueryClient()
    .fetchQuery({ ...trpc.progress.shared.queryOptions({ token }), staleTime: 0, gcTime: 0 })
    .catch((e: { data?: { code?: string; appCode?: string } }) => {
      // Unknown, expired, revoked or malformed: one answer, the not-valid page with status 404.
      if (e?.data?.appCode === 'SHARE_LINK_INVALID' || e?.data?.code === 'BAD_REQUEST') notFound();
      throw e;
    });
  return (
    <main className="p-6 print:p-0">
      <SharedDashboard data={data} />
    </main>
  );
}
