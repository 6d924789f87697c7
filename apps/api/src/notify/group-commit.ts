/**
 * Group commit: items added while a write is in flight wait and go together in the next one, so N concurrent
 * completions cost a few transactions instead of N. The first item never waits for a batch to fill.
 */
export class GroupCommit<In, Out> {
  private queue: { item: In; resolve: (out: Out) => void; reject: (err: unknown) => void }[] = [];
  private writing: Promise<void> | null = null;

  /** `write` answers one result per item, in order; it fails or succeeds for the whole batch. */
  constructor(
    private readonly write: (items: In[]) => Promise<Out[]>,
    private readonly maxBatch = 200,
  ) {}

  add(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.writing ??= this.drain().finally(() => {
        this.writing = null;
      });
    });
  }

  /** Resolves once every item added so far is written (or failed). */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain() {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const out = await this.write(batch.map((b) => b.item));
        for (const [i, b] of batch.entries()) b.resolve(out[i]!);
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
  }
}
