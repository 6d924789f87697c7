import { MONITOR_STATUSES, type MonitorStatus } from '@sextant/db/enums';
import { formatDuration } from './format';

/** Badge tone per monitor or service state. */
export const STATUS_TONE = {
  up: 'success',
  degraded: 'warning',
  down: 'danger',
  unknown: 'neutral',
  paused: 'neutral',
} as const satisfies Record<MonitorStatus, string>;

export function isMonitorStatus(s: string): s is MonitorStatus {
  return (MONITOR_STATUSES as readonly string[]).includes(s);
}

/** "99.982%", or "no data" when nothing was observed. */
export function formatUptime(uptime: number | null | undefined): string {
  return uptime === null || uptime === undefined ? 'no data' : `${(uptime * 100).toFixed(3)}%`;
}

/** Latencies always in whole milliseconds: "12 ms". */
export function formatLatency(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : `${Math.round(ms)} ms`;
}

/** Run times: "350 ms", "12.3 s", "4m 10s". */
export function formatRunTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return formatDuration(ms / 1_000);
}

/** Whole units where they fit: "30 s", "5 min", "2 h", "1 day". */
export function humanSeconds(s: number): string {
  if (s >= 86_400 && s % 86_400 === 0) return s === 86_400 ? '1 day' : `${s / 86_400} days`;
  if (s >= 3_600 && s % 3_600 === 0) return `${s / 3_600} h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

/** A heartbeat's expected rhythm: "every 5 min" or "0 3 * * * (Europe/Madrid)". */
export function scheduleText(h: { periodSeconds: number | null; cron: string | null; timezone: string }) {
  if (h.cron) return `${h.cron} (${h.timezone})`;
  return h.periodSeconds ? `every ${humanSeconds(h.periodSeconds)}` : '—';
}
