/** Inputs of the project progress reads (issue 17); shared by the server and the console. */
import { z } from 'zod';

export const projectProgressInput = z.object({ projectId: z.uuid() });
export type ProjectProgressInput = z.infer<typeof projectProgressInput>;
