import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { getQueryClient, HydrateClient, trpc } from '~/trpc/server';
import { StatusSlugView } from './status-slug-view';

export const metadata: Metadata = { title: 'Status' };
export const dynamic = 'force-dynamic';

/** Outside the console: a public page for anyone, a private one for signed-in users, else sign-in and back. */
export default async function StatusSlugPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await getQueryClient()
    .fetchQuery(trpc.statusPages.view.queryOptions({ slug }))
    .catch((e: { data?: { code?: string; appCode?: string } }) => {
      if (e?.data?.appCode === 'STATUS_PAGE_SIGN_IN')
        redirect(`/signin?callbackUrl=${encodeURIComponent(`/status/${slug}`)}`);
      // A malformed slug names no page either.
      if (e?.data?.code === 'NOT_FOUND' || e?.data?.code === 'BAD_REQUEST') notFound();
      throw e;
    });
  return (
    <HydrateClient>
      <StatusSlugView slug={slug} />
    </HydrateClient>
  );
}
