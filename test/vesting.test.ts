/**
 * Vesting accounts on a real node (issue 18, item 5): CosmJS `getAccount` decodes a continuous and a
 * delayed vesting account (the SDK types over ABCI query), `getBalance` shows the whole balance, the
 * spendable balances query (ABCI and REST) answers balance minus what is locked at the block time of
 * the height read, and a send of locked coins is refused with the spendable amount.
 */
import { QuerySpendableBalancesRequest, QuerySpendableBalancesResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { StargateClient } from '@cosmjs/stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { afterAll, describe, expect, it } from 'vitest';
import { queryAccount, queryModuleAccounts } from '../cmd/query/handler.ts';
import { govAuthority } from '../core/index.ts';
import { baseOfGenesisAccount, genesisVestingAccount } from '../modules/auth/index.ts';
import { fundedClient, startTestNode, type TestNode } from './helpers/node.ts';

const BALANCE = 1_000_000_000_000n;
const ORIGINAL = 600_000_000_000n;
/** 2020-01-01 to 2100-01-01: about a fifth vested today, a little more every block. */
const START = 1_577_836_800n;
const END = 4_102_444_800n;

describe('vesting accounts on a real node', () => {
  let node: TestNode | undefined;
  afterAll(async () => node?.stop());

  it('CosmJS decodes vesting accounts, balances are whole and spendable balances exclude locked coins', async () => {
    let continuous = '';
    let delayed = '';
    node = await startTestNode({
      accounts: 3,
      appState: (state) => {
        [continuous, delayed] = [state.auth.accounts[0]!, state.auth.accounts[1]!].map((a) => baseOfGenesisAccount(a).address) as [
          string,
          string,
        ];
        const accounts = state.auth.accounts.map((entry) => {
          const { address } = baseOfGenesisAccount(entry);
          if (address === continuous) return genesisVestingAccount(address, [{ denom: 'uain', amount: ORIGINAL }], END, START);
          if (address === delayed) return genesisVestingAccount(address, [{ denom: 'uain', amount: ORIGINAL }], END);
          return entry;
        });
        return { ...state, auth: { ...state.auth, accounts } };
      },
    });
    expect(continuous).toBe(node.accounts[0]!.address);
    const reader = await StargateClient.connect(node.rpcUrl);
    const decoded = await reader.getAccount(continuous);
    expect(decoded?.address).toBe(continuous);
    expect((await reader.getAccount(delayed))?.address).toBe(delayed);
    expect(await reader.getBalance(continuous, 'uain')).toEqual({ denom: 'uain', amount: BALANCE.toString() });
    // `aind query auth account` prints it as the SDK does, schedule included (it refused anything but a BaseAccount).
    expect(await queryAccount(node.rpcUrl, continuous)).toMatchObject({
      account: {
        '@type': '/cosmos.vesting.v1beta1.ContinuousVestingAccount',
        base_vesting_account: {
          base_account: { address: continuous },
          original_vesting: [{ denom: 'uain', amount: String(ORIGINAL) }],
          end_time: String(END),
        },
        start_time: String(START),
      },
    });
    expect(await queryModuleAccounts(node.rpcUrl, 'gov')).toMatchObject({
      account: { name: 'gov', base_account: { address: govAuthority() } },
    });

    // Spendable at the height read, from the block time of that height.
    const comet = await Comet38Client.connect(node.rpcUrl);
    const spendableAt = async (address: string): Promise<{ amount: bigint; time: bigint }> => {
      const response = await comet.abciQuery({
        path: '/cosmos.bank.v1beta1.Query/SpendableBalances',
        data: QuerySpendableBalancesRequest.encode({ address }).finish(),
      });
      expect(response.code).toBe(0);
      const block = await comet.block(response.height);
      const time = BigInt(Math.floor(block.block.header.time.getTime() / 1000));
      const balances = QuerySpendableBalancesResponse.decode(response.value).balances;
      return { amount: BigInt(balances.find((c) => c.denom === 'uain')?.amount ?? '0'), time };
    };
    const seen = await spendableAt(continuous);
    const locked = ORIGINAL - (ORIGINAL * (seen.time - START)) / (END - START);
    expect(seen.amount).toBe(BALANCE - locked);
    expect((await spendableAt(delayed)).amount).toBe(BALANCE - ORIGINAL);
    comet.disconnect();

    // The REST route wallets call answers the same figure for the delayed account (no time dependence).
    const rest = (await (await fetch(`${node.apiUrl}/cosmos/bank/v1beta1/spendable_balances/${delayed}`)).json()) as {
      balances: Array<{ denom: string; amount: string }>;
    };
    expect(rest.balances).toEqual([{ denom: 'uain', amount: (BALANCE - ORIGINAL).toString() }]);
    const account = (await (await fetch(`${node.apiUrl}/cosmos/auth/v1beta1/accounts/${continuous}`)).json()) as {
      account: { '@type': string; start_time: string; base_vesting_account: { original_vesting: unknown; end_time: string } };
    };
    expect(account.account['@type']).toBe('/cosmos.vesting.v1beta1.ContinuousVestingAccount');
    expect(account.account.start_time).toBe(START.toString());
    expect(account.account.base_vesting_account.original_vesting).toEqual([{ denom: 'uain', amount: ORIGINAL.toString() }]);

    // A send of locked coins is refused, naming the spendable amount.
    const { client } = await fundedClient(node, 1);
    await expect(
      client.sendTokens(delayed, node.accounts[2]!.address, [{ denom: 'uain', amount: (BALANCE - ORIGINAL).toString() }], 'auto'),
    ).rejects.toThrow(/spendable balance \d+uain \(balance \d+uain, 600000000000uain still vesting\) is smaller than/);
    const sent = await client.sendTokens(delayed, node.accounts[2]!.address, [{ denom: 'uain', amount: '1000000' }], 'auto');
    expect(sent.code).toBe(0);
    client.disconnect();
    reader.disconnect();
  });
});
