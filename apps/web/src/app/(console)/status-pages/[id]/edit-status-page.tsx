'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { StatusPageForm } from '../status-page-form';
import { Subscribers } from './subscribers';

export function EditStatusPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const page = useSuspenseQuery(trpc.statusPages.get.queryOptions({ id }));
  return (
    <>
      <StatusPageForm saved={page.data} />
      <Subscribers pageId={id} />
    </>
  );
}
