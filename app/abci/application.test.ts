import {
  RequestApplySnapshotChunk,
  RequestOfferSnapshot,
  RequestPrepareProposal,
  ResponseApplySnapshotChunk_Result,
  ResponseCheckTx,
  ResponseCommit,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseOfferSnapshot_Result,
  ResponseProcessProposal_ProposalStatus,
  ResponseQuery,
  ResponseVerifyVoteExtension_VerifyStatus,
} from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import { defaultApplicationResponses, withDefaultResponses, type AbciApplication, type MaybePromise } from './application.ts';

const d = defaultApplicationResponses;

/** The defaults answer synchronously; this unwraps their MaybePromise type. */
function sync<T>(value: MaybePromise<T>): T {
  expect(value).not.toHaveProperty('then');
  return value as T;
}

describe('defaultApplicationResponses', () => {
  it('has no snapshots and refuses to restore from one', () => {
    expect(d.listSnapshots({})).toEqual({ snapshots: [] });
    expect(sync(d.offerSnapshot(RequestOfferSnapshot.fromPartial({}))).result).toBe(ResponseOfferSnapshot_Result.REJECT);
    expect(sync(d.applySnapshotChunk(RequestApplySnapshotChunk.fromPartial({}))).result).toBe(ResponseApplySnapshotChunk_Result.ABORT);
  });

  it('accepts proposals and vote extensions, and extends votes with nothing', () => {
    expect(sync(d.processProposal({} as never)).status).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);
    expect(sync(d.verifyVoteExtension({} as never)).status).toBe(ResponseVerifyVoteExtension_VerifyStatus.ACCEPT);
    expect(sync(d.extendVote({} as never)).voteExtension).toHaveLength(0);
  });

  it('prepareProposal keeps txs in order while their block size fits max_tx_bytes', () => {
    const txs = [new Uint8Array(10), new Uint8Array(20), new Uint8Array(5), new Uint8Array(1)];
    // Each tx takes 2 bytes of protobuf framing in the block (tag + 1-byte length).
    const fits = (maxTxBytes: bigint) =>
      sync(d.prepareProposal(RequestPrepareProposal.fromPartial({ txs, maxTxBytes }))).txs.map((t) => t.length);
    expect(fits(1000n)).toEqual([10, 20, 5, 1]);
    expect(fits(12n + 22n)).toEqual([10, 20]);
    expect(fits(12n + 22n + 6n)).toEqual([10, 20]);
    expect(fits(12n + 22n + 7n)).toEqual([10, 20, 5]);
    // Stops at the first tx that does not fit, like CometBFT's BaseApplication: no reordering.
    expect(fits(11n)).toEqual([]);
  });
});

describe('withDefaultResponses', () => {
  it('keeps the app methods bound to the app and fills in the rest', () => {
    class App implements AbciApplication {
      height = 42n;
      info() {
        return ResponseInfo.fromPartial({ lastBlockHeight: this.height });
      }
      initChain() {
        return ResponseInitChain.fromPartial({});
      }
      query() {
        return ResponseQuery.fromPartial({});
      }
      checkTx() {
        return ResponseCheckTx.fromPartial({});
      }
      commit() {
        return ResponseCommit.fromPartial({});
      }
      finalizeBlock() {
        return ResponseFinalizeBlock.fromPartial({});
      }
      processProposal() {
        return { status: ResponseProcessProposal_ProposalStatus.REJECT };
      }
    }
    const full = withDefaultResponses(new App());
    expect(sync(full.info({} as never)).lastBlockHeight).toBe(42n);
    expect(full.processProposal({} as never)).toEqual({ status: ResponseProcessProposal_ProposalStatus.REJECT });
    expect(full.verifyVoteExtension).toBe(d.verifyVoteExtension);
  });
});
