import { SubscriptionAction } from './subscription-action';

export interface SubscriptionPageProps {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ token?: string | string[] }>;
}

/** What the confirm and unsubscribe routes render: the link's slug and token handed to the one-button view. */
export async function SubscriptionPage({
  action,
  params,
  searchParams,
}: SubscriptionPageProps & { action: 'confirm' | 'unsubscribe' }) {
  const [{ slug }, { token }] = await Promise.all([params, searchParams]);
  return <SubscriptionAction action={action} slug={slug} token={typeof token === 'string' ? token : ''} />;
}
