import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { ReceiverPage } from '../receiver-page';

export const metadata: Metadata = { title: 'New receiver' };
export const dynamic = 'force-dynamic';

export default async function NewReceiverPage() {
  await requireSession('maintainer');
  return <ReceiverPage canEdit />;
}
