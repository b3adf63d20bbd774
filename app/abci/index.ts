/**
 * The ABCI 2.0 socket layer: the server CometBFT v0.38 connects to, the application contract it
 * calls, and the frame codec underneath.
 */
export { startAbciServer, silentAbciLogger } from './server.ts';
export type { AbciServer, AbciServerOptions, AbciLogger } from './server.ts';
export { defaultApplicationResponses, withDefaultResponses } from './application.ts';
export type { AbciApplication, OptionalAbciMethod, MaybePromise } from './application.ts';
export { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, encodeFrame, encodeFrames, encodeUvarint, uvarintLength } from './framing.ts';
export type { FrameDecoderOptions } from './framing.ts';
export { AbciError } from './errors.ts';
export type { AbciErrorCode } from './errors.ts';
export { StateSync, withStateSync } from './stateSync.ts';
export type { SnapshotTaken, StateSyncOptions } from './stateSync.ts';
