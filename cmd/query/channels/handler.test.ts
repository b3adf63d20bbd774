/** `aind query channels`: statuses printed by name, as the REST gateway prints them. */
import { describe, expect, it } from 'vitest';
import { snakeKeys, toJsonValue } from '../../common/index.ts';
import { ContractStatus } from '../../../proto/gen/ain/channels/v1/contracts.ts';
import { ChannelStatus } from '../../../proto/gen/ain/channels/v1/types.ts';
import { channelJson, contractJson } from './handler.ts';

describe('aind query channels: answers', () => {
  it('prints a channel status by its name, not its enum number', () => {
    const channel = {
      id: 1n,
      payer: 'ain1payer',
      payerPubkey: new Uint8Array(33),
      executor: 'ain1executor',
      deposit: '100',
      redeemed: '20',
      nonce: 2n,
      expiresAt: 10n,
      status: ChannelStatus.CHANNEL_STATUS_OPEN,
    };
    expect(snakeKeys(toJsonValue({ channel: channelJson(channel) }))).toMatchObject({ channel: { status: 'CHANNEL_STATUS_OPEN' } });
    expect(channelJson({ ...channel, status: ChannelStatus.CHANNEL_STATUS_CLOSED })?.status).toBe('CHANNEL_STATUS_CLOSED');
    expect(channelJson(undefined)).toBeUndefined();
  });

  it('prints a contract status by its name', () => {
    const contract = { status: ContractStatus.CONTRACT_STATUS_ACTIVE } as Parameters<typeof contractJson>[0] & object;
    expect(contractJson(contract)?.status).toBe('CONTRACT_STATUS_ACTIVE');
  });
});
