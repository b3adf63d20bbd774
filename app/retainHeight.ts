/**
 * Block pruning: the `retain_height` the app answers ABCI Commit with, so CometBFT deletes the blocks
 * (and their states) below it. It is a function of the committed height and app.toml only, the same
 * on every node with the same settings.
 */
import type { ResponseCommit } from 'cosmjs-types/tendermint/abci/types';
import type { AbciApplication } from './abci/index.ts';

/** What decides how many blocks a node keeps (app.toml). */
export interface BlockRetention {
  /** `[state] min_retain_blocks`: keep at least this many recent blocks; 0 keeps every block. */
  readonly minRetainBlocks: number;
  /** `[state] keep_recent`: the app's readable heights (0: all, so every block is kept too). */
  readonly keepRecent: number;
  /** `[state-sync] snapshot-interval` and `snapshot-keep-recent` (interval 0: no snapshots). */
  readonly snapshots: { readonly interval: number; readonly keepRecent: number };
}

/**
 * The retain height after committing `height`: `height - minRetainBlocks`, lowered so the blocks
 * from the oldest height the app's history still reads (`height - keepRecent + 1`) and from the
 * oldest state sync snapshot kept (a node restoring it fetches the blocks after it from its peers)
 * stay. 0 (keep all) when `minRetainBlocks` is 0, when the history keeps every height, or before
 * the first block could go.
 * @example blockRetainHeight(500n, { minRetainBlocks: 100, keepRecent: 50, snapshots: { interval: 0, keepRecent: 2 } }) // 400n
 */
export function blockRetainHeight(height: bigint, retention: BlockRetention): bigint {
  const { minRetainBlocks, keepRecent, snapshots } = retention;
  if (minRetainBlocks === 0 || keepRecent === 0) return 0n;
  let retain = height - BigInt(minRetainBlocks);
  const oldestReadable = height - BigInt(keepRecent) + 1n;
  if (oldestReadable < retain) retain = oldestReadable;
  if (snapshots.interval > 0) {
    const interval = BigInt(snapshots.interval);
    const oldestSnapshot = (height / interval - BigInt(snapshots.keepRecent - 1)) * interval;
    if (oldestSnapshot < retain) retain = oldestSnapshot;
  }
  return retain > 0n ? retain : 0n;
}

/**
 * `app` (every method present and bound, as `withDefaultResponses` and `withStateSync` give it)
 * answering Commit with {@link blockRetainHeight} of the height `committedHeight()` reports after it;
 * `app` itself when `minRetainBlocks` is 0.
 * @example startAbciServer({ port, app: withBlockRetention(withStateSync(app, sync, h), retention, h) })
 */
export function withBlockRetention(
  app: Required<AbciApplication>,
  retention: BlockRetention,
  committedHeight: () => bigint,
): Required<AbciApplication> {
  if (retention.minRetainBlocks === 0) return app;
  const retained = (response: ResponseCommit): ResponseCommit => ({
    ...response,
    retainHeight: blockRetainHeight(committedHeight(), retention),
  });
  return {
    ...app,
    commit(request) {
      const response = app.commit(request);
      return 'then' in response ? Promise.resolve(response).then(retained) : retained(response);
    },
  };
}
