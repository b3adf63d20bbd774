/**
 * Proof of stake on a real single-node chain (CometBFT + the app), driven with CosmJS as a wallet
 * would: the genesis validator made by `aind genesis add-validator`'s code, a new account delegating
 * with `delegateTokens`, rewards withdrawn with `withdrawRewards` matching DelegationRewards exactly,
 * an undelegation in the unbonding queue, and CometBFT's own /validators showing the new power two
 * heights after the delegation. Also the CLI's queries and the REST routes a staking page calls.
 */
import { Secp256k1HdWallet } from '@cosmjs/amino';
import { stringToPath } from '@cosmjs/crypto';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import {
  type DistributionExtension,
  GasPrice,
  QueryClient,
  setupDistributionExtension,
  setupMintExtension,
  setupSlashingExtension,
  setupStakingExtension,
  SigningStargateClient,
  type StakingExtension,
} from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import {
  QueryBalanceRequest,
  QueryBalanceResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { QueryInflationResponse } from 'cosmjs-types/cosmos/mint/v1beta1/query';
import { QueryDelegationRewardsRequest, QueryDelegationRewardsResponse } from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import { PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDistribution, querySlashing, queryStaking } from '../cmd/query/staking/handler.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { consAddressBech32, consAddressHex } from '../modules/staking/address.ts';
import { appHeight } from '../client/index.ts';
import { fundedClient, startTestNode, type TestNode } from './helpers/node.ts';
import { testKey } from './helpers/tx.ts';

const E18 = 10n ** 18n;
const DELEGATED = 7_000_000n;

let node: TestNode;
let comet: CometClient;
let query: QueryClient & StakingExtension & DistributionExtension & ReturnType<typeof setupSlashingExtension>;

beforeAll(async () => {
  node = await startTestNode({ accounts: 1 });
  comet = await connectComet(node.rpcUrl);
  query = QueryClient.withExtensions(comet, setupStakingExtension, setupDistributionExtension, setupSlashingExtension);
});

afterAll(async () => {
  comet?.disconnect();
  await node?.stop();
});

/** Decodes an ABCI query at `height` (CosmJS's extensions read the latest only). */
async function queryAt<T>(path: string, request: Uint8Array, codec: { decode(bytes: Uint8Array): T }, height: number): Promise<T> {
  const response = await query.queryAbci(path, request, height);
  expect(response.height).toBe(height);
  return codec.decode(response.value);
}

async function cometPower(height: number): Promise<bigint> {
  const { validators } = await comet.validators({ height });
  expect(validators).toHaveLength(1);
  return validators[0]!.votingPower;
}

describe('staking on a real chain', () => {
  it('serves the genesis validator as CosmJS and the CLI read it, with CometBFT running on its key', async () => {
    const { validators } = await query.staking.validators('BOND_STATUS_BONDED');
    expect(validators.map((v) => [v.operatorAddress, v.tokens, v.jailed])).toEqual([
      [node.validator.operatorAddress, String(node.validator.stake), false],
    ]);
    const key = PubKey.decode(validators[0]!.consensusPubkey!.value).key;
    const [cometValidator] = (await comet.validators({})).validators;
    expect(Buffer.from(cometValidator!.address).toString('hex')).toBe(consAddressHex(key));
    expect(cometValidator!.votingPower).toBe(node.validator.stake / 1_000_000n);

    const info = await query.slashing.signingInfo(consAddressBech32(consAddressHex(key)));
    expect(info.valSigningInfo.tombstoned).toBe(false);
    const cli = (await queryStaking(node.rpcUrl, 'validators', [], 'bonded')) as {
      validators: { operator_address: string; commission: { commission_rates: { rate: string } } }[];
    };
    expect(cli.validators.map((v) => [v.operator_address, v.commission.commission_rates.rate])).toEqual([
      [node.validator.operatorAddress, '0.100000000000000000'],
    ]);
    const signing = (await querySlashing(node.rpcUrl, 'signing-info', [node.validator.operatorAddress])) as {
      val_signing_info: { address: string };
    };
    expect(signing.val_signing_info.address).toBe(consAddressBech32(consAddressHex(key)));
  });

  it('lets a new account delegate, earn, withdraw exactly what was reported, and undelegate', async () => {
    const valoper = node.validator.operatorAddress;
    // A new account, funded by a genesis account.
    const { client: funder, address: funderAddress } = await fundedClient(node, 0);
    const fresh = testKey('staking-newcomer');
    const wallet = await DirectSecp256k1Wallet.fromKey(fresh.privkey, ADDRESS_PREFIX);
    const client = await SigningStargateClient.connectWithSigner(node.rpcUrl, wallet, {
      gasPrice: GasPrice.fromString('0.025uain'),
      broadcastPollIntervalMs: 200,
    });
    try {
      await funder.sendTokens(funderAddress, fresh.address, [{ denom: 'uain', amount: '20000000' }], 'auto');
      const powerBefore = node.validator.stake / 1_000_000n;

      const delegated = await client.delegateTokens(fresh.address, valoper, { denom: 'uain', amount: DELEGATED.toString() }, 'auto');
      expect(delegated.code).toBe(0);
      const h = delegated.height;
      const delegation = await query.staking.delegation(fresh.address, valoper);
      expect(delegation.delegationResponse?.balance).toEqual({ denom: 'uain', amount: DELEGATED.toString() });
      // The update returned at height h applies at h + 2.
      await node.waitForHeight(h + 2);
      expect(await cometPower(h + 1)).toBe(powerBefore);
      expect(await cometPower(h + 2)).toBe(powerBefore + DELEGATED / 1_000_000n);

      // Rewards accrue every block (the genesis block reward); withdraw pays what the state before it reported.
      await node.waitForHeight(h + 4);
      const reported = await query.distribution.delegationRewards(fresh.address, valoper);
      expect(BigInt(reported.rewards[0]?.amount ?? '0')).toBeGreaterThan(0n);
      const withdrawn = await client.withdrawRewards(fresh.address, valoper, 'auto');
      expect(withdrawn.code).toBe(0);
      const w = withdrawn.height;
      const before = await queryAt(
        '/cosmos.distribution.v1beta1.Query/DelegationRewards',
        QueryDelegationRewardsRequest.encode({ delegatorAddress: fresh.address, validatorAddress: valoper }).finish(),
        QueryDelegationRewardsResponse,
        w - 1,
      );
      const paid = BigInt(before.rewards.find((c) => c.denom === 'uain')!.amount) / E18;
      expect(paid).toBeGreaterThan(0n);
      const event = withdrawn.events.find((e) => e.type === 'withdraw_rewards');
      expect(event?.attributes.find((a) => a.key === 'amount')?.value).toBe(`${paid}uain`);
      const balance = async (height: number) =>
        BigInt(
          (
            await queryAt(
              '/cosmos.bank.v1beta1.Query/Balance',
              QueryBalanceRequest.encode({ address: fresh.address, denom: 'uain' }).finish(),
              QueryBalanceResponse,
              height,
            )
          ).balance!.amount,
        );
      // CosmJS's fee: gas limit x 0.025, rounded up.
      const fee = (BigInt(withdrawn.gasWanted) * 25n + 999n) / 1000n;
      expect((await balance(w)) - (await balance(w - 1))).toBe(paid - fee);

      // Undelegate: the tokens wait in an unbonding entry.
      const undelegated = await client.undelegateTokens(fresh.address, valoper, { denom: 'uain', amount: '2000000' }, 'auto');
      expect(undelegated.code).toBe(0);
      const unbonding = await query.staking.unbondingDelegation(fresh.address, valoper);
      expect(unbonding.unbond.entries.map((e) => [e.balance, e.creationHeight])).toEqual([['2000000', BigInt(undelegated.height)]]);
      const all = await query.staking.delegatorUnbondingDelegations(fresh.address);
      expect(all.unbondingResponses.map((u) => u.validatorAddress)).toEqual([valoper]);
      expect((await query.staking.delegation(fresh.address, valoper)).delegationResponse?.balance.amount).toBe(
        String(DELEGATED - 2_000_000n),
      );

      // The same through the CLI and the REST routes a staking page calls.
      const cliRewards = (await queryDistribution(node.rpcUrl, 'rewards', [fresh.address])) as { rewards: { validator_address: string }[] };
      expect(cliRewards.rewards.map((r) => r.validator_address)).toEqual([valoper]);
      const rest = (await (await fetch(`${node.apiUrl}/cosmos/staking/v1beta1/delegations/${fresh.address}`)).json()) as {
        delegation_responses: { balance: unknown; delegation: { shares: string } }[];
      };
      expect(rest.delegation_responses[0]!.balance).toEqual({ denom: 'uain', amount: String(DELEGATED - 2_000_000n) });
      expect(rest.delegation_responses[0]!.delegation.shares).toBe(`${DELEGATED - 2_000_000n}.000000000000000000`);
      const restRewards = (await (
        await fetch(`${node.apiUrl}/cosmos/distribution/v1beta1/delegators/${fresh.address}/rewards`)
      ).json()) as {
        total: { denom: string; amount: string }[];
      };
      expect(restRewards.total[0]!.denom).toBe('uain');
      expect(restRewards.total[0]!.amount).toMatch(/^[0-9]+\.[0-9]{18}$/);
    } finally {
      client.disconnect();
      funder.disconnect();
    }
  });
  it('answers the mint queries a staking page reads for its APR, from the fixed block reward', async () => {
    const mint = QueryClient.withExtensions(comet, setupMintExtension).mint;
    const height = await appHeight(node.rpcUrl);
    const supplyAt = await queryAt(
      '/cosmos.bank.v1beta1.Query/SupplyOf',
      QuerySupplyOfRequest.encode({ denom: 'uain' }).finish(),
      QuerySupplyOfResponse,
      height,
    );
    const supply = BigInt(supplyAt.amount!.amount);
    const annual = 1_000_000n * 6_311_520n; // block_reward x blocks_per_year (defaults)
    const inflationAt = await queryAt('/cosmos.mint.v1beta1.Query/Inflation', new Uint8Array(), QueryInflationResponse, height);
    expect(new TextDecoder().decode(inflationAt.inflation)).toBe(((annual * E18) / supply).toString());
    expect((await mint.annualProvisions()).toString()).toBe(annual.toString());
    const params = await mint.params();
    expect([params.mintDenom, params.blocksPerYear]).toEqual(['uain', 6_311_520n]);
    const rest = (await (await fetch(`${node.apiUrl}/cosmos/mint/v1beta1/inflation`)).json()) as { inflation: string };
    expect(rest.inflation).toMatch(/^[0-9]+\.[0-9]{18}$/);
    expect(Number(rest.inflation)).toBeGreaterThan(0);
  });
  it('takes SIGN_MODE_LEGACY_AMINO_JSON from an amino-only wallet (a Ledger, Keplr signAmino) for sends and staking', async () => {
    const wallet = await Secp256k1HdWallet.fromMnemonic(node.accounts[0]!.mnemonic, {
      prefix: ADDRESS_PREFIX,
      hdPaths: [stringToPath("m/44'/412'/0'/0/0")],
    });
    const address = (await wallet.getAccounts())[0]!.address;
    expect(address).toBe(node.accounts[0]!.address);
    const client = await SigningStargateClient.connectWithSigner(node.rpcUrl, wallet, { gasPrice: GasPrice.fromString('0.025uain') });
    try {
      const to = testKey('amino-recipient').address;
      const sent = await client.sendTokens(address, to, [{ denom: 'uain', amount: '1234' }], 'auto', 'signed with amino JSON');
      expect([sent.code, sent.rawLog]).toEqual([0, '']);
      expect((await client.getBalance(to, 'uain')).amount).toBe('1234');
      const valoper = node.validator.operatorAddress;
      const before = BigInt(
        (await query.staking.delegation(address, valoper).catch(() => undefined))?.delegationResponse?.balance.amount ?? '0',
      );
      const delegated = await client.delegateTokens(address, valoper, { denom: 'uain', amount: '1000000' }, 'auto');
      expect(delegated.code).toBe(0);
      const after = await query.staking.delegation(address, valoper);
      expect(BigInt(after.delegationResponse!.balance.amount)).toBe(before + 1_000_000n);
      // A wrong chain id in the signed document fails verification as a direct signature would.
      const tampered = await SigningStargateClient.offline(wallet);
      const signed = await tampered.sign(
        address,
        [
          {
            typeUrl: '/cosmos.bank.v1beta1.MsgSend',
            value: { fromAddress: address, toAddress: to, amount: [{ denom: 'uain', amount: '1' }] },
          },
        ],
        { amount: [{ denom: 'uain', amount: '5000' }], gas: '200000' },
        '',
        {
          accountNumber: (await client.getAccount(address))!.accountNumber,
          sequence: (await client.getSequence(address)).sequence,
          chainId: 'other-chain',
        },
      );
      const refused = await comet.broadcastTxSync({ tx: TxRaw.encode(signed).finish() });
      expect([refused.codespace, refused.code]).toEqual(['sdk', 4]);
    } finally {
      client.disconnect();
    }
  });
});
