/**
 * `ain.channels.v1.Query`: a channel by id (its payer's key, executor, deposit, redeemed, nonce, expiry,
 * status), a payer's or an executor's channels, a service contract with its lowest `MAX_LISTED`
 * claims, a contract's claims page by page, a client's or an executor's contracts. The lists of
 * channels and contracts page as every list query does (`pagination`, keys the ids as path labels),
 * over at most `MAX_LISTED` entries; a contract's claims page in seq order (keys the seqs in decimal),
 * reaching every claim (`claimIndex.ts`, `claimSeqs.ts`).
 */
import { decodeQueryRequest, ainError, paginateList, parseAddress } from '../../core/index.ts';
import type { QueryRegistrar } from '../../core/index.ts';
import {
  QueryChannelRequest,
  QueryChannelResponse,
  QueryChannelsRequest,
  QueryChannelsResponse,
  QueryContractClaimsRequest,
  QueryContractClaimsResponse,
  QueryContractRequest,
  QueryContractResponse,
  QueryContractsRequest,
  QueryContractsResponse,
  QueryServiceName,
} from '../../proto/gen/ain/channels/v1/query.ts';
import type { ContractsKeeper } from './contracts.ts';
import { ErrChannelNotFound, ErrContractNotFound, ErrInvalidChannelMsg } from './errors.ts';
import type { ChannelsKeeper } from './keeper.ts';
import { channelsByPath, contractsByPath } from './keys.ts';

/** Most entries a list query answers (channels, contracts, a contract's claims, a page of claims). */
export const MAX_LISTED = 1000;

/**
 * The (role, address) a list query names: the first of its two fields that is set; every field set
 * must be an address.
 * @throws AinError channels/1 when none is set, sdk/7 naming a field that is not an address
 */
function partyOf<R extends string>(fields: ReadonlyArray<readonly [R, string]>): readonly [R, string] {
  for (const [role, address] of fields) if (address !== '') parseAddress(address, role);
  const set = fields.find(([, address]) => address !== '');
  if (!set) throw ainError(ErrInvalidChannelMsg, `set one of ${fields.map(([role]) => role).join(' or ')}`, { field: fields[0]![0] });
  return set;
}

export function registerChannelsQueries(router: QueryRegistrar, keeper: ChannelsKeeper, contracts: ContractsKeeper): void {
  router.register(`/${QueryServiceName}/Channel`, (state, data) => {
    const { channelId } = decodeQueryRequest(QueryChannelRequest, data);
    const channel = keeper.getChannel(state, channelId);
    if (!channel) throw ainError(ErrChannelNotFound, `no channel ${channelId}`, { field: 'channel_id' });
    return QueryChannelResponse.encode({ channel: keeper.toProto(channel) }).finish();
  });
  router.register(`/${QueryServiceName}/Channels`, (state, data) => {
    const request = decodeQueryRequest(QueryChannelsRequest, data);
    const [role, address] = partyOf<'payer' | 'executor'>([
      ['payer', request.payer],
      ['executor', request.executor],
    ]);
    const page = paginateList(state, channelsByPath(role, address), request.pagination, {
      scan: MAX_LISTED,
      accept: (item) => {
        const c = keeper.getChannel(state, BigInt(item.key));
        return (
          c !== undefined &&
          (request.payer === '' || c.payer === request.payer) &&
          (request.executor === '' || c.executor === request.executor)
        );
      },
    });
    const channels = page.items.flatMap((item) => keeper.getChannel(state, BigInt(item.key)) ?? []);
    return QueryChannelsResponse.encode({ channels: channels.map((c) => keeper.toProto(c)), pagination: page.pagination }).finish();
  });
  router.register(`/${QueryServiceName}/Contract`, (state, data) => {
    const { contractId } = decodeQueryRequest(QueryContractRequest, data);
    const contract = contracts.getContract(state, contractId);
    if (!contract) throw ainError(ErrContractNotFound, `no contract ${contractId}`, { field: 'contract_id' });
    return QueryContractResponse.encode({
      contract: contracts.toProto(contract),
      claims: contracts.lowestClaims(state, contractId, MAX_LISTED),
    }).finish();
  });
  router.register(`/${QueryServiceName}/ContractClaims`, (state, data) => {
    const request = decodeQueryRequest(QueryContractClaimsRequest, data);
    const contract = contracts.getContract(state, request.contractId);
    if (!contract) throw ainError(ErrContractNotFound, `no contract ${request.contractId}`, { field: 'contract_id' });
    const page = contracts.claimsPage(state, contract, request.pagination, MAX_LISTED);
    return QueryContractClaimsResponse.encode({ claims: page.items, pagination: page.pagination }).finish();
  });
  router.register(`/${QueryServiceName}/Contracts`, (state, data) => {
    const request = decodeQueryRequest(QueryContractsRequest, data);
    const [role, address] = partyOf<'client' | 'executor'>([
      ['client', request.client],
      ['executor', request.executor],
    ]);
    const page = paginateList(state, contractsByPath(role, address), request.pagination, {
      scan: MAX_LISTED,
      accept: (item) => {
        const c = contracts.getContract(state, BigInt(item.key));
        return (
          c !== undefined &&
          (request.client === '' || c.client === request.client) &&
          (request.executor === '' || c.executor === request.executor)
        );
      },
    });
    const list = page.items.flatMap((item) => contracts.getContract(state, BigInt(item.key)) ?? []);
    return QueryContractsResponse.encode({ contracts: list.map((c) => contracts.toProto(c)), pagination: page.pagination }).finish();
  });
}
