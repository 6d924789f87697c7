import type { ErrorClass } from './types';

/** An outcome we already classified ourselves (refused by the outbound policy, timeout, bad config). */
export class ProbeError extends Error {
  constructor(
    readonly errorClass: ErrorClass,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}
