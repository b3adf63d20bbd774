/**
 * The reads of `aind query shards ...`, as JSON (snake_case): shards and their links, one shard, a
 * child's parent, a reported header, a proven value, unsettled packets.
 */
import { queryConsensusState, queryPackets, queryParent, queryShard, queryShards, queryShardValue } from '../../../client/index.ts';
import { snakeKeys, toJsonValue, withCometClient } from '../../common/index.ts';

export const SHARDS_QUERIES = ['shards', 'shard', 'parent', 'header', 'value', 'packets'] as const;
export type ShardsQuery = (typeof SHARDS_QUERIES)[number];

/** One `query shards` answer. */
export function queryShardsCommand(node: string, query: ShardsQuery, args: readonly string[]): Promise<unknown> {
  const [first = '', second = ''] = args;
  return withCometClient(node, async (comet) => {
    const answer = await (async (): Promise<unknown> => {
      switch (query) {
        case 'shards':
          return { shards: await queryShards(comet) };
        case 'shard':
          return queryShard(comet, first);
        case 'parent':
          return queryParent(comet);
        case 'header':
          return queryConsensusState(comet, first, second === '' ? 0n : BigInt(second));
        case 'value':
          return queryShardValue(comet, first, second);
        case 'packets':
          return { packets: await queryPackets(comet, first) };
      }
    })();
    return snakeKeys(toJsonValue(answer));
  });
}
