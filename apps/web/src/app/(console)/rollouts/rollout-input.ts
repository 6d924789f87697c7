/** The list's input: the server prefetches exactly this, so the client's first query hits it. */
export const ROLLOUT_LIST = { limit: 50 } as const;

/** Rollout pages poll: the deploy tool and the workers move rollouts while someone watches. */
export const ROLLOUT_LIVE_MS = 3_000;
