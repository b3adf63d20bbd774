/** The compute leaves InitChain takes from an exported genesis: the epoch record's optional `restart`. */
import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../core/index.ts';
import { checkComputeLeaves } from './genesisLeaves.ts';

const record = (extra: object = {}) =>
  encodeRecord({
    average: '0',
    burned: '0',
    lastBurned: '0',
    lastMinted: '0',
    lastUnits: '0',
    minted: '0',
    number: '2',
    units: '0',
    ...extra,
  });

describe('compute genesis leaves', () => {
  it('take an epoch record with no restart, or one pending ("partial", "seed")', () => {
    expect(() => checkComputeLeaves({ '/compute/epoch': record() })).not.toThrow();
    expect(() => checkComputeLeaves({ '/compute/epoch': record({ restart: 'partial' }) })).not.toThrow();
    expect(() => checkComputeLeaves({ '/compute/epoch': record({ restart: 'seed' }) })).not.toThrow();
  });

  it('refuse another restart value, naming the leaf and the field', () => {
    for (const restart of ['full', '', null, 1])
      expect(() => checkComputeLeaves({ '/compute/epoch': record({ restart }) }), String(restart)).toThrow(
        /genesis compute\.leaves\["\/compute\/epoch"\].*restart/,
      );
    expect(() => checkComputeLeaves({ '/compute/epoch': record({ restarts: 'seed' }) })).toThrow(/restarts/);
  });
});
