import { apiKeysRouter } from './routers/api-keys';
import { auditRouter } from './routers/audit';
import { meRouter } from './routers/me';
import { systemRouter } from './routers/system';
import { usersRouter } from './routers/users';
import { createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  system: systemRouter,
  me: meRouter,
  users: usersRouter,
  apiKeys: apiKeysRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
