/**
 * The chain's start as InitChain gets it: from a genesis document (as CometBFT reads it) and from
 * RequestInitChain, the same figures, so `aind genesis` checks judge a file as the chain will.
 */
import { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import { refusalOf } from '../test/helpers/errorCode.ts';
import { genesisStartOfDoc, genesisStartOfRequest } from './genesisStart.ts';

describe('genesisStartOfDoc', () => {
  it('reads chain_id, initial_height and genesis_time as InitChain gets them', () => {
    const doc = { chain_id: 'ain-1', initial_height: '1000', genesis_time: '2030-01-01T00:00:00.999999999Z' };
    const start = { chainId: 'ain-1', height: 1000n, blockTimeSeconds: 1_893_456_000n };
    expect(genesisStartOfDoc(doc)).toEqual(start);
    // CometBFT sends the time as a protobuf Timestamp (seconds, nanos): its seconds are the same.
    const request = RequestInitChain.fromPartial({
      chainId: 'ain-1',
      initialHeight: 1000n,
      time: { seconds: 1_893_456_000n, nanos: 999_999_999 },
    });
    expect(genesisStartOfRequest(request)).toEqual(start);
    // An offset is the same instant in UTC; 0 or no initial_height starts at 1, as in CometBFT.
    expect(genesisStartOfDoc({ ...doc, genesis_time: '2030-01-01T02:00:00+02:00', initial_height: '0' })).toEqual({ ...start, height: 1n });
    expect(genesisStartOfDoc({ chain_id: 'ain-1', genesis_time: '1969-12-31T23:59:59.5Z' })).toEqual({
      chainId: 'ain-1',
      height: 1n,
      blockTimeSeconds: -1n,
    });
  });

  it('refuses what CometBFT would not start, naming the field', () => {
    const doc = { chain_id: 'ain-1', initial_height: '1', genesis_time: '2030-01-01T00:00:00Z' };
    expect(refusalOf(() => genesisStartOfDoc({ ...doc, initial_height: '9223372036854775808' }))).toMatch(
      /^sdk\/18 genesis initial_height "9223372036854775808" must be a whole number from 0 to 9223372036854775807/,
    );
    expect(refusalOf(() => genesisStartOfDoc({ ...doc, initial_height: 1000 }))).toMatch(/^sdk\/18 genesis initial_height 1000 must be/);
    expect(refusalOf(() => genesisStartOfDoc({ ...doc, genesis_time: '2030-01-01' }))).toMatch(
      /^sdk\/18 genesis genesis_time "2030-01-01" must be an RFC 3339 time/,
    );
    expect(refusalOf(() => genesisStartOfDoc({ ...doc, chain_id: undefined }))).toMatch(
      /^sdk\/28 genesis chain_id must be a non-empty string/,
    );
  });
});
