/**
 * State sync: the four snapshot methods of ABCI (ListSnapshots, LoadSnapshotChunk, OfferSnapshot,
 * ApplySnapshotChunk) over the committed state, and the snapshots a node takes every
 * `snapshot-interval` heights. The format and its checks are in tree/lmdb (snapshotFormat.ts).
 *
 * Offering: after the Commit of a height that is a multiple of the interval, once the Commit response
 * is out (`setImmediate`), the node reads the committed state in one synchronous lmdb range scan
 * (nothing can commit meanwhile), cuts it into chunks and writes them to the snapshot folder
 * asynchronously; ListSnapshots and LoadSnapshotChunk read that folder. A snapshot never delays a
 * Commit response, and its bytes depend only on the height's state and the chunk size.
 *
 * Restoring (a node whose CometBFT has `[statesync] enable = true` and an empty state): OfferSnapshot
 * accepts a snapshot in our format whose metadata hashes to the snapshot's hash and names the app hash
 * CometBFT's light client verified; ApplySnapshotChunk checks each chunk against the sha256 the
 * metadata lists (a mismatch: RETRY, the chunk refetched and its sender rejected, so CometBFT asks
 * another peer), collects the leaves, and after the last chunk rebuilds the trie, which must hash to
 * that app hash before anything is written (else REJECT_SNAPSHOT).
 */
import {
  type RequestApplySnapshotChunk,
  type RequestLoadSnapshotChunk,
  type RequestOfferSnapshot,
  ResponseApplySnapshotChunk,
  ResponseApplySnapshotChunk_Result,
  ResponseListSnapshots,
  ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot,
  ResponseOfferSnapshot_Result,
} from 'cosmjs-types/tendermint/abci/types';
import { toHex } from '../../tree/index.ts';
import {
  type CommittedState,
  chunkMatches,
  decodeChunk,
  decodeMetadata,
  encodeSnapshot,
  SNAPSHOT_FORMAT,
  type SnapshotLeaf,
  type SnapshotMetadata,
  type SnapshotStore,
  type StoredSnapshot,
} from '../../tree/lmdb/index.ts';
import { type AbciApplication, withDefaultResponses } from './application.ts';
import { type AbciLogger, silentAbciLogger } from './server.ts';

export interface StateSyncOptions {
  readonly state: CommittedState;
  /** Where snapshots are kept and served from; absent: this node offers none. */
  readonly store?: SnapshotStore | undefined;
  /** Take a snapshot after every commit of a multiple of this height (0: never). */
  readonly interval?: number;
  /** Bytes per chunk (see `checkChunkSize`). */
  readonly chunkSize: number;
  /** Called once a snapshot is restored into the state, before the ACCEPT of its last chunk. */
  readonly onRestored: () => void;
  readonly logger?: AbciLogger;
}

/** A restore in progress: the accepted snapshot and the leaves of the chunks applied so far. */
interface Restore {
  readonly metadata: SnapshotMetadata;
  readonly leaves: SnapshotLeaf[];
  next: number;
}

/** What a snapshot cost: for logs and benchmarks. */
export interface SnapshotTaken {
  readonly snapshot: StoredSnapshot;
  readonly bytes: number;
  /** Reading the state and cutting chunks (synchronous), then writing the files, in ms. */
  readonly readMs: number;
  readonly writeMs: number;
}

/**
 * The snapshot half of an ABCI application. Give its four methods to the server beside the app's own
 * (see app/node.ts) and call {@link afterCommit} after every Commit.
 * @example
 * const sync = new StateSync({ state, store, interval: 1000, chunkSize: 4 << 20, onRestored: () => app.restored() });
 */
export class StateSync {
  readonly #options: StateSyncOptions;
  readonly #logger: AbciLogger;
  #restore: Restore | undefined;
  #taking: Promise<SnapshotTaken | undefined> | undefined;

  constructor(options: StateSyncOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentAbciLogger;
  }

  /** Schedules a snapshot of `height` when it is a multiple of the interval (skipped while one is being written). */
  afterCommit(height: bigint): void {
    const { interval = 0, store } = this.#options;
    if (store === undefined || interval <= 0 || height % BigInt(interval) !== 0n || this.#taking !== undefined) return;
    this.#taking = new Promise<SnapshotTaken | undefined>((resolve) => {
      setImmediate(() => {
        this.takeSnapshot()
          .then(resolve, (error: unknown) => {
            this.#logger.error('snapshot failed', { height: height.toString(), error: (error as Error).message });
            resolve(undefined);
          })
          .finally(() => {
            this.#taking = undefined;
          });
      });
    });
  }

  /** Resolves when the snapshot being taken (if any) is written. */
  async idle(): Promise<void> {
    await this.#taking;
  }

  /**
   * Snapshots the committed state now (at its current height) into the store.
   * @throws Error when this node has no snapshot store
   */
  async takeSnapshot(): Promise<SnapshotTaken> {
    const { store, state, chunkSize } = this.#options;
    if (store === undefined) throw new Error('this node keeps no snapshots ([state-sync] snapshot-interval = 0)');
    const started = performance.now();
    // A pipelined Commit may still be writing: export what is on disk once it all is.
    while (state.durableHeight < state.height) await state.flushed();
    const exported = state.exportState();
    const encoded = encodeSnapshot(exported.height, exported.appHash, exported.leaves, exported.appMeta, chunkSize);
    const read = performance.now();
    const snapshot = await store.save(encoded);
    const taken = {
      snapshot,
      bytes: encoded.chunks.reduce((sum, chunk) => sum + chunk.length, 0),
      readMs: read - started,
      writeMs: performance.now() - read,
    };
    this.#logger.info('snapshot taken', {
      height: snapshot.height.toString(),
      chunks: snapshot.chunks,
      leaves: encoded.metadata.leaves,
      bytes: taken.bytes,
      readMs: Math.round(taken.readMs),
      writeMs: Math.round(taken.writeMs),
    });
    return taken;
  }

  listSnapshots(): ResponseListSnapshots {
    const snapshots = this.#options.store?.list() ?? [];
    return ResponseListSnapshots.fromPartial({
      snapshots: snapshots.map((s) => ({ height: s.height, format: s.format, chunks: s.chunks, hash: s.hash, metadata: s.metadata })),
    });
  }

  async loadSnapshotChunk(request: RequestLoadSnapshotChunk): Promise<ResponseLoadSnapshotChunk> {
    const chunk = await this.#options.store?.loadChunk(request.height, request.format, request.chunk);
    return ResponseLoadSnapshotChunk.fromPartial({ chunk: chunk ?? new Uint8Array() });
  }

  offerSnapshot(request: RequestOfferSnapshot): ResponseOfferSnapshot {
    const answer = (result: ResponseOfferSnapshot_Result, why: string) => {
      this.#logger.info('snapshot offer', {
        height: request.snapshot?.height.toString(),
        result: ResponseOfferSnapshot_Result[result],
        why,
      });
      return ResponseOfferSnapshot.fromPartial({ result });
    };
    const { snapshot } = request;
    if (snapshot === undefined) return answer(ResponseOfferSnapshot_Result.REJECT, 'no snapshot in the offer');
    if (this.#options.state.height !== 0n) {
      return answer(ResponseOfferSnapshot_Result.ABORT, `the state already holds height ${this.#options.state.height}`);
    }
    if (snapshot.format !== SNAPSHOT_FORMAT) return answer(ResponseOfferSnapshot_Result.REJECT_FORMAT, `format ${snapshot.format}`);
    let metadata: SnapshotMetadata;
    try {
      metadata = decodeMetadata(snapshot);
    } catch (error) {
      return answer(ResponseOfferSnapshot_Result.REJECT, (error as Error).message);
    }
    if (toHex(metadata.appHash) !== toHex(request.appHash)) {
      return answer(
        ResponseOfferSnapshot_Result.REJECT,
        `snapshot app hash ${toHex(metadata.appHash)} is not the verified ${toHex(request.appHash)}`,
      );
    }
    this.#restore = { metadata, leaves: [], next: 0 };
    return answer(ResponseOfferSnapshot_Result.ACCEPT, `${snapshot.chunks} chunks, ${metadata.leaves} leaves`);
  }

  applySnapshotChunk(request: RequestApplySnapshotChunk): ResponseApplySnapshotChunk {
    const restore = this.#restore;
    const answer = (result: ResponseApplySnapshotChunk_Result, why: string, extra: { refetch?: number; reject?: string } = {}) => {
      const fields = { chunk: request.index, sender: request.sender, result: ResponseApplySnapshotChunk_Result[result], why };
      if (result === ResponseApplySnapshotChunk_Result.ACCEPT) this.#logger.debug('snapshot chunk', fields);
      else this.#logger.info('snapshot chunk', fields);
      if (result !== ResponseApplySnapshotChunk_Result.ACCEPT && result !== ResponseApplySnapshotChunk_Result.RETRY)
        this.#restore = undefined;
      return ResponseApplySnapshotChunk.fromPartial({
        result,
        refetchChunks: extra.refetch === undefined ? [] : [extra.refetch],
        rejectSenders: extra.reject ? [extra.reject] : [],
      });
    };
    if (restore === undefined) return answer(ResponseApplySnapshotChunk_Result.ABORT, 'no snapshot was accepted');
    if (request.index !== restore.next) {
      return answer(ResponseApplySnapshotChunk_Result.RETRY, `chunk ${request.index} while expecting ${restore.next}`, {
        refetch: restore.next,
      });
    }
    if (!chunkMatches(restore.metadata, request.index, request.chunk)) {
      // A corrupt or wrong chunk: fetch it again, from another peer.
      return answer(ResponseApplySnapshotChunk_Result.RETRY, 'sha256 differs from the metadata', {
        refetch: request.index,
        reject: request.sender,
      });
    }
    const after = restore.leaves.at(-1)?.[0];
    try {
      // A copy: the request's bytes may be a view into the socket's buffer.
      restore.leaves.push(...decodeChunk(request.chunk.slice(), after));
    } catch (error) {
      return answer(ResponseApplySnapshotChunk_Result.REJECT_SNAPSHOT, (error as Error).message, { reject: request.sender });
    }
    restore.next++;
    if (restore.next < restore.metadata.chunkHashes.length) return answer(ResponseApplySnapshotChunk_Result.ACCEPT, 'stored');
    const { metadata } = restore;
    if (restore.leaves.length !== metadata.leaves) {
      return answer(ResponseApplySnapshotChunk_Result.REJECT_SNAPSHOT, `${restore.leaves.length} leaves, metadata says ${metadata.leaves}`);
    }
    try {
      this.#options.state.restore({
        leaves: restore.leaves,
        height: metadata.height,
        appHash: metadata.appHash,
        appMeta: metadata.appMeta,
      });
    } catch (error) {
      return answer(ResponseApplySnapshotChunk_Result.REJECT_SNAPSHOT, (error as Error).message);
    }
    this.#restore = undefined;
    this.#options.onRestored();
    this.#logger.info('state restored from snapshot', { height: metadata.height.toString(), leaves: metadata.leaves });
    return answer(ResponseApplySnapshotChunk_Result.ACCEPT, 'restored');
  }
}

/**
 * `app` with `sync` answering the four snapshot methods, and a snapshot scheduled after each Commit
 * (of the height `committedHeight()` reports then).
 * @example startAbciServer({ port, app: withStateSync(app, sync, () => state.height) })
 */
export function withStateSync(app: AbciApplication, sync: StateSync, committedHeight: () => bigint): AbciApplication {
  const full = withDefaultResponses(app);
  return {
    ...full,
    commit(request) {
      const response = full.commit(request);
      if (!isPromiseLike(response)) {
        sync.afterCommit(committedHeight());
        return response;
      }
      return Promise.resolve(response).then((answered) => {
        sync.afterCommit(committedHeight());
        return answered;
      });
    },
    listSnapshots: () => sync.listSnapshots(),
    loadSnapshotChunk: (request) => sync.loadSnapshotChunk(request),
    offerSnapshot: (request) => sync.offerSnapshot(request),
    applySnapshotChunk: (request) => sync.applySnapshotChunk(request),
  };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
