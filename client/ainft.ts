/**
 * `client.ainft`: AINFTs from a dApp. Writes are signed by the client's address and resolve once the
 * tx is in a block (a refusal throws `TxError` with the chain's code and log); reads need no signer.
 * Metadata may be given in the seed article's JSON form (`metadataFromJson`), children as shares
 * whose total weight the client adds up.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { DeliverTxResponse } from '@cosmjs/stargate';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { MsgPayResponse, MsgRequestRerunResponse } from '../proto/gen/ain/ainft/v1/tx.ts';
import type { MsgCreateClass, MsgRequestRerun } from '../proto/gen/ain/ainft/v1/tx.ts';
import type { Metadata, Payout } from '../proto/gen/ain/ainft/v1/types.ts';
import { ainftMsg, type ChildShare, compositionOf, metadataFromJson } from './ainftMessages.ts';
import {
  queryApprovedForAll,
  queryChildren,
  queryClass,
  queryClasses,
  queryNftBalance,
  queryNftSupply,
  queryOwnerOf,
  queryParents,
  queryProvenance,
  queryReruns,
  querySplit,
  queryToken,
  queryTokens,
} from './queryAinft.ts';
import { decodeAnswer } from './queryState.ts';
import type { TxOptions } from './ref.ts';

/** What minting takes besides the class and id. */
export interface MintOptions {
  /** The AINFT schema in its proto form ... */
  readonly metadata?: Metadata | undefined;
  /** ... or in the seed article's JSON form (`{data, model: {name, epoch, platform, weights_hash}, service: {api, demo}, state}`). */
  readonly metadataJson?: unknown;
  readonly children?: readonly ChildShare[] | undefined;
  /** The owner's own share weight beside the children's (default 0). */
  readonly ownerWeight?: bigint | number | undefined;
  /** A completed job request of the signer whose accepted result the token is. */
  readonly fromJob?: bigint | undefined;
  /** Recipient (default the signer). */
  readonly owner?: string | undefined;
  readonly uri?: string | undefined;
  readonly reproduce?: { readonly scoreField: string; readonly tolerance: string } | undefined;
}

/** The terms of a re-run request (what MsgRequestJob would take, less the job and input). */
export type RerunTerms = Omit<Partial<MsgRequestRerun>, 'signer' | 'classId' | 'id'> & { readonly workerReward: string };

/** The module's operations, bound to a client. */
export interface AinftApi {
  createClass(id: string, fields?: Omit<Partial<MsgCreateClass>, 'signer' | 'id'>, options?: TxOptions): Promise<DeliverTxResponse>;
  setMinters(classId: string, minters: readonly string[], options?: TxOptions): Promise<DeliverTxResponse>;
  mint(classId: string, id: string, mint?: MintOptions, options?: TxOptions): Promise<DeliverTxResponse>;
  transfer(classId: string, id: string, receiver: string, options?: TxOptions): Promise<DeliverTxResponse>;
  approve(classId: string, id: string, spender: string, options?: TxOptions): Promise<DeliverTxResponse>;
  setApprovalForAll(operator: string, approved: boolean, options?: TxOptions): Promise<DeliverTxResponse>;
  revoke(classId: string, id: string, options?: TxOptions): Promise<DeliverTxResponse>;
  burn(classId: string, id: string, options?: TxOptions): Promise<DeliverTxResponse>;
  compose(
    classId: string,
    id: string,
    children: readonly ChildShare[],
    ownerWeight?: bigint | number,
    options?: TxOptions,
  ): Promise<DeliverTxResponse>;
  /** Posts a re-run of the token's job at the signer's cost; resolves with the job request id. */
  requestRerun(classId: string, id: string, terms: RerunTerms, options?: TxOptions): Promise<{ requestId: bigint; tx: DeliverTxResponse }>;
  /** Pays a token; resolves with what each owner received. */
  pay(
    classId: string,
    id: string,
    amount: bigint | string,
    kind?: string,
    memo?: string,
    options?: TxOptions,
  ): Promise<{ payouts: Payout[]; tx: DeliverTxResponse }>;
  token: (classId: string, id: string) => ReturnType<typeof queryToken>;
  class: (classId: string) => ReturnType<typeof queryClass>;
  classes: (startAfter?: string, limit?: number) => ReturnType<typeof queryClasses>;
  tokens: (filter: Parameters<typeof queryTokens>[1]) => ReturnType<typeof queryTokens>;
  ownerOf: (classId: string, id: string) => ReturnType<typeof queryOwnerOf>;
  balanceOf: (owner: string, classId: string) => ReturnType<typeof queryNftBalance>;
  supply: (classId: string) => ReturnType<typeof queryNftSupply>;
  isApprovedForAll: (owner: string, operator: string) => ReturnType<typeof queryApprovedForAll>;
  children: (classId: string, id: string) => ReturnType<typeof queryChildren>;
  parents: (classId: string, id: string) => ReturnType<typeof queryParents>;
  provenance: (classId: string, id: string) => ReturnType<typeof queryProvenance>;
  reruns: (classId: string, id: string) => ReturnType<typeof queryReruns>;
  split: (classId: string, id: string, amount: bigint | string) => ReturnType<typeof querySplit>;
}

/** What `ainftApi` needs of the client. */
export interface AinftApiParts {
  readonly comet: Pick<CometClient, 'abciQuery'>;
  signerAddress(): string;
  signAndBroadcast(messages: readonly EncodeObject[], options?: TxOptions): Promise<DeliverTxResponse>;
}

/**
 * The API `connectAin` gives as `client.ainft`.
 * @example
 * await client.ainft.mint('ainchat', 'chatbot', { children: [{ classId: 'ainchat', id: 'data', weight: 2 }, { classId: 'ainchat', id: 'model', weight: 5 }] });
 * const { payouts } = await client.ainft.pay('ainchat', 'chatbot', 1000n, 'service');
 */
export function ainftApi(parts: AinftApiParts): AinftApi {
  const send = (build: (signer: string) => EncodeObject, options?: TxOptions) =>
    parts.signAndBroadcast([build(parts.signerAddress())], options);
  const comet = parts.comet;
  return {
    createClass: (id, fields = {}, options) => send((signer) => ainftMsg.createClass(signer, { ...fields, id }), options),
    setMinters: (classId, minters, options) => send((signer) => ainftMsg.setMinters(signer, { classId, minters: [...minters] }), options),
    mint(classId, id, mint = {}, options) {
      const metadata = mint.metadataJson === undefined ? mint.metadata : metadataFromJson(mint.metadataJson);
      return send(
        (signer) =>
          ainftMsg.mint(signer, {
            classId,
            id,
            owner: mint.owner ?? '',
            uri: mint.uri ?? '',
            metadata,
            composition: compositionOf(mint.children ?? [], mint.ownerWeight ?? 0n),
            fromJob: mint.fromJob ?? 0n,
            reproduce: mint.reproduce,
          }),
        options,
      );
    },
    transfer: (classId, id, receiver, options) => send((signer) => ainftMsg.transfer(signer, { classId, id, receiver }), options),
    approve: (classId, id, spender, options) => send((signer) => ainftMsg.approve(signer, { classId, id, spender }), options),
    setApprovalForAll: (operator, approved, options) =>
      send((signer) => ainftMsg.setApprovalForAll(signer, { operator, approved }), options),
    revoke: (classId, id, options) => send((signer) => ainftMsg.revoke(signer, { classId, id }), options),
    burn: (classId, id, options) => send((signer) => ainftMsg.burn(signer, { classId, id }), options),
    compose: (classId, id, children, ownerWeight = 0n, options) =>
      send((signer) => ainftMsg.setComposition(signer, { classId, id, composition: compositionOf(children, ownerWeight) }), options),
    async requestRerun(classId, id, terms, options) {
      const tx = await send((signer) => ainftMsg.requestRerun(signer, { ...terms, classId, id }), options);
      const response = tx.msgResponses[0];
      return {
        requestId: response
          ? decodeAnswer(MsgRequestRerunResponse.decode, response.value, `${response.typeUrl} of the tx's result`).requestId
          : 0n,
        tx,
      };
    },
    async pay(classId, id, amount, kind = 'service', memo = '', options) {
      const tx = await send((signer) => ainftMsg.pay(signer, { classId, id, amount: amount.toString(), kind, memo }), options);
      const response = tx.msgResponses[0];
      return {
        payouts: response ? decodeAnswer(MsgPayResponse.decode, response.value, `${response.typeUrl} of the tx's result`).payouts : [],
        tx,
      };
    },
    token: (classId, id) => queryToken(comet, classId, id),
    class: (classId) => queryClass(comet, classId),
    classes: (startAfter, limit) => queryClasses(comet, startAfter, limit),
    tokens: (filter) => queryTokens(comet, filter),
    ownerOf: (classId, id) => queryOwnerOf(comet, classId, id),
    balanceOf: (owner, classId) => queryNftBalance(comet, owner, classId),
    supply: (classId) => queryNftSupply(comet, classId),
    isApprovedForAll: (owner, operator) => queryApprovedForAll(comet, owner, operator),
    children: (classId, id) => queryChildren(comet, classId, id),
    parents: (classId, id) => queryParents(comet, classId, id),
    provenance: (classId, id) => queryProvenance(comet, classId, id),
    reruns: (classId, id) => queryReruns(comet, classId, id),
    split: (classId, id, amount) => querySplit(comet, classId, id, amount),
  };
}
