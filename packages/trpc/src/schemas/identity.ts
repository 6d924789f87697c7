import { API_KEY_ROLES, PASSWORD_MAX, PASSWORD_MIN, ROLES } from '@sextant/db/roles';
import { z } from 'zod';
import { boundedDate } from './time-range';

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

export const passwordChangeInput = z.object({
  currentPassword: z.string().min(1, 'Enter your current password.').max(PASSWORD_MAX),
  newPassword: passwordSchema,
});

const userName = z.string().trim().max(120);

export const userInput = z.object({
  email: z.email('Enter a valid email address.').max(254),
  name: userName.optional(),
  role: z.enum(ROLES),
  /** Omit to generate a temporary password, shown once. */
  password: passwordSchema.optional(),
});

export const userChanges = z.object({
  name: userName.nullable().optional(),
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
});

export const apiKeyInput = z.object({
  name: z.string().trim().min(1, 'Give the key a name.').max(100),
  role: z.enum(API_KEY_ROLES, {
    error: 'A key can be viewer or maintainer: admin work needs a signed-in person.',
  }),
  expiresAt: boundedDate.optional(),
});
