import type { AppRouter, inferRouterInputs, inferRouterOutputs } from '@sextant/trpc';

/** What each procedure returns and accepts, for typing props that carry API data. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
