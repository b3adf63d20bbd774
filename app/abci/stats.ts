import type { AbciApplication } from './application.ts';

/** The width of one {@link AbciStats.timeline} bucket. */
export const TIMELINE_BUCKET_MS = 100;

/** Calls and time per ABCI method (CheckTx split into new and recheck), for profiling a node. */
export interface AbciStats {
  readonly calls: Record<string, number>;
  readonly micros: Record<string, number>;
  /**
   * The same per {@link TIMELINE_BUCKET_MS} of wall time, keyed by the start (Unix ms) of the bucket
   * a call ended in, for a benchmark to line up with each process's CPU (bench/send.ts --timeline).
   */
  readonly timeline: Map<number, Record<string, { calls: number; micros: number }>>;
  /** One line per method: calls, total ms, µs per call. */
  summary(): string;
}

/**
 * Wraps an application so every synchronous handler call is counted and timed. Timing lives here, in
 * the socket layer, never in consensus code. Used by `aind start` when AIN_ABCI_STATS=1.
 */
export function withAbciStats(app: AbciApplication): { app: AbciApplication; stats: AbciStats } {
  const calls: Record<string, number> = {};
  const micros: Record<string, number> = {};
  const timeline: AbciStats['timeline'] = new Map();
  const wrapped = Object.create(app) as Record<string, unknown>;
  for (const method of [
    'info',
    'initChain',
    'query',
    'checkTx',
    'commit',
    'finalizeBlock',
    'prepareProposal',
    'processProposal',
  ] as const) {
    const original = app[method] as ((request: unknown) => unknown) | undefined;
    if (!original) continue;
    wrapped[method] = (request: unknown) => {
      const name = method === 'checkTx' && (request as { type?: number }).type === 1 ? 'recheckTx' : method;
      const start = process.hrtime.bigint();
      try {
        const response = original.call(app, request) as { code?: number; log?: string };
        // Refusals by code, e.g. `checkTx refused 32`, so a benchmark shows why txs were dropped.
        if (name.endsWith('checkTx') || name === 'recheckTx') {
          if (response.code) {
            const key = `${name} refused ${response.code}`;
            calls[key] = (calls[key] ?? 0) + 1;
            micros[key] = micros[key] ?? 0;
            if (calls[key] === 1) process.stderr.write(`first ${key}: ${response.log}\n`);
          }
        }
        return response;
      } finally {
        const spent = Number(process.hrtime.bigint() - start) / 1000;
        calls[name] = (calls[name] ?? 0) + 1;
        micros[name] = (micros[name] ?? 0) + spent;
        const bucket = Math.floor(Date.now() / TIMELINE_BUCKET_MS) * TIMELINE_BUCKET_MS;
        let row = timeline.get(bucket);
        if (row === undefined) timeline.set(bucket, (row = {}));
        const cell = (row[name] ??= { calls: 0, micros: 0 });
        cell.calls++;
        cell.micros += spent;
      }
    };
  }
  const summary = () =>
    Object.keys(calls)
      .sort()
      .map(
        (name) =>
          `${name}: ${calls[name]} calls, ${(micros[name]! / 1000).toFixed(0)} ms, ${(micros[name]! / calls[name]!).toFixed(1)} µs/call`,
      )
      .join('\n');
  return { app: wrapped as unknown as AbciApplication, stats: { calls, micros, timeline, summary } };
}
