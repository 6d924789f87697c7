/** Unknown, expired and revoked links look the same: a probe learns nothing. */
export default function ShareLinkNotFound() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center gap-2 p-6 text-center">
      <h1 className="text-xl font-semibold" data-testid="share-invalid">
        This link is not valid (any more)
      </h1>
      <p className="text-sm text-muted-foreground">Ask whoever shared it for a new one.</p>
    </main>
  );
}
