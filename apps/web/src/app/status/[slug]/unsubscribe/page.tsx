import type { Metadata } from 'next';
import { SubscriptionPage, type SubscriptionPageProps } from '../subscription-page';

export const metadata: Metadata = { title: 'Unsubscribe', robots: { index: false } };
export const dynamic = 'force-dynamic';

export default function Page(props: SubscriptionPageProps) {
  return <SubscriptionPage action="unsubscribe" {...props} />;
}
