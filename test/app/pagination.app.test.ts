/**
 * List queries page past their scan bound through the whole app: a supply of 1,201 denoms (more than
 * the 1,000 leaves a bank page reads) lists every denom by next_key, at the latest height and at an
 * older one, forwards and in reverse, by offset, with the total of every denom. Before, the denoms
 * after the first 1,000 leaves were reachable by no page (reverse and offset pages, and the total,
 * saw only the first 1,000).
 */
import { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { afterEach, describe, expect, it } from 'vitest';
import { addGenesisAccount } from '../../app/genesis.ts';
import { MAX_DENOMS_LISTED } from '../../modules/bank/keeper.ts';
import { testKey } from '../helpers/tx.ts';
import { DENOM, PosHarness } from './posHarness.fixture.ts';

const EXTRA_DENOMS = Array.from({ length: 1_200 }, (_, i) => `d${String(i).padStart(4, '0')}`);

let harness: PosHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Every coin of a paged query, following next_key with pages of `limit`. */
function walk(
  query: (pagination: PageRequest) => { coins: Array<{ denom: string }>; nextKey: Uint8Array },
  limit: bigint,
  reverse = false,
): { denoms: string[]; pages: number } {
  const denoms: string[] = [];
  let key: Uint8Array = new Uint8Array();
  for (let pages = 1; pages <= 100; pages++) {
    const { coins, nextKey } = query(PageRequest.fromPartial({ key, limit, reverse }));
    denoms.push(...coins.map((c) => c.denom));
    if (nextKey.length === 0) return { denoms, pages };
    key = nextKey;
  }
  throw new Error('no last page');
}

describe('list queries past their scan bound', () => {
  it('TotalSupply reaches all 1,201 denoms by next_key, at the latest and an older height', () => {
    expect(EXTRA_DENOMS.length + 1).toBeGreaterThan(MAX_DENOMS_LISTED);
    const h = PosHarness.open({
      stakes: [100_000_000_000n],
      // A genesis balance holds at most 64 coins: 20 holders of 60 denoms each.
      patchGenesis: (state) =>
        Array.from({ length: 20 }, (_, i) => i).reduce(
          (s, i) =>
            addGenesisAccount(
              s,
              testKey(`holder-${i}`).address,
              EXTRA_DENOMS.slice(i * 60, i * 60 + 60).map((denom) => ({ denom, amount: 7n })),
            ),
          state,
        ),
    });
    harness = h;
    h.finalize();
    h.finalize();
    const supply = (height: bigint) => (pagination: PageRequest) => {
      const response = h.query(
        '/cosmos.bank.v1beta1.Query/TotalSupply',
        QueryTotalSupplyRequest.encode({ pagination }).finish(),
        QueryTotalSupplyResponse,
        height,
      );
      return { coins: response.supply, nextKey: response.pagination!.nextKey, total: response.pagination!.total };
    };
    const expected = [...EXTRA_DENOMS, DENOM];
    expect(walk(supply(0n), 500n)).toEqual({ denoms: expected, pages: 3 });
    expect(walk(supply(1n), 1_000n)).toEqual({ denoms: expected, pages: 2 });
    // Backwards by next_key, from the end and from a key, at both heights.
    expect(walk(supply(0n), 500n, true)).toEqual({ denoms: [...expected].reverse(), pages: 3 });
    expect(walk(supply(1n), 1_000n, true)).toEqual({ denoms: [...expected].reverse(), pages: 2 });
    const back = supply(1n)(PageRequest.fromPartial({ key: new TextEncoder().encode('d0100'), limit: 3n, reverse: true }));
    expect(back.coins.map((c) => c.denom)).toEqual(['d0100', 'd0099', 'd0098']);
    expect(new TextDecoder().decode(back.nextKey)).toBe('d0097');
    // By offset past the first 1,000 denoms, both ways, with the total of all 1,201.
    for (const height of [0n, 1n]) {
      const ahead = supply(height)(PageRequest.fromPartial({ offset: 1_150n, limit: 5n, countTotal: true }));
      expect(ahead.coins.map((c) => c.denom)).toEqual(expected.slice(1_150, 1_155));
      expect(ahead.total).toBe(1_201n);
      const behind = supply(height)(PageRequest.fromPartial({ offset: 1_150n, limit: 5n, reverse: true }));
      expect(behind.coins.map((c) => c.denom)).toEqual(expected.slice(46, 51).reverse());
    }
    // A holder's balances page as before.
    const balances = h.query(
      '/cosmos.bank.v1beta1.Query/AllBalances',
      QueryAllBalancesRequest.encode({ address: testKey('holder-3').address, resolveDenom: false }).finish(),
      QueryAllBalancesResponse,
    );
    expect(balances.balances.map((c) => c.denom)).toEqual(EXTRA_DENOMS.slice(180, 240));
    expect(balances.pagination!.total).toBe(60n);
  });
});
