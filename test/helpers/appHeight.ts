/**
 * Waiting for the app, not CometBFT's block store: /status shows a block a moment before the app
 * has committed it (see the client's `appHeight`).
 */
import { appHeight } from '../../client/index.ts';
import { until } from './poll.ts';

/** Resolves once the app has committed `height`; an RPC that does not answer yet counts as "not yet". */
export async function waitForAppHeight(rpcUrl: string, height: number, timeoutMs = 60_000): Promise<void> {
  await until(
    `the app at ${rpcUrl} to commit height ${height}`,
    async () => ((await appHeight(rpcUrl)) >= height ? true : undefined),
    timeoutMs,
    { retryErrors: true, intervalMs: 250 },
  );
}
