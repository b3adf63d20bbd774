/**
 * End-to-end proof of stake (issue 6) on a 4-validator localnet, through CosmJS and CometBFT's RPC:
 * a fifth node becomes a validator with MsgCreateValidator and signs blocks; undelegating its whole
 * stake takes it out of CometBFT's set; a delegator's withdrawn rewards equal the distribution
 * formula recomputed here from block data to the last uain; a validator that stops signing is slashed
 * and jailed, then unjailed; a validator key run on two nodes is caught double-signing, slashed,
 * jailed and tombstoned. Small slashing window and short unbonding and jail times come from the
 * localnet's `genesisPatch`. (Blocks continuing with a validator down, and a restart catching up, are
 * test/localnet.test.ts's.)
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64, toHex } from '@cosmjs/encoding';
import { decodeTxRaw, DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import {
  type DeliverTxResponse,
  type DistributionExtension,
  GasPrice,
  QueryClient,
  SigningStargateClient,
  setupDistributionExtension,
  setupSlashingExtension,
  setupStakingExtension,
  type StakingExtension,
} from '@cosmjs/stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import {
  QueryDelegationRewardsRequest,
  QueryDelegationRewardsResponse,
  QueryValidatorCommissionRequest,
  QueryValidatorCommissionResponse,
} from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import { BondStatus } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppState } from '../app/index.ts';
import { ainRegistry, appHeight } from '../client/index.ts';
import { getKey, homePaths, keySigner, privValidatorPubkey } from '../home/index.ts';
import {
  createLocalnet,
  FAUCET_KEY,
  type Localnet,
  type LocalnetNode,
  startLocalnet,
  VALIDATOR_KEY,
  VALIDATOR_STAKE,
} from '../localnet/index.ts';
import { posTxMessages } from '../cmd/tx/staking/handler.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { parseCoins } from '../core/coins.ts';
import { consAddressBech32, consAddressHex, toValoper } from '../modules/staking/address.ts';
import { POWER_REDUCTION } from '../modules/staking/params.ts';
import { commitSigners } from './helpers/node.ts';
import { until } from './helpers/poll.ts';
import { testKey } from './helpers/tx.ts';

const KEEP = process.env.AIN_TEST_KEEP_HOME === '1';
const E18 = 10n ** 18n;
const DENOM = 'uain';

// Genesis overrides (the localnet's `genesisPatch`); the reward formula below uses these figures.
const COMMUNITY_TAX = 30_000_000_000_000_000n; // 0.03
const BLOCK_REWARD = 1_234_567n;
const SIGNED_BLOCKS_WINDOW = 10;
const DOWNTIME_JAIL_SECONDS = 5n;
const SLASH_FRACTION_DOWNTIME = 10_000_000_000_000_000n; // 0.01
const SLASH_FRACTION_DOUBLE_SIGN = 50_000_000_000_000_000n; // 0.05

function patchGenesis(state: AppState): AppState {
  return {
    ...state,
    staking: { ...state.staking!, params: { ...state.staking!.params, unbonding_time: '10' } },
    distribution: { params: { community_tax: '0.03', block_reward: BLOCK_REWARD.toString(), withdraw_addr_enabled: true } },
    slashing: {
      params: {
        signed_blocks_window: String(SIGNED_BLOCKS_WINDOW),
        min_signed_per_window: '0.5',
        downtime_jail_duration: DOWNTIME_JAIL_SECONDS.toString(),
        slash_fraction_double_sign: '0.05',
        slash_fraction_downtime: '0.01',
      },
    },
  };
}

/** Genesis validators' stake; the fifth validator's (unequal, so the power fractions are not round). */
const GENESIS_STAKE = parseCoins(VALIDATOR_STAKE, 'stake')[0]!.amount;
const NODE4_STAKE = 150_000_000n;
/** What the test's delegator delegates to node1's validator. */
const DELEGATED = 10_000_000n;

let dir: string;
let net: Localnet | undefined;
let comet: Comet38Client;
let query: QueryClient & StakingExtension & DistributionExtension & ReturnType<typeof setupSlashingExtension>;
const clients: SigningStargateClient[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ain-pos-e2e-'));
  await createLocalnet({ dir, validators: 4, chainId: 'ain-pos-test', timeoutCommit: '500ms', genesisPatch: patchGenesis });
  net = await startLocalnet({ dir });
  comet = await Comet38Client.connect(net.nodes[0]!.rpcUrl);
  query = QueryClient.withExtensions(comet, setupStakingExtension, setupDistributionExtension, setupSlashingExtension);
}, 180_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  comet?.disconnect();
  await net?.stop();
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers

/** A CosmJS signing client for a private key, through node0 (which the test never stops). */
async function signingClient(privkey: Uint8Array): Promise<{ client: SigningStargateClient; address: string }> {
  const wallet = await DirectSecp256k1Wallet.fromKey(privkey, ADDRESS_PREFIX);
  const [account] = await wallet.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(net!.nodes[0]!.rpcUrl, wallet, {
    registry: ainRegistry(),
    gasPrice: GasPrice.fromString(`0.025${DENOM}`),
    broadcastPollIntervalMs: 250,
    broadcastTimeoutMs: 60_000,
  });
  clients.push(client);
  return { client, address: account!.address };
}

/** The signing client of node i's own account (key "validator" in its home's keyring). */
async function nodeAccountClient(i: number): Promise<{ client: SigningStargateClient; address: string }> {
  const node = net!.nodes[i]!;
  return signingClient((await keySigner(getKey(node.home, VALIDATOR_KEY))).privkey);
}

let faucetClient: { client: SigningStargateClient; address: string } | undefined;
async function fund(address: string, amount: bigint): Promise<void> {
  faucetClient ??= await signingClient((await keySigner(getKey(dir, FAUCET_KEY))).privkey);
  expectOk(await faucetClient.client.sendTokens(faucetClient.address, address, [{ denom: DENOM, amount: amount.toString() }], 'auto'));
}

function expectOk(result: DeliverTxResponse): void {
  expect(result.code, `tx ${result.transactionHash} failed: ${result.rawLog}`).toBe(0);
}

/** Node i's validator: operator address, consensus address (hex, upper case as CometBFT prints it) and ainvalcons. */
function validatorOf(node: LocalnetNode): { valoper: string; consHex: string; valcons: string } {
  const consHex = consAddressHex(fromBase64(privValidatorPubkey(node.home)));
  return { valoper: toValoper(node.account), consHex: consHex.toUpperCase(), valcons: consAddressBech32(consHex) };
}

/** CometBFT's validator set at `height`: upper-case hex address -> power. */
async function cometValidators(height: number): Promise<Map<string, bigint>> {
  const { validators } = await comet.validatorsAll(height);
  return new Map(validators.map((v) => [toHex(v.address).toUpperCase(), v.votingPower]));
}

/** Upper-case hex addresses with a signature in the last_commit of blocks `from`..`to` (votes for the block before each). */
function lastCommitSigners(from: number, to: number): Promise<Set<string>> {
  return commitSigners(comet, from - 1, to - 1);
}

/** node1's app's last committed height: its block results and validator sets are saved. */
async function latestHeight(): Promise<number> {
  return appHeight(net!.nodes[0]!.rpcUrl);
}

async function stakingValidator(valoper: string) {
  const { validator } = await query.staking.validator(valoper);
  if (!validator) throw new Error(`no validator ${valoper}`);
  return validator;
}

/** A block event attribute by key. */
function attr(event: { attributes: readonly { key: string; value: string }[] }, key: string): string | undefined {
  return event.attributes.find((a) => a.key === key)?.value;
}

/** "1.500000000000000000uain" (a DecCoin as events print it) -> atomics. */
function decCoinAtomics(text: string): bigint {
  const match = /^([0-9]+)\.([0-9]{18})uain$/.exec(text);
  if (!match) throw new Error(`not a uain DecCoin: ${text}`);
  return BigInt(match[1]! + match[2]!);
}

/** The first height in `from`..`to` whose block events hold a `slash` event for `valcons` with `reason`. */
async function findSlash(valcons: string, reason: string, from: number, to: number): Promise<{ height: number; burned: string }> {
  for (let h = from; h <= to; h++) {
    const event = (await comet.blockResults(h)).finalizeBlockEvents.find(
      (e) => e.type === 'slash' && attr(e, 'address') === valcons && attr(e, 'reason') === reason,
    );
    if (event) return { height: h, burned: attr(event, 'burned_coins')! };
  }
  throw new Error(`no slash event (${reason}) for ${valcons} in blocks ${from}..${to}`);
}

// ---------------------------------------------------------------------------------------------

/** node4's undelegation: its block and the account's balance after it. */
let node4Unbonding: { height: number; balance: bigint } | undefined;

/** The delegator of check 3: delegates to node1's validator before the fifth validator joins. */
const delegator = testKey('pos-e2e-delegator');
let delegation: { height: number; valoper: string } | undefined;

describe('proof of stake on a 4-validator localnet', () => {
  it('starts 4 equal genesis validators; a new account delegates to node1', async () => {
    const start = await latestHeight();
    const set = await cometValidators(start);
    expect([...set.keys()].sort()).toEqual([0, 1, 2, 3].map((i) => validatorOf(net!.nodes[i]!).consHex).sort());
    expect([...set.values()]).toEqual([0, 1, 2, 3].map(() => GENESIS_STAKE / POWER_REDUCTION));

    await fund(delegator.address, 20_000_000n);
    const { client } = await signingClient(delegator.privkey);
    const valoper = validatorOf(net!.nodes[1]!).valoper;
    const result = await client.delegateTokens(delegator.address, valoper, { denom: DENOM, amount: DELEGATED.toString() }, 'auto');
    expectOk(result);
    delegation = { height: result.height, valoper };
    // One share per token: the validator has never been slashed.
    expect((await stakingValidator(valoper)).delegatorShares).toBe(((GENESIS_STAKE + DELEGATED) * E18).toString());
  });

  it('check 1: a fifth node becomes a validator with MsgCreateValidator, is in /validators two heights later and signs blocks', async () => {
    const node4 = await net!.addNode();
    expect(node4.validator).toBe(false);
    // Synced before it is a validator, or it would miss blocks from its first one.
    await net!.waitForHeight(await latestHeight(), { nodes: [4], timeoutMs: 90_000 });
    await fund(node4.account, NODE4_STAKE + 10_000_000n);

    const { client, address } = await nodeAccountClient(4);
    // The consensus key is node4's priv_validator_key.json (aind tx staking create-validator's message builder).
    const messages = posTxMessages('create-validator', [], address, { amount: `${NODE4_STAKE}${DENOM}`, moniker: 'node4' }, node4.home);
    const created = await client.signAndBroadcast(address, messages, 'auto');
    expectOk(created);
    const h = created.height;
    const { valoper, consHex } = validatorOf(node4);
    expect((await stakingValidator(valoper)).status).toBe(BondStatus.BOND_STATUS_BONDED);

    // The update returned at height h applies at h + 2.
    await net!.waitForHeight(h + 2, { nodes: [0] });
    expect((await cometValidators(h + 1)).has(consHex)).toBe(false);
    expect((await cometValidators(h + 2)).get(consHex)).toBe(NODE4_STAKE / POWER_REDUCTION);
    // It signs: its signature is in the last_commit of later blocks (a late vote can miss one, so look at four).
    await net!.waitForHeight(h + 6, { nodes: [0], timeoutMs: 90_000 });
    expect(await lastCommitSigners(h + 3, h + 6)).toContain(consHex);
  });

  it('check 2: undelegating its whole self-delegation removes it from /validators', async () => {
    const node4 = net!.nodes[4]!;
    const { valoper, consHex } = validatorOf(node4);
    const { client, address } = await nodeAccountClient(4);
    const result = await client.undelegateTokens(address, valoper, { denom: DENOM, amount: NODE4_STAKE.toString() }, 'auto');
    expectOk(result);
    const h = result.height;
    const validator = await stakingValidator(valoper);
    expect([validator.status, validator.tokens]).toEqual([BondStatus.BOND_STATUS_UNBONDING, '0']);
    node4Unbonding = { height: h, balance: BigInt((await client.getBalance(address, DENOM)).amount) };
    await net!.waitForHeight(h + 2, { nodes: [0] });
    expect((await cometValidators(h + 1)).has(consHex)).toBe(true);
    const after = await cometValidators(h + 2);
    expect(after.has(consHex)).toBe(false);
    expect(after.size).toBe(4);
  });

  it('check 3: a withdrawal pays exactly the rewards recomputed from the blocks (fees, reward, tax, commission, powers)', async () => {
    const { height: from, valoper } = delegation!;
    const { consHex } = validatorOf(net!.nodes[1]!);
    const validator = await stakingValidator(valoper);
    const commissionRate = BigInt(validator.commission!.commissionRates!.rate);
    const validatorShares = BigInt(validator.delegatorShares);
    const delegatorShares = BigInt((await query.staking.delegation(delegator.address, valoper)).delegationResponse!.delegation!.shares);
    expect([delegatorShares, validatorShares]).toEqual([DELEGATED * E18, (GENESIS_STAKE + DELEGATED) * E18]);
    expect(commissionRate).toBeGreaterThan(0n);

    const { client } = await signingClient(delegator.privkey);
    const withdrawn = await client.withdrawRewards(delegator.address, valoper, 'auto');
    expectOk(withdrawn);
    const to = withdrawn.height;
    const event = withdrawn.events.find((e) => e.type === 'withdraw_rewards');
    const paid = BigInt(/^([0-9]+)uain$/.exec(attr(event!, 'amount')!)![1]!);

    // The delegation's period ran from its delegation tx (block `from`, before that block's split) to
    // the withdrawal tx (block `to`): the splits at the ends of blocks from .. to-1 count.
    let ratio = 0n; // node1's reward per share over the period (atomics)
    let sawFiveValidators = false;
    let allFees = 0n;
    for (let h = from; h < to; h++) {
      const [{ block }, results, set] = await Promise.all([comet.block(h), comet.blockResults(h), cometValidators(h - 1)]);
      // decided_last_commit of block h = block h's last_commit: one vote per validator of height h - 1.
      expect(block.lastCommit!.signatures).toHaveLength(set.size);
      sawFiveValidators ||= set.size === 5;
      // Fees of the block's txs (all succeed here: a failed one would need its ante outcome).
      let fees = 0n;
      block.txs.forEach((tx, i) => {
        expect(results.results[i]!.code, `tx ${i} of block ${h}`).toBe(0);
        for (const coin of decodeTxRaw(tx).authInfo.fee!.amount) {
          expect(coin.denom).toBe(DENOM);
          fees += BigInt(coin.amount);
        }
      });
      allFees += fees;
      const collected = (fees + BLOCK_REWARD) * E18;
      const forValidators = (collected * (E18 - COMMUNITY_TAX)) / E18;
      const totalPower = [...set.values()].reduce((a, b) => a + b, 0n);
      const reward = (forValidators * ((set.get(consHex)! * E18) / totalPower)) / E18;
      const commission = (reward * commissionRate) / E18;
      ratio += ((reward - commission) * E18) / validatorShares;
      // The block's own `rewards` event for node1 says the same.
      const rewardsEvent = results.finalizeBlockEvents.find((e) => e.type === 'rewards' && attr(e, 'validator') === valoper);
      expect(decCoinAtomics(attr(rewardsEvent!, 'amount')!), `node1's reward in block ${h}`).toBe(reward);
    }
    // The period saw the fifth validator come and go, and txs paying fees.
    expect(sawFiveValidators).toBe(true);
    expect(allFees).toBeGreaterThan(0n);
    const earned = (delegatorShares * ratio) / E18;
    // What the chain reported the block before, to the 10^-18 uain; and paid: its whole uain.
    const before = QueryDelegationRewardsResponse.decode(
      (
        await query.queryAbci(
          '/cosmos.distribution.v1beta1.Query/DelegationRewards',
          QueryDelegationRewardsRequest.encode({ delegatorAddress: delegator.address, validatorAddress: valoper }).finish(),
          to - 1,
        )
      ).value,
    );
    expect(BigInt(before.rewards.find((c) => c.denom === DENOM)!.amount)).toBe(earned);
    expect(paid).toBe(earned / E18);
    expect(paid).toBeGreaterThan(0n);
  });

  it('check 4: a validator that misses blocks is slashed, jailed and leaves /validators; unjailed after the jail time it returns', async () => {
    const node3 = net!.nodes[3]!;
    const { valoper, consHex, valcons } = validatorOf(node3);
    const tokensBefore = BigInt((await stakingValidator(valoper)).tokens);
    const killedAt = await latestHeight();
    await net!.killNode(3);
    // More than window - floor(window x 0.5) = 5 missed blocks of 10 jail it.
    await until('node3 jailed', async () => ((await stakingValidator(valoper)).jailed ? true : undefined), 120_000, {
      retryErrors: true,
      intervalMs: 250,
    });
    const { height: jailedAt, burned } = await findSlash(valcons, 'missing_signature', killedAt, await latestHeight());
    const power = GENESIS_STAKE / POWER_REDUCTION;
    const slashed = (power * POWER_REDUCTION * SLASH_FRACTION_DOWNTIME) / E18;
    expect(burned).toBe(`${slashed}${DENOM}`);
    const jailed = await stakingValidator(valoper);
    expect([jailed.jailed, jailed.tokens]).toEqual([true, (tokensBefore - slashed).toString()]);
    await net!.waitForHeight(jailedAt + 2, { nodes: [0] });
    expect((await cometValidators(jailedAt + 1)).has(consHex)).toBe(true);
    expect((await cometValidators(jailedAt + 2)).has(consHex)).toBe(false);
    const { valSigningInfo: info } = await query.slashing.signingInfo(valcons);
    const jailTime = BigInt((await comet.block(jailedAt)).block.header.time.getTime()) / 1000n;
    expect(info.jailedUntil!.seconds).toBe(jailTime + DOWNTIME_JAIL_SECONDS);
    expect(info.tombstoned).toBe(false);

    // Back up and caught up; once the block time passes jailed_until, MsgUnjail brings it back.
    await net!.restartNode(3);
    await net!.waitForHeight(await latestHeight(), { nodes: [3], timeoutMs: 90_000 });
    await until(
      'block time past jailed_until',
      async () => (BigInt((await comet.block()).block.header.time.getTime()) / 1000n >= info.jailedUntil!.seconds ? true : undefined),
      60_000,
      { retryErrors: true, intervalMs: 250 },
    );
    const { client, address } = await nodeAccountClient(3);
    const unjailed = await client.signAndBroadcast(address, posTxMessages('unjail', [], address, {}, node3.home), 'auto');
    expectOk(unjailed);
    expect((await stakingValidator(valoper)).jailed).toBe(false);
    await net!.waitForHeight(unjailed.height + 2, { nodes: [0] });
    expect((await cometValidators(unjailed.height + 2)).get(consHex)).toBe((tokensBefore - slashed) / POWER_REDUCTION);
  });

  it('check 2 (cont.): after unbonding_time the stake is paid back and the empty validator removed, its commission paid out', async () => {
    const node4 = net!.nodes[4]!;
    const { valoper } = validatorOf(node4);
    // unbonding_time is 10 s of block time; the validator, without shares, goes once it is unbonded.
    await until(
      'node4 validator removed',
      async () => ((await query.staking.validators('')).validators.some((v) => v.operatorAddress === valoper) ? undefined : true),
      60_000,
      { retryErrors: true, intervalMs: 250 },
    );
    await expect(query.staking.validator(valoper)).rejects.toThrow(/NotFound|does not exist/);
    // The block that removed it paid the operator its whole commission (the fraction goes to the pool).
    let removedAt: { height: number; commission: bigint } | undefined;
    for (let h = node4Unbonding!.height + 1; removedAt === undefined && h <= (await latestHeight()); h++) {
      const event = (await comet.blockResults(h)).finalizeBlockEvents.find(
        (e) => e.type === 'withdraw_commission' && attr(e, 'validator') === valoper,
      );
      if (event) removedAt = { height: h, commission: BigInt(/^([0-9]+)uain$/.exec(attr(event, 'amount')!)![1]!) };
    }
    expect(removedAt, 'a block paying node4 its commission').toBeDefined();
    const accrued = await query.queryAbci(
      '/cosmos.distribution.v1beta1.Query/ValidatorCommission',
      QueryValidatorCommissionRequest.encode({ validatorAddress: valoper }).finish(),
      removedAt!.height - 1,
    );
    const commission = QueryValidatorCommissionResponse.decode(accrued.value).commission!.commission;
    expect(removedAt!.commission).toBe(BigInt(commission.find((c) => c.denom === DENOM)!.amount) / E18);
    expect(removedAt!.commission).toBeGreaterThan(0n);
    const { client, address } = await nodeAccountClient(4);
    expect(BigInt((await client.getBalance(address, DENOM)).amount)).toBe(node4Unbonding!.balance + NODE4_STAKE + removedAt!.commission);
  });

  it('check 5: a validator key run on two nodes is caught double-signing, slashed, jailed and tombstoned', async () => {
    const node2 = net!.nodes[2]!;
    const node4 = net!.nodes[4]!;
    const { valoper, consHex, valcons } = validatorOf(node2);
    const tokensBefore = BigInt((await stakingValidator(valoper)).tokens);
    // node4 (a full node again) restarts with node2's key and a fresh sign state, so it signs too.
    await net!.killNode(4);
    copyFileSync(homePaths(node2.home).privValidatorKey, homePaths(node4.home).privValidatorKey);
    writeFileSync(join(homePaths(node4.home).dataDir, 'priv_validator_state.json'), '{"height":"0","round":0,"step":0}\n');
    const from = await latestHeight();
    await net!.restartNode(4);

    // CometBFT sees two conflicting votes from one key and commits DuplicateVoteEvidence in a later block.
    await until(
      'node2 tombstoned',
      async () => ((await query.slashing.signingInfo(valcons)).valSigningInfo.tombstoned ? true : undefined),
      150_000,
      { retryErrors: true, intervalMs: 250 },
    );
    await net!.killNode(4); // stop the double signing
    const { height: slashedAt, burned } = await findSlash(valcons, 'double_sign', from, await latestHeight());
    // The evidence is in the block the app was told about it in.
    const evidence = ((await comet.block(slashedAt)).block.evidence as DuplicateVoteEvidenceJson[]).filter(
      (e) => e.type === 'tendermint/DuplicateVoteEvidence' && e.value.vote_a.validator_address === consHex,
    );
    expect(evidence.length).toBeGreaterThanOrEqual(1);
    const power = BigInt(evidence[0]!.value.ValidatorPower);
    expect(power).toBe(tokensBefore / POWER_REDUCTION);
    const slashed = (power * POWER_REDUCTION * SLASH_FRACTION_DOUBLE_SIGN) / E18;
    expect(burned).toBe(`${slashed}${DENOM}`);

    const validator = await stakingValidator(valoper);
    expect([validator.jailed, validator.tokens]).toEqual([true, (tokensBefore - slashed).toString()]);
    const { valSigningInfo: info } = await query.slashing.signingInfo(valcons);
    expect(info.tombstoned).toBe(true);
    expect(new Date(Number(info.jailedUntil!.seconds) * 1000).toISOString()).toBe('9999-12-31T23:59:59.000Z');
    await net!.waitForHeight(slashedAt + 2, { nodes: [0] });
    expect((await cometValidators(slashedAt + 1)).has(consHex)).toBe(true);
    expect((await cometValidators(slashedAt + 2)).has(consHex)).toBe(false);
    // Tombstoned: MsgUnjail is refused for good.
    const { client, address } = await nodeAccountClient(2);
    await expect(client.signAndBroadcast(address, posTxMessages('unjail', [], address, {}, node2.home), 'auto')).rejects.toThrow(
      /tombstoned/,
    );
  });
});

/** CometBFT's JSON of a DuplicateVoteEvidence (as /block returns it; CosmJS passes evidence through untouched). */
interface DuplicateVoteEvidenceJson {
  readonly type: string;
  readonly value: {
    readonly vote_a: { readonly validator_address: string; readonly height: string };
    readonly vote_b: { readonly validator_address: string; readonly height: string };
    readonly ValidatorPower: string;
    readonly TotalVotingPower: string;
  };
}
