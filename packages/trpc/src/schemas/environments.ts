import { z } from 'zod';

export const environmentName = z
  .string()
  .trim()
  .min(1, 'Give it a name.')
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, 'Letters, digits, - and _ only.');

export const environmentInput = z.object({ name: environmentName, isProduction: z.boolean().default(false) });
