import { STATUS_PAGE_VISIBILITIES } from '@sextant/db/enums';
import { z } from 'zod';
import { STATUS_PAGE_LIMITS as L } from '../limits';
import { patchOf } from './patch';

/** A page's address: lowercase letters, digits and single dashes (the table checks the same shape). */
export const statusPageSlug = z
  .string()
  .trim()
  .min(1, 'Give the page an address.')
  .max(L.slugLength)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lowercase letters, digits and single dashes.');

/** Empty text means none. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((s) => s || null);

export const statusPageComponentInput = z.object({
  serviceId: z.uuid(),
  group: optionalText(L.groupNameLength),
});

/** A status page as the console's form sends it; components in display order. */
export const statusPageInput = z.object({
  slug: statusPageSlug,
  title: z.string().trim().min(1, 'Give the page a title.').max(L.titleLength),
  visibility: z.enum(STATUS_PAGE_VISIBILITIES).default('private'),
  logoUrl: z
    .url({ protocol: /^https?$/, error: 'Enter an http(s) URL.' })
    .max(L.logoUrlLength)
    .nullish()
    .transform((u) => u ?? null),
  footer: optionalText(L.footerLength),
  /** The email integration that sends subscriber mail; none → the page offers no email subscription. */
  mailIntegrationId: z
    .uuid()
    .nullish()
    .transform((id) => id ?? null),
  environmentIds: z
    .array(z.uuid())
    .min(1, 'Pick at least one environment.')
    .max(L.environments)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'Each environment once.' }),
  components: z
    .array(statusPageComponentInput)
    .max(L.components)
    .refine((cs) => new Set(cs.map((c) => c.serviceId)).size === cs.length, {
      message: 'Each service once.',
    }),
});
export type StatusPageInput = z.output<typeof statusPageInput>;

/** An update: fields left out keep their stored values; `environmentIds` or `components`, when sent, replace the set. */
export const statusPagePatch = patchOf(statusPageInput);
export type StatusPagePatch = z.output<typeof statusPagePatch>;

export const statusPageViewInput = z.object({ slug: statusPageSlug });

/** The Statuspage v2 JSON files a public page answers under `api/v2/`. */
export const STATUSPAGE_FILES = [
  'summary.json',
  'status.json',
  'components.json',
  'incidents.json',
  'incidents/unresolved.json',
  'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json',
  'scheduled-maintenances/active.json',
] as const;
export type StatuspageFile = (typeof STATUSPAGE_FILES)[number];

/** The windows of a component's uptime badge. */
export const BADGE_WINDOWS = ['24h', '7d', '30d'] as const;
export type BadgeWindow = (typeof BADGE_WINDOWS)[number];

/** RFC 8058 one-click unsubscribe (POST only; the List-Unsubscribe header of every notice mail points here). */
export const UNSUBSCRIBE_EDGE = 'one-click-unsubscribe';

const COMPONENT_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const COMPONENT_BADGES = new Set(['badge.svg', ...BADGE_WINDOWS.map((w) => `uptime-${w}.svg`)]);
const PAGE_EDGES = new Set<string>([
  ...STATUSPAGE_FILES.map((f) => `api/v2/${f}`),
  'history.atom',
  'history.rss',
  'badge.svg',
  UNSUBSCRIBE_EDGE,
]);

/** Whether `path` (after `<page>/`) is one of a page's machine-readable edges; the console forwards only these. */
export function isStatusPageEdge(path: string): boolean {
  if (PAGE_EDGES.has(path)) return true;
  const [components, key, file, ...rest] = path.split('/');
  return (
    components === 'components' &&
    rest.length === 0 &&
    !!key &&
    key.length <= L.slugLength &&
    COMPONENT_KEY.test(key) &&
    COMPONENT_BADGES.has(file ?? '')
  );
}
