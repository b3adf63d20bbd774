/** The compute leaves InitChain takes from an exported genesis: the epoch record's optional `restart` and its minted and burned totals. */
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

  it('take totals as epoch ends leave them: a mint or a burn last, totals from epoch 3, after a turn-off', () => {
    const ok = [
      { number: '3', minted: '500', lastMinted: '500' },
      { number: '9', minted: '500', burned: '40', lastBurned: '40' },
      { number: '9', minted: '500', burned: '40', restart: 'partial', lastMinted: '100' },
      { number: '9', minted: '500', burned: '40', restart: 'seed' },
      // Turned off: the number and the totals only.
      { number: '7', minted: '500', burned: '40' },
    ];
    for (const extra of ok) expect(() => checkComputeLeaves({ '/compute/epoch': record(extra) }), JSON.stringify(extra)).not.toThrow();
  });

  it('refuse totals no epoch end leaves, naming the leaf, the figures and what was expected', () => {
    const at = '^genesis compute\\.leaves\\["/compute/epoch"\\] ';
    const cases: Array<[object, string]> = [
      [{ number: '5', minted: '100', lastMinted: '101' }, "has lastMinted 101 above minted 100; the total includes the last epoch's mint"],
      [{ number: '5', burned: '7', lastBurned: '8' }, "has lastBurned 8 above burned 7; the total includes the last epoch's burn"],
      [
        { number: '5', minted: '10', burned: '10', lastMinted: '10', lastBurned: '10' },
        'has lastMinted 10 and lastBurned 10; an epoch mints or burns, expected one of them 0',
      ],
      [
        { number: '5', minted: '10', lastMinted: '10', restart: 'seed' },
        'has restart "seed" with lastMinted 10 and lastBurned 0; the partial epoch that ended before a seed mints and burns nothing, expected both 0',
      ],
      [
        { number: '2', burned: '1' },
        'has number 2 with minted 0 and burned 1; before epoch 3 only the first epoch has ended, and it only seeds the average: expected both 0',
      ],
      [{ number: '1', minted: '1' }, 'has number 1 with minted 1 and burned 0;'],
    ];
    for (const [extra, message] of cases) {
      const escaped = message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(() => checkComputeLeaves({ '/compute/epoch': record(extra) }), message).toThrow(new RegExp(at + escaped));
    }
  });
});
