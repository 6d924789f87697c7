'use client';

import { useId, useRef, useState } from 'react';
import { cn } from '../cn';

/** One bar as the caller words and colours it; the strip knows nothing of uptime or incidents. */
export interface StripBar {
  /** Unique within the strip, e.g. the day. */
  key: string;
  /** Background class, e.g. `bg-success`. */
  className: string;
  /** A short name for a data attribute (tests and styling), e.g. `up`. */
  tone: string;
  /** What a screen reader hears for the bar (the tooltip's text in one line). */
  label: string;
  /** The tooltip's body, shown on hover and on keyboard focus. */
  details: React.ReactNode;
}

/**
 * A row of thin bars, oldest first, one tab stop: arrow keys move between bars (Home/End to the ends) and the
 * focused or hovered bar shows its tooltip, so the details are reachable without a mouse.
 */
export function BarStrip({
  bars,
  label,
  className,
  testId = 'bar-strip',
}: {
  bars: StripBar[];
  /** The strip's accessible name, e.g. "Daily uptime of Checkout, last 90 days". */
  label: string;
  className?: string;
  testId?: string;
}) {
  const tooltipId = useId();
  const [active, setActive] = useState<number | null>(null);
  const [focusIndex, setFocusIndex] = useState(bars.length - 1);
  const refs = useRef<(HTMLSpanElement | null)[]>([]);
  const move = (to: number) => {
    const i = Math.max(0, Math.min(bars.length - 1, to));
    setFocusIndex(i);
    refs.current[i]?.focus();
  };
  const shown = active === null ? null : bars[active];
  return (
    <div className="relative" data-testid={testId}>
      {/* biome-ignore lint/a11y/useSemanticElements: a group of graphics, not of form controls. */}
      <div
        role="group"
        aria-label={label}
        // The bars' shared look lives here once, not on each of a page's thousands of bars.
        className={cn(
          'flex h-8 items-stretch gap-px *:min-w-px *:flex-1 *:rounded-[1px] *:outline-none *:focus-visible:ring-2 *:focus-visible:ring-ring',
          className,
        )}
        onMouseLeave={() => setActive(null)}
      >
        {bars.map((b, i) => (
          <span
            key={b.key}
            ref={(el) => {
              refs.current[i] = el;
            }}
            role="img"
            tabIndex={i === focusIndex ? 0 : -1}
            aria-label={b.label}
            aria-describedby={active === i ? tooltipId : undefined}
            data-testid="strip-bar"
            data-key={b.key}
            data-tone={b.tone}
            data-last={i === bars.length - 1 ? 'true' : undefined}
            className={b.className}
            onMouseEnter={() => setActive(i)}
            onFocus={() => {
              setActive(i);
              setFocusIndex(i);
            }}
            onBlur={() => setActive(null)}
            onKeyDown={(e) => {
              const to = { ArrowLeft: i - 1, ArrowRight: i + 1, Home: 0, End: bars.length - 1 }[e.key];
              if (to !== undefined) {
                e.preventDefault();
                move(to);
              } else if (e.key === 'Escape') setActive(null);
            }}
          />
        ))}
      </div>
      {shown && active !== null ? (
        <div
          id={tooltipId}
          role="tooltip"
          data-testid="strip-tooltip"
          className="absolute top-full z-10 mt-2 w-64 rounded-md border bg-card p-3 text-xs text-foreground shadow-md"
          style={{
            // Kept inside the strip: anchored left for the first half, right for the second.
            ...(active < bars.length / 2
              ? { left: `${(active / bars.length) * 100}%` }
              : { right: `${((bars.length - 1 - active) / bars.length) * 100}%` }),
          }}
        >
          {shown.details}
        </div>
      ) : null}
    </div>
  );
}

const PILL_TONE = {
  success: 'border-success/40 bg-success/10 text-success',
  warning: 'border-warning/40 bg-warning/10 text-warning',
  danger: 'border-destructive/40 bg-destructive/10 text-destructive',
  info: 'border-primary/40 bg-primary/10 text-primary',
  neutral: 'border-border bg-muted text-muted-foreground',
} as const;

const DOT_TONE = {
  success: 'bg-success',
  warning: 'bg-warning',
  danger: 'bg-destructive',
  info: 'bg-primary',
  neutral: 'bg-muted-foreground/50',
} as const;

export type PillTone = keyof typeof PILL_TONE;

/** A state in words with a coloured dot: the colour is never the only carrier of the meaning. */
export function StatusPill({
  tone,
  children,
  className,
  ...props
}: { tone: PillTone } & React.ComponentProps<'span'>) {
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs font-medium',
        PILL_TONE[tone],
        className,
      )}
      {...props}
    >
      <span aria-hidden className={cn('size-2 rounded-full', DOT_TONE[tone])} />
      {children}
    </span>
  );
}
