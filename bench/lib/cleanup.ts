/** Teardown steps run last-in-first-out, so the API stops before the Postgres it talks to. */
export class Cleanup {
  private readonly steps: { name: string; fn: () => Promise<void> | void }[] = [];

  add(name: string, fn: () => Promise<void> | void): void {
    this.steps.push({ name, fn });
  }

  /** Runs every step even when one fails; a leaked child is worse than a noisy log. */
  async run(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.fn();
      } catch (err) {
        console.error(
          `bench: stopping ${step.name} failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
  }
}
