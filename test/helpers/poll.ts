/** Polling helpers for tests that wait on real processes. */

export interface UntilOptions {
  /** Treat a thrown error as "not yet" (a node being killed or restarted) instead of failing at once. */
  readonly retryErrors?: boolean;
  /** Between probes (default 100 ms). */
  readonly intervalMs?: number;
}

/**
 * Calls `probe` until it returns something other than undefined; fails naming `what` after
 * `timeoutMs` (with the last error when `retryErrors` kept one).
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  options: UntilOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (!options.retryErrors) throw error;
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
