import type { Queries } from '@sextant/db';
import { METRIC_LIMITS } from '../../schemas/metrics';

/** A piece of SQL to splice into another. */
export type Fragment = ReturnType<Queries['unsafe']>;

/**
 * The one rule every tier's rate rests on, applied to raw samples here (raw queries and the 1-minute rollup alike):
 * a sample's increase is v − prev, or v after a drop (a restart); 0 when it is the series' first or the previous
 * sample is over counterLookbackMs older; a delta_counter's sample is an increase in itself. Rollups add increases
 * up, so Σ inc over any bucket is the same whichever tier it is read from.
 */
const LOOKBACK = `${METRIC_LIMITS.counterLookbackMs} milliseconds`;

/** Samples in [from, to) of the series `where` selects as `(series_id, ts, value, inc)`; reads from `from − lookback`. */
export function pointIncreases(tx: Queries, where: Fragment, from: Date, to: Date) {
  const since = new Date(from.getTime() - METRIC_LIMITS.counterLookbackMs);
  return tx`
    select p.series_id, p.ts, p.value,
      case when s.kind = 'delta_counter' then p.value
        when p.prev is null or p.ts - p.prev_ts > ${LOOKBACK}::interval then 0
        when p.value >= p.prev then p.value - p.prev else p.value end as inc
    from (
      select series_id, ts, value, lag(value) over w as prev, lag(ts) over w as prev_ts from metric_points
      where ${where} and ts >= ${since} and ts < ${to} window w as (partition by series_id order by ts)
    ) p join metric_series s on s.id = p.series_id
    where p.ts >= ${from}`;
}

/**
 * Histogram samples in [from, to) as `(series_id, ts, b, c)`: each bound's increase, element-wise, or the snapshot
 * itself after a reset (any count dropped) or a change of bounds; 0 after a gap, as for counters.
 */
export function histogramIncreases(tx: Queries, where: Fragment, from: Date, to: Date) {
  const since = new Date(from.getTime() - METRIC_LIMITS.counterLookbackMs);
  return tx`
    select h.series_id, h.ts, u.b,
      case when h.pts is null or h.ts - h.pts > ${LOOKBACK}::interval then 0 when h.reset then u.c else u.c - u.p end as c
    from (
      select l.*, l.pb is distinct from l.bounds or exists (select 1 from unnest(l.counts, l.pc) x(c, p) where c < p) as reset
      from (
        select series_id, ts, bounds, counts, lag(bounds) over w as pb, lag(counts) over w as pc, lag(ts) over w as pts
        from metric_histograms
        where ${where} and ts >= ${since} and ts < ${to} window w as (partition by series_id order by ts)
      ) l where l.ts >= ${from}
    ) h, unnest(h.bounds, h.counts, h.pc) u(b, c, p)
    where u.b is not null`;
}
