/**
 * The contract between the ABCI socket server and the application: one method per ABCI 2.0 request of
 * CometBFT v0.38. Echo and Flush are answered by the server itself. Methods a simple app has no use
 * for (state sync snapshots, vote extensions, proposal shaping) are optional and fall back to
 * `defaultApplicationResponses`.
 */
import {
  ResponseApplySnapshotChunk,
  ResponseApplySnapshotChunk_Result,
  ResponseExtendVote,
  ResponseListSnapshots,
  ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot,
  ResponseOfferSnapshot_Result,
  ResponsePrepareProposal,
  ResponseProcessProposal,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension,
  ResponseVerifyVoteExtension_VerifyStatus,
} from 'cosmjs-types/tendermint/abci/types';
import type {
  RequestApplySnapshotChunk,
  RequestCheckTx,
  RequestCommit,
  RequestExtendVote,
  RequestFinalizeBlock,
  RequestInfo,
  RequestInitChain,
  RequestListSnapshots,
  RequestLoadSnapshotChunk,
  RequestOfferSnapshot,
  RequestPrepareProposal,
  RequestProcessProposal,
  RequestQuery,
  RequestVerifyVoteExtension,
  ResponseCheckTx,
  ResponseCommit,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseQuery,
} from 'cosmjs-types/tendermint/abci/types';

/**
 * A handler's result: a plain value when it can answer at once (the fast path: no promise is created
 * per request), or a promise when it must wait.
 */
export type MaybePromise<T> = T | PromiseLike<T>;

/**
 * An ABCI 2.0 application. Each method receives the decoded request and returns the complete response
 * (build it with `ResponseX.fromPartial({...})`).
 *
 * Requests on one connection are handled one at a time, in order; the four connections CometBFT opens
 * (consensus, mempool, query, snapshot) run concurrently, so e.g. `checkTx` may be called while an
 * async `finalizeBlock` is pending. A method that throws or rejects makes the server answer
 * ResponseException and close that connection, which stops CometBFT: return an error code instead for
 * anything a user can cause.
 *
 * Byte fields of a request (txs, data) may be views into the socket's read buffer: copy them
 * (`bytes.slice()`) before keeping them beyond the call, or they pin the whole buffer.
 *
 * @example
 * const app: AbciApplication = {
 *   info: () => ResponseInfo.fromPartial({ lastBlockHeight: 0n }),
 *   initChain: () => ResponseInitChain.fromPartial({}),
 *   query: () => ResponseQuery.fromPartial({ code: 1, log: 'no queries' }),
 *   checkTx: () => ResponseCheckTx.fromPartial({ code: 0 }),
 *   finalizeBlock: (req) => ResponseFinalizeBlock.fromPartial({ txResults: req.txs.map(() => ({ code: 0 })), appHash }),
 *   commit: () => ResponseCommit.fromPartial({}),
 * };
 */
export interface AbciApplication {
  /** Info connection: the last committed height and app hash, read at startup for the handshake. */
  info(request: RequestInfo): MaybePromise<ResponseInfo>;
  /** Consensus connection, once at genesis (again if the app crashed before block 1). */
  initChain(request: RequestInitChain): MaybePromise<ResponseInitChain>;
  /** Info connection: a read of committed state. */
  query(request: RequestQuery): MaybePromise<ResponseQuery>;
  /** Mempool connection: admission (and recheck) of a transaction. */
  checkTx(request: RequestCheckTx): MaybePromise<ResponseCheckTx>;
  /** Consensus connection: persist what the last FinalizeBlock staged. */
  commit(request: RequestCommit): MaybePromise<ResponseCommit>;
  /** Consensus connection: execute a decided block (stage, do not persist). */
  finalizeBlock(request: RequestFinalizeBlock): MaybePromise<ResponseFinalizeBlock>;

  /** Snapshot connection. Default: no snapshots. */
  listSnapshots?(request: RequestListSnapshots): MaybePromise<ResponseListSnapshots>;
  /** Snapshot connection. Default: REJECT (this node does not restore from snapshots). */
  offerSnapshot?(request: RequestOfferSnapshot): MaybePromise<ResponseOfferSnapshot>;
  /** Snapshot connection. Default: an empty chunk. */
  loadSnapshotChunk?(request: RequestLoadSnapshotChunk): MaybePromise<ResponseLoadSnapshotChunk>;
  /** Snapshot connection. Default: ABORT (unreachable while every offer is rejected). */
  applySnapshotChunk?(request: RequestApplySnapshotChunk): MaybePromise<ResponseApplySnapshotChunk>;
  /** Consensus connection, on the proposer. Default: the mempool's txs in order, within max_tx_bytes. */
  prepareProposal?(request: RequestPrepareProposal): MaybePromise<ResponsePrepareProposal>;
  /** Consensus connection. Default: ACCEPT. Must be deterministic. */
  processProposal?(request: RequestProcessProposal): MaybePromise<ResponseProcessProposal>;
  /** Consensus connection. Default: an empty vote extension. */
  extendVote?(request: RequestExtendVote): MaybePromise<ResponseExtendVote>;
  /** Consensus connection. Default: ACCEPT. Must be deterministic. */
  verifyVoteExtension?(request: RequestVerifyVoteExtension): MaybePromise<ResponseVerifyVoteExtension>;
}

/** The methods an application may leave out. */
export type OptionalAbciMethod =
  | 'listSnapshots'
  | 'offerSnapshot'
  | 'loadSnapshotChunk'
  | 'applySnapshotChunk'
  | 'prepareProposal'
  | 'processProposal'
  | 'extendVote'
  | 'verifyVoteExtension';

/**
 * Bytes a tx takes inside the block's `Data` message: tag, length varint, body. CometBFT checks the
 * proposal against max_tx_bytes with this size (`types.Txs.Validate`), so counting raw lengths, as
 * Go's BaseApplication does, could return a proposal CometBFT refuses.
 */
function txProtoSize(tx: Uint8Array): number {
  let varint = 1;
  for (let n = tx.length; n >= 0x80; n = Math.floor(n / 0x80)) varint++;
  return 1 + varint + tx.length;
}

/**
 * Answers for the optional methods of an app that does not implement them: no state sync, no vote
 * extensions, proposals passed through unchanged.
 *
 * @example
 * defaultApplicationResponses.offerSnapshot(request).result === ResponseOfferSnapshot_Result.REJECT
 */
export const defaultApplicationResponses: { readonly [M in OptionalAbciMethod]-?: NonNullable<AbciApplication[M]> } = {
  listSnapshots: () => ResponseListSnapshots.fromPartial({}),
  offerSnapshot: () => ResponseOfferSnapshot.fromPartial({ result: ResponseOfferSnapshot_Result.REJECT }),
  loadSnapshotChunk: () => ResponseLoadSnapshotChunk.fromPartial({}),
  applySnapshotChunk: () => ResponseApplySnapshotChunk.fromPartial({ result: ResponseApplySnapshotChunk_Result.ABORT }),
  prepareProposal: (request: RequestPrepareProposal) => {
    const txs: Uint8Array[] = [];
    let total = 0n;
    for (const tx of request.txs) {
      total += BigInt(txProtoSize(tx));
      if (total > request.maxTxBytes) break;
      txs.push(tx);
    }
    return ResponsePrepareProposal.fromPartial({ txs });
  },
  processProposal: () => ResponseProcessProposal.fromPartial({ status: ResponseProcessProposal_ProposalStatus.ACCEPT }),
  extendVote: () => ResponseExtendVote.fromPartial({}),
  verifyVoteExtension: () => ResponseVerifyVoteExtension.fromPartial({ status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT }),
};

/**
 * The application with every method present: its own methods (bound, so `this` still works) and the
 * defaults for those it leaves out.
 *
 * @example
 * const full = withDefaultResponses(app); full.processProposal(request) // ACCEPT unless app overrides
 */
export function withDefaultResponses(app: AbciApplication): Required<AbciApplication> {
  return {
    info: app.info.bind(app),
    initChain: app.initChain.bind(app),
    query: app.query.bind(app),
    checkTx: app.checkTx.bind(app),
    commit: app.commit.bind(app),
    finalizeBlock: app.finalizeBlock.bind(app),
    listSnapshots: app.listSnapshots?.bind(app) ?? defaultApplicationResponses.listSnapshots,
    offerSnapshot: app.offerSnapshot?.bind(app) ?? defaultApplicationResponses.offerSnapshot,
    loadSnapshotChunk: app.loadSnapshotChunk?.bind(app) ?? defaultApplicationResponses.loadSnapshotChunk,
    applySnapshotChunk: app.applySnapshotChunk?.bind(app) ?? defaultApplicationResponses.applySnapshotChunk,
    prepareProposal: app.prepareProposal?.bind(app) ?? defaultApplicationResponses.prepareProposal,
    processProposal: app.processProposal?.bind(app) ?? defaultApplicationResponses.processProposal,
    extendVote: app.extendVote?.bind(app) ?? defaultApplicationResponses.extendVote,
    verifyVoteExtension: app.verifyVoteExtension?.bind(app) ?? defaultApplicationResponses.verifyVoteExtension,
  };
}
