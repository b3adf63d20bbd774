/** The reads of `aind query channels ...`, as JSON (snake_case): channels and service contracts. */
import { queryChannel, queryChannels, queryContract, queryContracts } from '../../../client/index.ts';
import { ainError, ErrInvalidRequest } from '../../../core/index.ts';
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
          return { channel: (await queryChannel(comet, id(first, 'CHANNEL_ID'))).channel };
        case 'channels':
          return { channels: await queryChannels(comet, { payer: flags.payer ?? '', executor: flags.executor ?? '' }) };
        case 'contract': {
          const { contract, claims } = await queryContract(comet, id(first, 'CONTRACT_ID'));
          return { contract, claims };
        }
        case 'contracts':
          return { contracts: await queryContracts(comet, { client: flags.client ?? '', executor: flags.executor ?? '' }) };
      }
    })();
    return snakeKeys(toJsonValue(answer));
  });
}
