/**
 * CometBFT indexes a block's txs after it commits the block, in a goroutine of its own, so tx_search
 * can lag what a state query already shows. Tests that read both wait here first.
 */
import { cometRpc, field, int, int32 } from '../../client/index.ts';
import { until } from './poll.ts';

/**
 * Resolves once every tx committed so far is in the tx index. The indexer handles one block at a
 * time, its block record before its txs, so the block record of any later height shows that the
 * txs of the height committed now are written. It waits for that later block, so the node must
 * make one: `create_empty_blocks` on (startTestNode's default) or more txs on the way.
 */
export async function txIndexCaughtUp(rpcUrl: string, timeoutMs = 30_000): Promise<void> {
  const committed = int(field(await cometRpc(rpcUrl, 'status'), 'sync_info'), 'latest_block_height');
  await until(
    `the tx index to reach height ${committed}`,
    async () => {
      const later = await cometRpc(rpcUrl, 'block_search', { query: `block.height > ${committed}`, per_page: '1' });
      return int32(later, 'total_count') > 0 ? true : undefined;
    },
    timeoutMs,
  );
}
