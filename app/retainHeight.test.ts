import {
  RequestCommit,
  ResponseCheckTx,
  ResponseCommit,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseQuery,
} from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import { type AbciApplication, withDefaultResponses } from './abci/index.ts';
import { type BlockRetention, blockRetainHeight, withBlockRetention } from './retainHeight.ts';

const noSnapshots = { interval: 0, keepRecent: 2 };
const retention = (minRetainBlocks: number, keepRecent: number, snapshots = noSnapshots): BlockRetention => ({
  minRetainBlocks,
  keepRecent,
  snapshots,
});

describe('blockRetainHeight', () => {
  it('keeps every block when min_retain_blocks is 0, or the history keeps every height', () => {
    expect(blockRetainHeight(10_000n, retention(0, 100))).toBe(0n);
    expect(blockRetainHeight(10_000n, retention(100, 0))).toBe(0n);
  });

  it('is height - min_retain_blocks, and 0 until a block can go', () => {
    expect(blockRetainHeight(500n, retention(100, 50))).toBe(400n);
    expect(blockRetainHeight(100n, retention(100, 50))).toBe(0n);
    expect(blockRetainHeight(101n, retention(100, 50))).toBe(1n);
  });

  it("never drops a block the app's history still reads (keep_recent above min_retain_blocks)", () => {
    // Heights 301..500 stay readable with keep_recent 200: block 301 and up are kept.
    expect(blockRetainHeight(500n, retention(100, 200))).toBe(301n);
    expect(blockRetainHeight(150n, retention(10, 200))).toBe(0n);
  });

  it('never drops the blocks after the oldest state sync snapshot kept', () => {
    // Snapshots every 100, 2 kept: at height 550 they are at 500 and 400.
    expect(blockRetainHeight(550n, retention(20, 20, { interval: 100, keepRecent: 2 }))).toBe(400n);
    expect(blockRetainHeight(600n, retention(20, 20, { interval: 100, keepRecent: 2 }))).toBe(500n);
    expect(blockRetainHeight(599n, retention(20, 20, { interval: 100, keepRecent: 1 }))).toBe(500n);
    // Before the second snapshot exists the first block stays.
    expect(blockRetainHeight(150n, retention(20, 20, { interval: 100, keepRecent: 2 }))).toBe(0n);
    // A snapshot bound above the others does not raise them.
    expect(blockRetainHeight(1_000n, retention(500, 20, { interval: 10, keepRecent: 1 }))).toBe(500n);
  });
});

describe('withBlockRetention', () => {
  const app = withDefaultResponses({
    info: () => ResponseInfo.fromPartial({}),
    initChain: () => ResponseInitChain.fromPartial({}),
    query: () => ResponseQuery.fromPartial({}),
    checkTx: () => ResponseCheckTx.fromPartial({}),
    finalizeBlock: () => ResponseFinalizeBlock.fromPartial({}),
    commit: () => ResponseCommit.fromPartial({}),
  } satisfies AbciApplication);

  it('answers Commit with the retain height of the height committed', async () => {
    let height = 250n;
    const wrapped = withBlockRetention(app, retention(100, 100), () => height);
    expect((await wrapped.commit(RequestCommit.fromPartial({}))).retainHeight).toBe(150n);
    height = 251n;
    expect((await wrapped.commit(RequestCommit.fromPartial({}))).retainHeight).toBe(151n);
  });

  it('leaves the app as it is with min_retain_blocks 0', () => {
    expect(withBlockRetention(app, retention(0, 100), () => 250n)).toBe(app);
  });
});
