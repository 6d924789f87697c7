import type { RouterOutputs } from '~/lib/router-types';

/** The receivers' email integrations as choices ("receiver: from … via host"): what may send a page's or digest's mail. */
export function mailIntegrationChoices(receivers: RouterOutputs['receivers']['list']) {
  return receivers.flatMap((r) =>
    r.integrations.flatMap((i) =>
      i.kind === 'email' && 'smarthost' in i
        ? [{ id: i.id, label: `${r.name}: from ${i.from} via ${i.smarthost.host}` }]
        : [],
    ),
  );
}
