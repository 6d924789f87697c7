import { httpConfig, tcpConfig } from '@sextant/db/check-config';
import { CHECK_KINDS } from '@sextant/db/enums';
import { z } from 'zod';
import { CHECK_LIMITS } from '../limits';
import { intIn } from './int';
import { patchOf } from './patch';

const checkCommon = {
  name: z.string().trim().min(1, 'Give the check a name.').max(CHECK_LIMITS.nameLength),
  environmentId: z.uuid('Pick an environment.'),
  intervalSeconds: intIn(CHECK_LIMITS.intervalSeconds, {
    min: 'At least 10 seconds.',
    max: 'At most 24 hours.',
  }).default(60),
  timeoutMs: intIn(CHECK_LIMITS.timeoutMs, { min: 'At least 100 ms.', max: 'At most 60 s.' }).default(10_000),
  failureThreshold: intIn(CHECK_LIMITS.threshold).default(2),
  successThreshold: intIn(CHECK_LIMITS.threshold).default(1),
  latencyThresholdMs: intIn(CHECK_LIMITS.latencyThresholdMs)
    .nullish()
    .transform((v) => v ?? null),
};

export const checkInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), ...checkCommon, config: httpConfig }),
  z.object({ kind: z.literal('tcp'), ...checkCommon, config: tcpConfig }),
]);

export type CheckInput = z.infer<typeof checkInput>;

/** A change to a check: any of its fields; `config` fields merge into the stored config when the kind stays. */
export const checkPatch = z.object({
  kind: z.enum(CHECK_KINDS).optional(),
  ...patchOf(z.object(checkCommon)).shape,
  // Strict, so a TCP config is not read as an HTTP one with its fields stripped.
  config: z.union([patchOf(httpConfig).strict(), patchOf(tcpConfig).strict()]).optional(),
});
export type CheckPatch = z.infer<typeof checkPatch>;
