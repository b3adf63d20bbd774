/** `aind query channels`: statuses printed by name, as the REST gateway prints them; the page `contract-claims` asks for. */
import { describe, expect, it } from 'vitest';
import { snakeKeys, toJsonValue } from '../../common/index.ts';
import { ContractStatus } from '../../../proto/gen/ain/channels/v1/contracts.ts';
import { ChannelStatus } from '../../../proto/gen/ain/channels/v1/types.ts';
import { channelJson, claimsPageRequest, contractJson } from './handler.ts';

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

  it('asks contract-claims for the page its flags name: next_key as printed (base64), limit, reverse, total', () => {
    expect(claimsPageRequest({})).toEqual({ key: new Uint8Array(), offset: 0n, limit: 0n, countTotal: false, reverse: false });
    expect(claimsPageRequest({ pageKey: 'MTAwMQ==', limit: '1000', reverse: true, countTotal: true })).toEqual({
      key: new TextEncoder().encode('1001'),
      offset: 0n,
      limit: 1000n,
      countTotal: true,
      reverse: true,
    });
    expect(() => claimsPageRequest({ limit: '10x' })).toThrow('--limit "10x" must be an integer from 1 to 1000');
    expect(() => claimsPageRequest({ pageKey: 'MTAw MQ==' })).toThrow('--page-key "MTAw MQ==" must be a next_key as printed (base64)');
  });
});
