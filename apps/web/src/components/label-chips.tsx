/** An alert's labels as `name=value` chips, `alertname` left out when the row already shows it as its title. */
export function LabelChips({ labels, omit = [] }: { labels: Record<string, string>; omit?: string[] }) {
  const shown = Object.entries(labels)
    .filter(([name]) => !omit.includes(name))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  if (shown.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Labels">
      {shown.map(([name, value]) => (
        <li
          key={name}
          className="rounded bg-muted px-1.5 py-0.5 font-mono text-[11px] text-muted-foreground"
          data-testid="label-chip"
        >
          {name}={value}
        </li>
      ))}
    </ul>
  );
}
