import { z } from 'zod';

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/** Server-side settings of the console; validated once, on first use. */
const schema = z.object({
  API_URL: z.url().default('http://127.0.0.1:4000'),
  API_PROXY_TIMEOUT_MS: int(15_000, 100, 300_000),
  API_PROXY_BODY_LIMIT_BYTES: int(1_048_576, 1_024, 104_857_600),
  DATABASE_URL: z.url().optional(),
  SEXTANT_PG_PORT: int(54329, 1, 65535),
  AUTH_SECRET: z.string().min(32).optional(),
  AUTH_SESSION_IDLE_MINUTES: int(30, 1, 10_080),
  AUTH_SESSION_ABSOLUTE_HOURS: int(12, 1, 8_760),
  SIGNIN_MAX_PER_IP: int(20, 1, 100_000),
  SIGNIN_FREE_FAILURES: int(5, 1, 1_000),
  SIGNIN_WINDOW_MINUTES: int(15, 1, 1_440),
  SIGNIN_MAX_DELAY_SECONDS: int(60, 1, 86_400),
  AUTH_GITHUB_ID: z.string().min(1).optional(),
  AUTH_GITHUB_SECRET: z.string().min(1).optional(),
  AUTH_OIDC_ISSUER: z.url().optional(),
  AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
  AUTH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  AUTH_OIDC_NAME: z.string().min(1).default('Single sign-on'),
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
