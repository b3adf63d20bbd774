/**
 * CometBFT's /status shows a block once the block store holds it, a moment before the app has run
 * and committed it (FinalizeBlock, then Commit). A query at that height can still fail ("no block
 * committed yet", "above the latest height"), and its block results may not be saved yet. Tests
 * that read the app or the block results at a height take it from the app's own ABCI Info.
 */
import { cometRpc, field, int32 } from '../../client/index.ts';
import { until } from './poll.ts';

/** The last height the app has committed, from ABCI Info (0 before its first block). */
export async function appHeight(rpcUrl: string): Promise<number> {
  return int32(field(await cometRpc(rpcUrl, 'abci_info', {}, 5_000), 'response'), 'last_block_height');
}

/** Resolves once the app has committed `height`; an RPC that does not answer yet counts as "not yet". */
export async function waitForAppHeight(rpcUrl: string, height: number, timeoutMs = 60_000): Promise<void> {
  await until(
    `the app at ${rpcUrl} to commit height ${height}`,
    async () => ((await appHeight(rpcUrl)) >= height ? true : undefined),
    timeoutMs,
    { retryErrors: true, intervalMs: 250 },
  );
}
