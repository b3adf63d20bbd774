/**
 * Reads of the ainft module over CometBFT's abci_query: its own `ain.ainft.v1.Query` (a token with
 * its provenance and counts, collections, listings, compositions walked down and up, provenance
 * chains, re-runs, splits) and the Cosmos `cosmos.nft.v1beta1.Query` (owner, balance, supply). Each
 * answer carries the height it was read at.
 */
import type { CometClient } from '@cosmjs/tendermint-rpc';
import {
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryOwnerRequest,
  QueryOwnerResponse,
  QuerySupplyRequest,
  QuerySupplyResponse,
} from 'cosmjs-types/cosmos/nft/v1beta1/query';
import * as q from '../proto/gen/ain/ainft/v1/query.ts';
import type { Class, Payout, Rerun, Share, Token } from '../proto/gen/ain/ainft/v1/types.ts';
import { abciQueryOrThrow, decodeAnswer } from './queryState.ts';

export const AINFT_QUERY_PATHS = {
  token: '/ain.ainft.v1.Query/Token',
  class: '/ain.ainft.v1.Query/Class',
  classes: '/ain.ainft.v1.Query/Classes',
  tokens: '/ain.ainft.v1.Query/Tokens',
  approvedForAll: '/ain.ainft.v1.Query/ApprovedForAll',
  children: '/ain.ainft.v1.Query/Children',
  parents: '/ain.ainft.v1.Query/Parents',
  provenance: '/ain.ainft.v1.Query/Provenance',
  reruns: '/ain.ainft.v1.Query/Reruns',
  split: '/ain.ainft.v1.Query/Split',
  params: '/ain.ainft.v1.Query/Params',
  nftOwner: '/cosmos.nft.v1beta1.Query/Owner',
  nftBalance: '/cosmos.nft.v1beta1.Query/Balance',
  nftSupply: '/cosmos.nft.v1beta1.Query/Supply',
} as const;

type Comet = Pick<CometClient, 'abciQuery'>;

async function ask<T>(comet: Comet, path: string, data: Uint8Array, decode: (bytes: Uint8Array) => T): Promise<T & { height: number }> {
  const response = await abciQueryOrThrow(comet, path, data);
  return { ...decodeAnswer(decode, response.value, path), height: response.height ?? 0 };
}

/** A token with its metadata, composition, provenance, re-run counts and earnings. @throws QueryError ainft/5 */
export async function queryToken(comet: Comet, classId: string, id: string): Promise<{ token: Token; height: number }> {
  const answer = await ask(
    comet,
    AINFT_QUERY_PATHS.token,
    q.QueryTokenRequest.encode({ classId, id }).finish(),
    q.QueryTokenResponse.decode,
  );
  return { token: answer.token!, height: answer.height };
}

/** A collection with its creator, minters and supply. @throws QueryError ainft/3 */
export async function queryClass(comet: Comet, classId: string): Promise<{ class: Class; height: number }> {
  const answer = await ask(comet, AINFT_QUERY_PATHS.class, q.QueryClassRequest.encode({ classId }).finish(), q.QueryClassResponse.decode);
  return { class: answer.class!, height: answer.height };
}

export async function queryClasses(comet: Comet, startAfter = '', limit = 100): Promise<{ classes: Class[]; height: number }> {
  return ask(
    comet,
    AINFT_QUERY_PATHS.classes,
    q.QueryClassesRequest.encode({ startAfter, limit, pagination: undefined }).finish(),
    q.QueryClassesResponse.decode,
  );
}

/** Tokens of a class, of an owner, or both, after the cursor `class/id`. */
export async function queryTokens(
  comet: Comet,
  filter: { classId?: string; owner?: string; startAfter?: string; limit?: number },
): Promise<{ tokens: Token[]; height: number }> {
  const request = q.QueryTokensRequest.fromPartial(filter);
  return ask(comet, AINFT_QUERY_PATHS.tokens, q.QueryTokensRequest.encode(request).finish(), q.QueryTokensResponse.decode);
}

export async function queryApprovedForAll(comet: Comet, owner: string, operator: string): Promise<{ approved: boolean; height: number }> {
  return ask(
    comet,
    AINFT_QUERY_PATHS.approvedForAll,
    q.QueryApprovedForAllRequest.encode({ owner, operator }).finish(),
    q.QueryApprovedForAllResponse.decode,
  );
}

/** Every token below one in its composition (depth first). */
export async function queryChildren(comet: Comet, classId: string, id: string): Promise<{ edges: q.Edge[]; height: number }> {
  return ask(comet, AINFT_QUERY_PATHS.children, q.QueryChildrenRequest.encode({ classId, id }).finish(), q.QueryChildrenResponse.decode);
}

/** Every token above one: those composing it or referring to it in their metadata. */
export async function queryParents(comet: Comet, classId: string, id: string): Promise<{ edges: q.Edge[]; height: number }> {
  return ask(comet, AINFT_QUERY_PATHS.parents, q.QueryParentsRequest.encode({ classId, id }).finish(), q.QueryParentsResponse.decode);
}

/** The provenance chain: the token's job, the job's inputs and the tokens they are, and so on. */
export async function queryProvenance(comet: Comet, classId: string, id: string): Promise<{ steps: q.ProvenanceStep[]; height: number }> {
  return ask(
    comet,
    AINFT_QUERY_PATHS.provenance,
    q.QueryProvenanceRequest.encode({ classId, id }).finish(),
    q.QueryProvenanceResponse.decode,
  );
}

export async function queryReruns(comet: Comet, classId: string, id: string): Promise<{ reruns: Rerun[]; height: number }> {
  return ask(comet, AINFT_QUERY_PATHS.reruns, q.QueryRerunsRequest.encode({ classId, id }).finish(), q.QueryRerunsResponse.decode);
}

/** How a payment of `amount` uain to a token would split now. */
export async function querySplit(
  comet: Comet,
  classId: string,
  id: string,
  amount: bigint | string,
): Promise<{ payouts: Payout[]; shares: Share[]; height: number }> {
  return ask(
    comet,
    AINFT_QUERY_PATHS.split,
    q.QuerySplitRequest.encode({ classId, id, amount: amount.toString() }).finish(),
    q.QuerySplitResponse.decode,
  );
}

export async function queryAinftParams(comet: Comet): Promise<{ params: q.QueryParamsResponse['params']; height: number }> {
  return ask(comet, AINFT_QUERY_PATHS.params, q.QueryParamsRequest.encode({}).finish(), q.QueryParamsResponse.decode);
}

/** ERC-721's ownerOf through the Cosmos NFT service ('' for no such token). */
export async function queryOwnerOf(comet: Comet, classId: string, id: string): Promise<{ owner: string; height: number }> {
  return ask(comet, AINFT_QUERY_PATHS.nftOwner, QueryOwnerRequest.encode({ classId, id }).finish(), QueryOwnerResponse.decode);
}

/** How many tokens of a class an address owns (Cosmos NFT Balance). */
export async function queryNftBalance(comet: Comet, owner: string, classId: string): Promise<{ amount: bigint; height: number }> {
  return ask(comet, AINFT_QUERY_PATHS.nftBalance, QueryBalanceRequest.encode({ owner, classId }).finish(), QueryBalanceResponse.decode);
}

export async function queryNftSupply(comet: Comet, classId: string): Promise<{ amount: bigint; height: number }> {
  return ask(comet, AINFT_QUERY_PATHS.nftSupply, QuerySupplyRequest.encode({ classId }).finish(), QuerySupplyResponse.decode);
}
