import { z } from 'zod';

/** A service named by its id or its slug, as every procedure that takes one accepts it. */
export const serviceRef = z.string().trim().min(1).max(100);

/** The input of a procedure that acts on one row by its id. */
export const byId = z.object({ id: z.uuid() });

/** Pausing or resuming one monitor (check, heartbeat or scrape target). */
export const pauseInput = byId.extend({ paused: z.boolean() });
