import type { Db, Sql } from '@sextant/db';
import {
  BADGE_WINDOWS,
  publicStatusPageUptimes,
  publicStatusPageView,
  type Runtime,
  STATUSPAGE_FILES,
  SUBSCRIBER_LIMITS,
  UNSUBSCRIBE_EDGE,
  unsubscribeByToken,
  viewVersion,
} from '@sextant/trpc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { statusBadge, uptimeBadge } from './badges';
import { atomFeed, rssFeed } from './feeds';
import { type PageRef, statuspageDocument } from './statuspage-v2';

export interface StatusPageEdgeDeps {
  sql: Sql;
  /** Drizzle on the same pool: the one-click unsubscribe is an audited change. */
  db: Db;
  runtime: Runtime;
  /** The console's public URL; a page lives at `<publicUrl>/status/<slug>`. */
  publicUrl: string;
}

/** Page and component keys are slugs; anything else is refused before any work. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SLUG_MAX = 60;
/** Short: a change reaches readers within this, and the cache behind absorbs the rest. */
const MAX_AGE_SECONDS = 30;

const TYPES = {
  json: 'application/json; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  svg: 'image/svg+xml',
} as const;

const isSlug = (s: string) => s.length <= SLUG_MAX && SLUG.test(s);

/** Headers every answer carries, 404 included, so a private page and an unknown one look alike. */
function common(reply: FastifyReply) {
  return (
    reply
      .header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`)
      .header('access-control-allow-origin', '*')
      // Badges and JSON are embedded and fetched from other sites (READMEs, widgets).
      .header('cross-origin-resource-policy', 'cross-origin')
  );
}

const notFound = (reply: FastifyReply) => common(reply).code(404).send({ error: 'Not found.' });

/** If-None-Match holds this ETag (weak or strong, or `*`). */
function matches(req: FastifyRequest, etag: string) {
  const given = req.headers['if-none-match'];
  if (!given) return false;
  const bare = etag.replace(/^W\//, '');
  return given.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

/** 304 when the caller has this version, else the body rendered now (rendering only, never a rebuild). */
function send(req: FastifyRequest, reply: FastifyReply, etag: string, type: string, render: () => string) {
  common(reply).header('etag', etag);
  if (matches(req, etag)) return reply.code(304).send();
  return reply.type(type).send(render());
}

/**
 * The machine-readable edges of public status pages: Statuspage v2 JSON, Atom/RSS history feeds and SVG badges.
 * All read the NOTIFY-cleared page cache; a private or unknown page answers one and the same 404.
 */
export function registerStatusPageEdges(app: FastifyInstance, deps: StatusPageEdgeDeps) {
  const ctx = { sql: deps.sql, runtime: deps.runtime };
  const refOf = (slug: string): PageRef => ({ slug, url: `${deps.publicUrl}/status/${slug}` });

  /** The page's view, or null (already answered 404). */
  const viewFor = async (slug: string, reply: FastifyReply) => {
    const view = isSlug(slug) ? await publicStatusPageView(ctx, slug) : null;
    if (!view) notFound(reply);
    return view;
  };

  for (const file of STATUSPAGE_FILES) {
    app.get<{ Params: { slug: string } }>(`/status-pages/:slug/api/v2/${file}`, async (req, reply) => {
      const view = await viewFor(req.params.slug, reply);
      if (!view) return reply;
      return send(req, reply, `"j-${viewVersion(view)}"`, TYPES.json, () =>
        JSON.stringify(statuspageDocument(file, view, refOf(req.params.slug))),
      );
    });
  }

  for (const [ext, render] of [
    ['atom', atomFeed],
    ['rss', rssFeed],
  ] as const) {
    app.get<{ Params: { slug: string } }>(`/status-pages/:slug/history.${ext}`, async (req, reply) => {
      const view = await viewFor(req.params.slug, reply);
      if (!view) return reply;
      return send(req, reply, `"${ext}-${viewVersion(view)}"`, TYPES[ext], () =>
        render(view, refOf(req.params.slug)),
      );
    });
  }

  app.get<{ Params: { slug: string } }>('/status-pages/:slug/badge.svg', async (req, reply) => {
    const view = await viewFor(req.params.slug, reply);
    if (!view) return reply;
    return send(req, reply, `"b-${viewVersion(view)}"`, TYPES.svg, () => statusBadge('status', view.overall));
  });

  type ComponentParams = { Params: { slug: string; key: string } };
  const componentOf = async (req: FastifyRequest<ComponentParams>, reply: FastifyReply) => {
    const { slug, key } = req.params;
    if (!isSlug(key)) {
      notFound(reply);
      return null;
    }
    const view = await viewFor(slug, reply);
    if (!view) return null;
    const component = view.groups.flatMap((g) => g.components).find((c) => c.key === key);
    if (!component) notFound(reply);
    return component ? { view, component } : null;
  };

  app.get<ComponentParams>('/status-pages/:slug/components/:key/badge.svg', async (req, reply) => {
    const found = await componentOf(req, reply);
    if (!found) return reply;
    const { view, component } = found;
    return send(req, reply, `"c-${viewVersion(view)}"`, TYPES.svg, () =>
      statusBadge(component.name, component.status, component.noData),
    );
  });

  for (const window of BADGE_WINDOWS) {
    app.get<ComponentParams>(
      `/status-pages/:slug/components/:key/uptime-${window}.svg`,
      async (req, reply) => {
        const found = await componentOf(req, reply);
        if (!found) return reply;
        const uptimes = await publicStatusPageUptimes(ctx, req.params.slug, found.view);
        const figures = uptimes?.byKey.get(found.component.key);
        // The page changed between the two reads (a NOTIFY in between): it is gone or private now.
        if (!uptimes || !figures) return notFound(reply);
        const etag = `"u-${viewVersion(found.view)}-${uptimes.computedAt.getTime().toString(36)}"`;
        return send(req, reply, etag, TYPES.svg, () => uptimeBadge(`uptime ${window}`, figures[window]));
      },
    );
  }

  /**
   * RFC 8058 one-click unsubscribe: the List-Unsubscribe-Post target of every notice mail. POST only (a GET never
   * changes state: mail scanners follow links); idempotent; the token is the whole credential.
   */
  app.register(async (scope) => {
    // Mail providers post `List-Unsubscribe=One-Click` as a form; its content is fixed, so it is read and ignored.
    scope.addContentTypeParser(
      ['application/x-www-form-urlencoded', 'multipart/form-data'],
      { parseAs: 'string', bodyLimit: 1024 },
      (_req, _body, done) => done(null, null),
    );
    scope.post<{ Params: { slug: string }; Querystring: { token?: string } }>(
      `/status-pages/:slug/${UNSUBSCRIBE_EDGE}`,
      // Whatever the content type, nothing bigger than the fixed form is read: the token is in the query.
      { bodyLimit: 1024 },
      async (req, reply) => {
        const token = typeof req.query.token === 'string' ? req.query.token : '';
        reply.header('cache-control', 'no-store');
        if (!isSlug(req.params.slug) || token.length === 0 || token.length > SUBSCRIBER_LIMITS.tokenLength)
          return reply.code(400).send({ error: 'Not a valid unsubscribe link.' });
        try {
          // The token is the whole credential (it names the subscriber); the slug only makes the address readable.
          await unsubscribeByToken(
            { db: deps.db, identity: null, requestId: req.id, ip: req.ip ?? null },
            token,
          );
          return reply.code(200).send({ unsubscribed: true });
        } catch (err) {
          if ((err as { appCode?: string }).appCode === 'SUBSCRIPTION_LINK_INVALID')
            return reply.code(400).send({ error: 'Not a valid unsubscribe link.' });
          throw err;
        }
      },
    );
  });
}
