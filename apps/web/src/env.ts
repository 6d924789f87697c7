import { z } from 'zod';

/** Server-side settings of the console; validated once, on first use. */
const schema = z.object({
  API_URL: z.url().default('http://127.0.0.1:4000'),
  API_PROXY_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
});

let cached: z.infer<typeof schema> | undefined;

export function serverEnv() {
  if (!cached) {
    const parsed = schema.safeParse(
      Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')),
    );
    if (!parsed.success) {
      throw new Error(
        `Invalid console configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    }
    cached = parsed.data;
  }
  return cached;
}
