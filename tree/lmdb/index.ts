/**
 * The lmdb half of the state tree (the only part that does I/O): `openCommittedState(dir, options)`
 * and what it returns. See committedState.ts; reads at recent heights are in historicalReads.ts, the
 * history window in retention.ts, the undo record formats in history.ts.
 */
export type { CommittedStateOptions } from './committedState.ts';
export { CommittedState, DEFAULT_KEEP_RECENT, openCommittedState } from './committedState.ts';
export type { StateAtHeight } from './historicalReads.ts';
export { PreparedBlock } from './preparedBlock.ts';
export {
  checkChunkSize,
  chunkMatches,
  decodeChunk,
  decodeMetadata,
  DEFAULT_SNAPSHOT_CHUNK_SIZE,
  type EncodedSnapshot,
  encodeSnapshot,
  MAX_SNAPSHOT_CHUNK_SIZE,
  SNAPSHOT_FORMAT,
  type SnapshotLeaf,
  type SnapshotMetadata,
} from './snapshotFormat.ts';
export type { ExportedState, RestoredState } from './snapshotState.ts';
export { SnapshotStore, type StoredSnapshot } from './snapshotStore.ts';
