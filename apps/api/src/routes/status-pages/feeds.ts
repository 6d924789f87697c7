import type { StatusPageIncidentView, StatusPageView } from '@sextant/trpc';
import type { PageRef } from './statuspage-v2';
import { escapeXml as x } from './xml';

// The page's incidents (open and recent history) with their public updates, as Atom 1.0 and RSS 2.0.

const STATUS_LABEL: Record<StatusPageIncidentView['status'], string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

const incidentsOf = (view: StatusPageView) =>
  [...view.activeIncidents, ...view.history].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());

const updatedOf = (i: StatusPageIncidentView) =>
  new Date(
    Math.max(
      i.startedAt.getTime(),
      i.resolvedAt?.getTime() ?? 0,
      ...i.updates.map((u) => u.createdAt.getTime()),
    ),
  );

/** The updates as a small HTML fragment (bodies are plain text here), itself escaped again by the caller. */
function updatesHtml(i: StatusPageIncidentView): string {
  if (i.updates.length === 0) return `<p><strong>${STATUS_LABEL[i.status]}</strong></p>`;
  return i.updates
    .map(
      (u) =>
        `<p><small>${u.createdAt.toISOString()}</small><br><strong>${STATUS_LABEL[u.status]}</strong> - ${x(u.body).replaceAll('\n', '<br>')}</p>`,
    )
    .join('');
}

export function atomFeed(view: StatusPageView, ref: PageRef): string {
  const incidents = incidentsOf(view);
  const updated = incidents.length
    ? new Date(Math.max(...incidents.map((i) => updatedOf(i).getTime())))
    : view.generatedAt;
  const entries = incidents.map(
    (i) => `  <entry>
    <id>urn:uuid:${x(i.id)}</id>
    <title type="text">${x(i.title)}</title>
    <published>${i.startedAt.toISOString()}</published>
    <updated>${updatedOf(i).toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${x(`${ref.url}#incident-${i.id}`)}"/>
    <content type="html">${x(updatesHtml(i))}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>${x(ref.url)}</id>
  <title type="text">${x(view.title)} status history</title>
  <updated>${updated.toISOString()}</updated>
  <link rel="alternate" type="text/html" href="${x(ref.url)}"/>
  <link rel="self" type="application/atom+xml" href="${x(`${ref.url}/history.atom`)}"/>
  <author><name>${x(view.title)}</name></author>
${entries.join('\n')}
</feed>
`;
}

export function rssFeed(view: StatusPageView, ref: PageRef): string {
  const items = incidentsOf(view).map(
    (i) => `    <item>
      <title>${x(i.title)}</title>
      <link>${x(`${ref.url}#incident-${i.id}`)}</link>
      <guid isPermaLink="false">${x(i.id)}</guid>
      <pubDate>${i.startedAt.toUTCString()}</pubDate>
      <description>${x(updatesHtml(i))}</description>
    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${x(view.title)} status history</title>
    <link>${x(ref.url)}</link>
    <description>${x(`Incident history of ${view.title}`)}</description>
    <language>en</language>
    <lastBuildDate>${view.generatedAt.toUTCString()}</lastBuildDate>
    <atom:link rel="self" type="application/rss+xml" href="${x(`${ref.url}/history.rss`)}"/>
${items.join('\n')}
  </channel>
</rss>
`;
}
