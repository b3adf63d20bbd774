import { expect, it } from 'vitest';
import * as abci from './index.ts';

// The public face of app/abci, name by name: a change here is an API change and shows in review.
it('exports exactly the public API', () => {
  expect(Object.keys(abci).sort()).toEqual([
    'AbciError',
    'DEFAULT_MAX_FRAME_BYTES',
    'FrameDecoder',
    'StateSync',
    'defaultApplicationResponses',
    'encodeFrame',
    'encodeFrames',
    'encodeUvarint',
    'silentAbciLogger',
    'startAbciServer',
    'uvarintLength',
    'withDefaultResponses',
    'withStateSync',
  ]);
});
