import type { RouterInputs, RouterOutputs } from '~/lib/router-types';

export type ServiceDetail = RouterOutputs['services']['get'];
export type Check = ServiceDetail['checks'][number];
export type Heartbeat = ServiceDetail['heartbeats'][number];
export type Environment = RouterOutputs['environments']['list'][number];

export type LatencyRange = RouterInputs['services']['latency']['range'];

/** The chart's first range; the server page prefetches exactly this one. */
export const DEFAULT_RANGE: LatencyRange = '24h';

/** The deployment timeline the page prefetches: the latest deployments in every environment. */
export const TIMELINE_INPUT = (service: string) => ({ service, limit: 20 });
