/**
 * The list queries and the read-only queries wallets and explorers call, on the app in process: the
 * accounts paged both ways with the SDK's `PageRequest`, balances and supply paged, the genesis denom
 * metadata (`uain` shown as AIN, exponent 6), bank params, the legacy x/params query over every
 * module's params, and the upgrade module's "no plan".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountsRequest, QueryAccountsResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
  QueryParamsResponse as BankParamsResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import type { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { QueryParamsRequest, QueryParamsResponse, QuerySubspacesResponse } from 'cosmjs-types/cosmos/params/v1beta1/query';
import { QueryAppliedPlanRequest, QueryAppliedPlanResponse, QueryCurrentPlanResponse } from 'cosmjs-types/cosmos/upgrade/v1beta1/query';
import { RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKey } from '../test/helpers/tx.ts';
import { openCommittedState, type CommittedState } from '../tree/lmdb/index.ts';
import { AinApplication } from './application.ts';
import { addGenesisAccount, defaultAppState } from './genesis.ts';

const ACCOUNTS = 30;
const keys = Array.from({ length: ACCOUNTS }, (_, i) => testKey(`list-${i}`));
const page = (fields: Partial<PageRequest>): PageRequest => ({
  key: new Uint8Array(),
  offset: 0n,
  limit: 0n,
  countTotal: false,
  reverse: false,
  ...fields,
});

let dir: string;
let store: CommittedState;
let app: AinApplication;

function query(path: string, data: Uint8Array): Uint8Array {
  const response = app.query({ path, data, height: 0n, prove: false });
  if (response.code !== 0) throw new Error(`${path}: ${response.codespace}/${response.code} ${response.log}`);
  return response.value;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ain-list-'));
  store = openCommittedState(join(dir, 'app.lmdb'));
  app = new AinApplication(store);
  let state = defaultAppState();
  keys.forEach((key, i) => {
    const coins =
      i === 0 ? [{ denom: 'uain', amount: 1000n }, ...['a', 'b', 'c', 'd', 'e'].map((d) => ({ denom: `u${d}x`, amount: 1n }))] : [];
    state = addGenesisAccount(state, key.address, i === 0 ? coins : [{ denom: 'uain', amount: BigInt(i + 1) }]);
  });
  app.initChain(
    RequestInitChain.fromPartial({ chainId: 'ain-list-1', initialHeight: 1n, appStateBytes: Buffer.from(JSON.stringify(state)) }),
  );
  app.finalizeBlock(RequestFinalizeBlock.fromPartial({ height: 1n, time: { seconds: 1_700_000_000n, nanos: 0 } }));
  app.commit();
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('list queries page as the SDK pages them', () => {
  const accountsPage = (request: PageRequest) => {
    const response = QueryAccountsResponse.decode(
      query('/cosmos.auth.v1beta1.Query/Accounts', QueryAccountsRequest.encode({ pagination: request }).finish()),
    );
    return { items: response.accounts.map((any) => BaseAccount.decode(any.value).address), pagination: response.pagination! };
  };

  it('Accounts: every account once, by next_key forwards and backwards, and by offset with the total', () => {
    const walk = (reverse: boolean) => {
      const seen: string[] = [];
      let key: Uint8Array = new Uint8Array();
      do {
        const { items, pagination } = accountsPage(page({ key, limit: 7n, reverse }));
        expect(items.length).toBeLessThanOrEqual(7);
        seen.push(...items);
        key = pagination.nextKey;
      } while (key.length > 0);
      return seen;
    };
    const forwards = walk(false);
    // The genesis accounts, and the module accounts the first block paid (fee_collector, distribution).
    expect(forwards).toEqual(expect.arrayContaining(keys.map((k) => k.address)));
    expect(new Set(forwards).size).toBe(forwards.length);
    expect(forwards).toEqual([...forwards].sort());
    expect(walk(true)).toEqual([...forwards].reverse());
    const counted = accountsPage(page({ offset: 28n, limit: 5n, countTotal: true }));
    expect(counted.items).toEqual(forwards.slice(28, 33));
    expect(counted.pagination.total).toBe(BigInt(forwards.length));
    expect(accountsPage(page({})).pagination.total).toBe(BigInt(forwards.length));
  });

  it('AllBalances and TotalSupply: denom order, a page at a time', () => {
    const balances = QueryAllBalancesResponse.decode(
      query(
        '/cosmos.bank.v1beta1.Query/AllBalances',
        QueryAllBalancesRequest.encode({ address: keys[0]!.address, pagination: page({ limit: 4n }), resolveDenom: false }).finish(),
      ),
    );
    expect(balances.balances.map((c) => c.denom)).toEqual(['uain', 'uax', 'ubx', 'ucx']);
    expect(new TextDecoder().decode(balances.pagination!.nextKey)).toBe('udx');
    const supply = QueryTotalSupplyResponse.decode(
      query(
        '/cosmos.bank.v1beta1.Query/TotalSupply',
        QueryTotalSupplyRequest.encode({ pagination: page({ offset: 5n, countTotal: true, limit: 5n }) }).finish(),
      ),
    );
    expect(supply.supply).toEqual([{ denom: 'uex', amount: '1' }]);
    expect(supply.pagination!.total).toBe(6n);
  });
});

describe('denom metadata, bank params, legacy params, upgrade', () => {
  it('the default genesis shows uain as AIN with 6 decimals', () => {
    const all = QueryDenomsMetadataResponse.decode(
      query('/cosmos.bank.v1beta1.Query/DenomsMetadata', QueryDenomsMetadataRequest.encode({}).finish()),
    );
    expect(all.metadatas).toHaveLength(1);
    const one = QueryDenomMetadataResponse.decode(
      query('/cosmos.bank.v1beta1.Query/DenomMetadata', QueryDenomMetadataRequest.encode({ denom: 'uain' }).finish()),
    );
    expect(one.metadata).toMatchObject({ base: 'uain', display: 'ain', symbol: 'AIN', name: 'AI Network' });
    expect(one.metadata!.denomUnits.map((u) => [u.denom, u.exponent])).toEqual([
      ['uain', 0],
      ['ain', 6],
    ]);
    const missing = app.query({
      path: '/cosmos.bank.v1beta1.Query/DenomMetadata',
      data: QueryDenomMetadataRequest.encode({ denom: 'ufoo' }).finish(),
      height: 0n,
      prove: false,
    });
    expect(missing.log).toMatch(/code = NotFound/);
    expect(BankParamsResponse.decode(query('/cosmos.bank.v1beta1.Query/Params', new Uint8Array())).params).toEqual({
      sendEnabled: [],
      defaultSendEnabled: true,
    });
  });

  it('legacy params: a module param by its SDK key or its genesis name; unknown subspaces refused', () => {
    const param = (subspace: string, key: string) =>
      QueryParamsResponse.decode(query('/cosmos.params.v1beta1.Query/Params', QueryParamsRequest.encode({ subspace, key }).finish()))
        .param!;
    expect(param('staking', 'BondDenom')).toEqual({ subspace: 'staking', key: 'BondDenom', value: '"uain"' });
    expect(param('staking', 'max_validators').value).toBe(param('staking', 'MaxValidators').value);
    expect(param('staking', 'NoSuchKey').value).toBe('');
    const unknown = app.query({
      path: '/cosmos.params.v1beta1.Query/Params',
      data: QueryParamsRequest.encode({ subspace: 'nope', key: 'x' }).finish(),
      height: 0n,
      prove: false,
    });
    expect(unknown.log).toMatch(/unknown subspace: nope/);
    const subspaces = QuerySubspacesResponse.decode(query('/cosmos.params.v1beta1.Query/Subspaces', new Uint8Array())).subspaces;
    expect(subspaces.find((s) => s.subspace === 'distribution')!.keys).toContain('BlocksPerYear');
  });

  it('upgrade: no plan, nothing applied', () => {
    expect(QueryCurrentPlanResponse.decode(query('/cosmos.upgrade.v1beta1.Query/CurrentPlan', new Uint8Array())).plan).toBeUndefined();
    expect(
      QueryAppliedPlanResponse.decode(
        query('/cosmos.upgrade.v1beta1.Query/AppliedPlan', QueryAppliedPlanRequest.encode({ name: 'v2' }).finish()),
      ).height,
    ).toBe(0n);
  });
});
