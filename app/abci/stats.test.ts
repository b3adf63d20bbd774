import {
  CheckTxType,
  ResponseCheckTx,
  ResponseCommit,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseQuery,
} from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import type { AbciApplication } from './application.ts';
import { TIMELINE_BUCKET_MS, withAbciStats } from './stats.ts';

const app: AbciApplication = {
  info: () => ResponseInfo.fromPartial({}),
  initChain: () => ResponseInitChain.fromPartial({}),
  query: () => ResponseQuery.fromPartial({}),
  checkTx: ({ tx }) => ResponseCheckTx.fromPartial(tx.length === 0 ? { code: 5, log: 'empty tx' } : {}),
  commit: () => ResponseCommit.fromPartial({}),
  finalizeBlock: () => ResponseFinalizeBlock.fromPartial({}),
};

describe('withAbciStats', () => {
  it('counts and times each call by method, rechecks and refusals apart, in total and per 100 ms of wall time', () => {
    const { app: timed, stats } = withAbciStats(app);
    const before = Date.now();
    timed.checkTx({ tx: Uint8Array.of(1), type: CheckTxType.NEW });
    timed.checkTx({ tx: Uint8Array.of(1), type: CheckTxType.RECHECK });
    expect(timed.checkTx({ tx: new Uint8Array(), type: CheckTxType.NEW })).toMatchObject({ code: 5 });
    timed.finalizeBlock({ txs: [] } as never);
    const after = Date.now();

    expect(stats.calls).toEqual({ checkTx: 2, recheckTx: 1, 'checkTx refused 5': 1, finalizeBlock: 1 });
    expect(stats.micros.checkTx).toBeGreaterThan(0);
    expect(stats.summary()).toMatch(/^checkTx: 2 calls, \d+ ms, [\d.]+ µs\/call$/m);

    // Every call lands in the bucket it ended in: a multiple of 100 ms between the first and the last.
    const buckets = [...stats.timeline.keys()];
    for (const bucket of buckets) {
      expect(bucket % TIMELINE_BUCKET_MS).toBe(0);
      expect(bucket).toBeGreaterThanOrEqual(before - (before % TIMELINE_BUCKET_MS));
      expect(bucket).toBeLessThanOrEqual(after);
    }
    const total = (name: string) => [...stats.timeline.values()].reduce((n, row) => n + (row[name]?.calls ?? 0), 0);
    expect([total('checkTx'), total('recheckTx'), total('finalizeBlock')]).toEqual([2, 1, 1]);
    const micros = [...stats.timeline.values()].reduce((n, row) => n + (row.checkTx?.micros ?? 0), 0);
    expect(micros).toBeCloseTo(stats.micros.checkTx!, 6);
  });
});
