import type { Metadata } from 'next';
import { SubscriptionAction } from '../subscription-action';

export const metadata: Metadata = { title: 'Confirm subscription', robots: { index: false } };
export const dynamic = 'force-dynamic';

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const [{ slug }, { token }] = await Promise.all([params, searchParams]);
  return <SubscriptionAction action="confirm" slug={slug} token={typeof token === 'string' ? token : ''} />;
}
