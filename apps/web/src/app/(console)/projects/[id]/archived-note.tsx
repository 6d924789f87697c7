/** The one line an archived project's write pages show where their write controls would be. */
export function ArchivedNote({ archivedAt }: { archivedAt: Date | null }) {
  if (!archivedAt) return null;
  return (
    <p role="note" className="text-sm text-muted-foreground">
      This project is archived, so it is read-only: unarchive it in Settings to change it.
    </p>
  );
}
