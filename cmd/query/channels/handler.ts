/** The reads of `aind query channels ...`, as JSON (snake_case): channels, service contracts and their claims. */
import {
  queryChannel,
  queryChannels,
  queryContract,
  queryContractClaims,
  queryContracts,
  type StateQuerier,
} from '../../../client/index.ts';
import { ainError, ErrInvalidRequest } from '../../../core/index.ts';
import { type Contract, contractStatusToJSON } from '../../../proto/gen/ain/channels/v1/contracts.ts';
import { type Channel, channelStatusToJSON } from '../../../proto/gen/ain/channels/v1/types.ts';
import type { PageRequest } from '../../../proto/gen/ain/base/v1/pagination.ts';
import { parseLimit, snakeKeys, toJsonValue, withCometClient } from '../../common/index.ts';

export const CHANNELS_QUERIES = ['channel', 'channels', 'contract', 'contract-claims', 'contracts'] as const;
export type ChannelsQuery = (typeof CHANNELS_QUERIES)[number];

export interface ChannelsQueryFlags {
  readonly payer?: string | undefined;
  readonly client?: string | undefined;
  readonly executor?: string | undefined;
  /** `contract-claims`: the previous page's `next_key` (base64), at most this many (1-1000), highest seqs first, count the total. */
  readonly pageKey?: string | undefined;
  readonly limit?: string | undefined;
  readonly reverse?: boolean | undefined;
  readonly countTotal?: boolean | undefined;
}

/** Most claims a page holds (the chain's cap). */
const MAX_CLAIMS_PAGE = 1000;

const id = (text: string, name: string): bigint =>
  /^[0-9]{1,20}$/.test(text)
    ? BigInt(text)
    : (() => {
        throw ainError(ErrInvalidRequest, `${name} "${text}" must be a decimal id`);
      })();

/** A channel with its status by name (`CHANNEL_STATUS_OPEN`), as the REST gateway prints it. */
export const channelJson = (channel: Channel | undefined) => channel && { ...channel, status: channelStatusToJSON(channel.status) };

/** A contract with its status by name (`CONTRACT_STATUS_ACTIVE`), as the REST gateway prints it. */
export const contractJson = (contract: Contract | undefined) => contract && { ...contract, status: contractStatusToJSON(contract.status) };

/**
 * The page `contract-claims` asks for: `--page-key` the previous page's `next_key` as printed (base64),
 * `--limit` 1 to 1000 (none: the chain's 100). Throws sdk/18 naming the flag.
 * @example claimsPageRequest({ pageKey: 'NQ==', limit: '2' }) // key "5", limit 2n
 */
export function claimsPageRequest(flags: ChannelsQueryFlags): PageRequest {
  const pageKey = flags.pageKey ?? '';
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(pageKey))
    throw ainError(ErrInvalidRequest, `--page-key "${pageKey}" must be a next_key as printed (base64)`);
  return {
    key: new Uint8Array(Buffer.from(pageKey, 'base64')),
    offset: 0n,
    limit: flags.limit === undefined ? 0n : BigInt(parseLimit(flags.limit, MAX_CLAIMS_PAGE)),
    countTotal: flags.countTotal ?? false,
    reverse: flags.reverse ?? false,
  };
}

/** One `query channels` answer. */
export function queryChannelsCommand(
  node: string,
  query: ChannelsQuery,
  args: readonly string[],
  flags: ChannelsQueryFlags,
): Promise<unknown> {
  // A page's id and flags are checked before the node is contacted.
  if (query === 'contract-claims') {
    id(args[0] ?? '', 'CONTRACT_ID');
    claimsPageRequest(flags);
  }
  return withCometClient(node, (comet) => channelsAnswer(comet, query, args, flags));
}

/** One `query channels` answer read through `comet` (any ABCI querier: a node, or an app in tests). */
export async function channelsAnswer(
  comet: StateQuerier,
  query: ChannelsQuery,
  args: readonly string[],
  flags: ChannelsQueryFlags,
): Promise<unknown> {
  const [first = ''] = args;
  const answer = await (async (): Promise<unknown> => {
    switch (query) {
      case 'channel':
        return { channel: channelJson((await queryChannel(comet, id(first, 'CHANNEL_ID'))).channel) };
      case 'channels': {
        const channels = await queryChannels(comet, { payer: flags.payer ?? '', executor: flags.executor ?? '' });
        return { channels: channels.map(channelJson) };
      }
      case 'contract': {
        const { contract, claims } = await queryContract(comet, id(first, 'CONTRACT_ID'));
        return { contract: contractJson(contract), claims };
      }
      case 'contract-claims':
        return queryContractClaims(comet, id(first, 'CONTRACT_ID'), claimsPageRequest(flags));
      case 'contracts': {
        const contracts = await queryContracts(comet, { client: flags.client ?? '', executor: flags.executor ?? '' });
        return { contracts: contracts.map(contractJson) };
      }
    }
  })();
  return snakeKeys(toJsonValue(answer));
}
