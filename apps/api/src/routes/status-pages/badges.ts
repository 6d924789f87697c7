import type { ComponentStatus } from '@sextant/db/enums';
import { escapeXml as x } from './xml';

// shields.io-like "flat" badges: a grey label and a coloured message, widths estimated from Verdana 11px.

const COLORS = {
  green: '#4c1',
  lime: '#97ca00',
  yellow: '#dfb317',
  orange: '#fe7d37',
  red: '#e05d44',
  blue: '#007ec6',
  grey: '#9f9f9f',
} as const;

const STATUS: Record<ComponentStatus, { text: string; color: string }> = {
  operational: { text: 'operational', color: COLORS.green },
  under_maintenance: { text: 'maintenance', color: COLORS.blue },
  degraded_performance: { text: 'degraded', color: COLORS.yellow },
  partial_outage: { text: 'partial outage', color: COLORS.orange },
  major_outage: { text: 'major outage', color: COLORS.red },
};

/** Label text is the component's name: long ones are cut so a badge stays a badge. */
const LABEL_CHARS = 40;

function textWidth(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[ijlI.,:;'|!]/.test(ch) ? 3.5 : /[mwMW@%]/.test(ch) ? 10 : /[A-Z]/.test(ch) ? 7.5 : 6.5;
  return Math.ceil(w);
}

export function badge(label: string, message: string, color: string): string {
  const shown = [...label].length > LABEL_CHARS ? `${[...label].slice(0, LABEL_CHARS - 1).join('')}…` : label;
  const lw = textWidth(shown) + 10;
  const mw = textWidth(message) + 10;
  const w = lw + mw;
  const [l, m, title] = [x(shown), x(message), x(`${shown}: ${message}`)];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${title}"><title>${title}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${l}</text><text x="${lw / 2}" y="14">${l}</text><text x="${lw + mw / 2}" y="15" fill="#010101" fill-opacity=".3">${m}</text><text x="${lw + mw / 2}" y="14">${m}</text></g></svg>`;
}

export function statusBadge(label: string, status: ComponentStatus, noData = false): string {
  if (noData && status === 'operational') return badge(label, 'no data', COLORS.grey);
  return badge(label, STATUS[status].text, STATUS[status].color);
}

/** Floored to 2 decimals, so 99.999 % never reads "100.00%". */
export function uptimeBadge(label: string, uptime: number | null): string {
  if (uptime === null) return badge(label, 'no data', COLORS.grey);
  const pct = Math.floor(uptime * 10_000 + 1e-9) / 100;
  const color =
    pct >= 99.9
      ? COLORS.green
      : pct >= 99
        ? COLORS.lime
        : pct >= 95
          ? COLORS.yellow
          : pct >= 90
            ? COLORS.orange
            : COLORS.red;
  return badge(label, `${pct.toFixed(2)}%`, color);
}
