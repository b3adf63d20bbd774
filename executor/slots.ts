/**
 * Sandbox slots: an executor runs at most `limit` programs at once, shared by the function runner and
 * the job roles; callers wait in order for a free slot.
 * @example const slots = new Slots(2); await slots.run(() => runSandboxed(request));
 */
export class Slots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    while (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await fn();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}
