/** The reads of `aind query channels ...`, as JSON (snake_case): channels and service contracts. */
import { queryChannel, queryChannels, queryContract, queryContracts } from '../../../client/index.ts';
import { ainError, ErrInvalidRequest } from '../../../core/index.ts';
import { type Contract, contractStatusToJSON } from '../../../proto/gen/ain/channels/v1/contracts.ts';
import { type Channel, channelStatusToJSON } from '../../../proto/gen/ain/channels/v1/types.ts';
import { snakeKeys, toJsonValue, withCometClient } from '../../common/index.ts';

export const CHANNELS_QUERIES = ['channel', 'channels', 'contract', 'contracts'] as const;
export type ChannelsQuery = (typeof CHANNELS_QUERIES)[number];

export interface ChannelsQueryFlags {
  readonly payer?: string | undefined;
  readonly client?: string | undefined;
  readonly executor?: string | undefined;
}

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

/** One `query channels` answer. */
export function queryChannelsCommand(
  node: string,
  query: ChannelsQuery,
  args: readonly string[],
  flags: ChannelsQueryFlags,
): Promise<unknown> {
  const [first = ''] = args;
  return withCometClient(node, async (comet) => {
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
        case 'contracts': {
          const contracts = await queryContracts(comet, { client: flags.client ?? '', executor: flags.executor ?? '' });
          return { contracts: contracts.map(contractJson) };
        }
      }
    })();
    return snakeKeys(toJsonValue(answer));
  });
}
