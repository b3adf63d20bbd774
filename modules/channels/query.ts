/**
 * `ain.channels.v1.Query`: a channel by id (its payer's key, executor, deposit, redeemed, nonce, expiry,
 * status), a payer's or an executor's channels, a service contract with its claims, a client's or an
 * executor's contracts. Lists hold at most `MAX_LISTED` entries.
 */
import { ainError } from '../../core/index.ts';
import type { QueryRegistrar } from '../../core/index.ts';
import {
  QueryChannelRequest,
  QueryChannelResponse,
  QueryChannelsRequest,
  QueryChannelsResponse,
  QueryContractRequest,
  QueryContractResponse,
  QueryContractsRequest,
  QueryContractsResponse,
  QueryServiceName,
} from '../../proto/gen/ain/channels/v1/query.ts';
import type { ContractsKeeper } from './contracts.ts';
import { ErrChannelNotFound, ErrContractNotFound, ErrInvalidChannelMsg } from './errors.ts';
import type { ChannelsKeeper } from './keeper.ts';

/** Most entries a list query answers (channels, contracts, a contract's claims). */
export const MAX_LISTED = 1000;

/** The (role, address) a list query names: the first of its two fields that is set. */
function partyOf<R extends string>(fields: ReadonlyArray<readonly [R, string]>): readonly [R, string] {
  const set = fields.find(([, address]) => address !== '');
  if (!set) throw ainError(ErrInvalidChannelMsg, `set one of ${fields.map(([role]) => role).join(' or ')}`, { field: fields[0]![0] });
  return set;
}

export function registerChannelsQueries(router: QueryRegistrar, keeper: ChannelsKeeper, contracts: ContractsKeeper): void {
  router.register(`/${QueryServiceName}/Channel`, (state, data) => {
    const { channelId } = QueryChannelRequest.decode(data);
    const channel = keeper.getChannel(state, channelId);
    if (!channel) throw ainError(ErrChannelNotFound, `no channel ${channelId}`, { field: 'channel_id' });
    return QueryChannelResponse.encode({ channel: keeper.toProto(channel) }).finish();
  });
  router.register(`/${QueryServiceName}/Channels`, (state, data) => {
    const request = QueryChannelsRequest.decode(data);
    const [role, address] = partyOf<'payer' | 'executor'>([
      ['payer', request.payer],
      ['executor', request.executor],
    ]);
    const channels = keeper.channelsOf(state, role, address, MAX_LISTED);
    const matching = channels.filter(
      (c) => (request.payer === '' || c.payer === request.payer) && (request.executor === '' || c.executor === request.executor),
    );
    return QueryChannelsResponse.encode({ channels: matching.map((c) => keeper.toProto(c)) }).finish();
  });
  router.register(`/${QueryServiceName}/Contract`, (state, data) => {
    const { contractId } = QueryContractRequest.decode(data);
    const contract = contracts.getContract(state, contractId);
    if (!contract) throw ainError(ErrContractNotFound, `no contract ${contractId}`, { field: 'contract_id' });
    return QueryContractResponse.encode({
      contract: contracts.toProto(contract),
      claims: contracts.claimsOf(state, contractId, MAX_LISTED),
    }).finish();
  });
  router.register(`/${QueryServiceName}/Contracts`, (state, data) => {
    const request = QueryContractsRequest.decode(data);
    const [role, address] = partyOf<'client' | 'executor'>([
      ['client', request.client],
      ['executor', request.executor],
    ]);
    const list = contracts.contractsOf(state, role, address, MAX_LISTED);
    const matching = list.filter(
      (c) => (request.client === '' || c.client === request.client) && (request.executor === '' || c.executor === request.executor),
    );
    return QueryContractsResponse.encode({ contracts: matching.map((c) => contracts.toProto(c)) }).finish();
  });
}
