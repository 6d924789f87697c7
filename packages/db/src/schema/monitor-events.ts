import { bigserial, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { checkRef } from './checks';
import { monitorStatusEnum, ts } from './columns';
import { heartbeatRef } from './heartbeats';
import { serviceRef } from './services';

/** State changes (UP → DOWN → UP …) with their cause; uptime is computed from these, time-weighted. */
export const monitorEvents = pgTable(
  'monitor_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    checkId: checkRef(),
    heartbeatId: heartbeatRef(),
    serviceId: serviceRef(),
    at: ts().notNull().defaultNow(),
    fromStatus: monitorStatusEnum().notNull(),
    toStatus: monitorStatusEnum().notNull(),
    cause: text(),
    /** How long the previous state lasted. */
    previousDurationMs: integer(),
  },
  (t) => [
    index('monitor_events_check_idx').on(t.checkId, t.at),
    index('monitor_events_heartbeat_idx').on(t.heartbeatId, t.at),
    index('monitor_events_service_idx').on(t.serviceId, t.at),
  ],
);
