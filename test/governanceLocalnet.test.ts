/**
 * Governance and token economics end to end on ONE 4-validator localnet (issue 18, item 6), driven
 * through CosmJS and CometBFT's RPC as users and validators would:
 * - four v1 proposals are submitted at once and the validators vote on them by stake: a staking
 *   MsgUpdateParams that all four back passes and takes effect on every node; one that only one
 *   validator (25% < quorum 33.4%) votes on fails quorum and its deposit is refunded; one that two
 *   validators veto (50% > 33.4%) is rejected and its deposit burned; a MsgSoftwareUpgrade passes;
 * - with compute-driven supply on from genesis (4-block epochs), a burst of off-chain function calls
 *   served by the localnet's own executor mints in the epoch it lands in, and the epochs without work
 *   after it burn from their last block's fees;
 * - at the plan height every node's app stops with `UPGRADE "<name>" NEEDED at height H` (exit code 1)
 *   and its CometBFT with it; restarted with the build that registers the upgrade's handler
 *   (test/helpers/aindUpgraded.ts) the chain replays block H, migrates and goes on, AppliedPlan = H on
 *   every node;
 * - read back block by block (test/helpers/supplyLedger.ts), supply = genesis + minted - burned at every
 *   height, every coin created is a block reward or a compute mint, every coin destroyed a compute burn
 *   or the vetoed deposit, and every epoch's mint, burn and average follow the compute rule.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import {
  type BankExtension,
  type DeliverTxResponse,
  type GovExtension,
  GasPrice,
  QueryClient,
  SigningStargateClient,
  type StakingExtension,
  setupBankExtension,
  setupGovExtension,
  setupStakingExtension,
} from '@cosmjs/stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import { MsgUpdateParams } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import {
  QueryAppliedPlanRequest,
  QueryAppliedPlanResponse,
  QueryCurrentPlanRequest,
  QueryCurrentPlanResponse,
} from 'cosmjs-types/cosmos/upgrade/v1beta1/query';
import { MsgSoftwareUpgrade } from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppState, genesisSupply } from '../app/index.ts';
import { type AinClient, ainRegistry, appHeight, connectAin, stateMsg } from '../client/index.ts';
import { ADDRESS_PREFIX, DEC_ONE, decFromText, govAuthority, moduleAddress } from '../core/index.ts';
import { getKey, homePaths, keySigner, readGenesis, setTomlValues } from '../home/index.ts';
import { createLocalnet, type Localnet, startLocalnet, VALIDATOR_KEY, VALIDATOR_STAKE } from '../localnet/index.ts';
import { QueryEpochRequest, QueryEpochResponse } from '../proto/gen/ain/compute/v1/query.ts';
import { putBlob } from '../storage/client.ts';
import { DEMO_MAX_VALIDATORS, DEMO_UPGRADE } from './helpers/aindUpgraded.ts';
import { until } from './helpers/poll.ts';
import { readLedger, total } from './helpers/supplyLedger.ts';
import { type TestKey, testKey } from './helpers/tx.ts';

const KEEP = process.env.AIN_TEST_KEEP_HOME === '1';
/** The upgraded build: node's arguments in place of aind (see test/upgradePlan.test.ts). */
const UPGRADED = ['--import', 'tsx', 'test/helpers/aindUpgraded.ts'];
/** Seconds of block time: the four validators' votes land well within it even on a loaded machine. */
const VOTING_PERIOD = 10;
const MIN_DEPOSIT = 10_000_000n;
/** Blocks from the proposals to the plan: past the voting period at 2 blocks a second or fewer. */
const PLAN_DISTANCE = 32;
const EPOCH_BLOCKS = 4;
const MINT_PER_UNIT = 1000n;
const BURN_PER_UNIT = 10n;
/** Compute-driven supply on from genesis: short epochs, half the average from the last epoch. */
const COMPUTE_PARAMS = {
  epoch_blocks: String(EPOCH_BLOCKS),
  average_weight: '0.5',
  growth_threshold: '0.1',
  fall_threshold: '0.2',
  mint_per_unit: MINT_PER_UNIT.toString(),
  burn_per_unit: BURN_PER_UNIT.toString(),
  max_mint_per_epoch: '1000000000',
  worker_share: '0.5',
  base_units: '10',
  units_per_cpu: '1',
  units_per_gpu: '100',
  units_per_gib: '1',
};
/** The function the burst calls: 1 CPU, 256 MiB = 10 + 1 + 0 = 11 units a completed call. */
const UNITS_PER_CALL = 11n;
const CALLS = 4;
const SUM_JS = `let s='';process.stdin.on('data',(d)=>{s+=d});process.stdin.on('end',()=>{const {a,b}=JSON.parse(s);process.stdout.write(JSON.stringify(a+b));});\n`;

const keys = {
  param: testKey('gov-e2e/param'),
  quorum: testKey('gov-e2e/quorum'),
  veto: testKey('gov-e2e/veto'),
  upgrade: testKey('gov-e2e/upgrade'),
  caller: testKey('gov-e2e/caller'),
  traffic: [1, 2, 3].map((i) => testKey(`gov-e2e/traffic${i}`)),
};
const funded = [keys.param, keys.quorum, keys.veto, keys.upgrade, keys.caller, ...keys.traffic];

let dir: string;
let net: Localnet | undefined;
const clients: { disconnect(): void }[] = [];
/** Proposal ids by role, and each proposer's balance right after submitting. */
const ids = { param: 0n, quorum: 0n, veto: 0n, upgrade: 0n };
const afterSubmit = new Map<string, bigint>();
let planHeight = 0;
let figures = '';

function patchGenesis(state: AppState): AppState {
  const patched = {
    ...state,
    gov: { params: { voting_period: String(VOTING_PERIOD), max_deposit_period: String(VOTING_PERIOD), min_deposit: `${MIN_DEPOSIT}uain` } },
    compute: { params: COMPUTE_PARAMS },
  };
  return patched;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ain-gov-localnet-'));
  const manifest = await createLocalnet({
    dir,
    validators: 4,
    chainId: 'ain-gov-e2e',
    timeoutCommit: '500ms',
    accounts: funded.map((k) => ({ address: k.address, coins: '1000000000uain' })),
    genesisPatch: patchGenesis,
  });
  // Every height stays readable (supply is checked at each one at the end), as an archive node keeps it.
  for (const node of manifest.nodes) {
    const appToml = homePaths(join(dir, node.name)).appToml;
    writeFileSync(appToml, setTomlValues(readFileSync(appToml, 'utf8'), { state: { keep_recent: 0 } }));
  }
  net = await startLocalnet({ dir });
}, 180_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await net?.stop();
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
  if (figures) process.stderr.write(figures);
});

// ---------------------------------------------------------------------------------------------
// Helpers

async function signer(privkey: Uint8Array, node = 0): Promise<{ client: SigningStargateClient; address: string }> {
  const wallet = await DirectSecp256k1Wallet.fromKey(privkey, ADDRESS_PREFIX);
  const [account] = await wallet.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(net!.nodes[node]!.rpcUrl, wallet, {
    registry: ainRegistry(),
    gasPrice: GasPrice.fromString('0.025uain'),
    broadcastPollIntervalMs: 250,
    broadcastTimeoutMs: 60_000,
  });
  clients.push(client);
  return { client, address: account!.address };
}

/** Node i's own operator account (key "validator" in its home's keyring), signing through node i. */
async function validator(i: number): Promise<{ client: SigningStargateClient; address: string }> {
  return signer((await keySigner(getKey(net!.nodes[i]!.home, VALIDATOR_KEY))).privkey, i);
}

type Queries = QueryClient & GovExtension & StakingExtension & BankExtension;
async function queries(i: number): Promise<Queries> {
  const comet = await Comet38Client.connect(net!.nodes[i]!.rpcUrl);
  clients.push(comet);
  return QueryClient.withExtensions(comet, setupGovExtension, setupStakingExtension, setupBankExtension);
}

const anyOf = <T>(codec: { typeUrl: string; encode(m: T): { finish(): Uint8Array } }, message: T): Any => ({
  typeUrl: codec.typeUrl,
  value: codec.encode(message).finish(),
});

function expectOk(result: DeliverTxResponse): DeliverTxResponse {
  expect(result.code, result.rawLog).toBe(0);
  return result;
}

async function balance(client: SigningStargateClient, address: string): Promise<bigint> {
  return BigInt((await client.getBalance(address, 'uain')).amount);
}

async function proposalStatus(q: Queries, id: bigint, wanted: ProposalStatus, timeoutMs = 60_000) {
  return until(
    `proposal ${id} in status ${ProposalStatus[wanted]}`,
    async () => {
      const proposal = (await q.gov.proposal(String(id))).proposal!;
      return proposal.status === wanted ? proposal : undefined;
    },
    timeoutMs,
  );
}

async function computeEpoch(q: QueryClient) {
  const answer = await q.queryAbci('/ain.compute.v1.Query/Epoch', QueryEpochRequest.encode({}).finish());
  return QueryEpochResponse.decode(answer.value).epoch!;
}

const STAKE = BigInt(VALIDATOR_STAKE.replace(/uain$/, ''));

// ---------------------------------------------------------------------------------------------

describe('governance and token economics on a 4-validator localnet', () => {
  it('takes four proposals at once, each with the minimum deposit, and the validators vote on them by stake', async () => {
    const q = await queries(0);
    const current = (await q.staking.params()).params!;
    const staking = (maxValidators: number) =>
      anyOf(MsgUpdateParams, MsgUpdateParams.fromPartial({ authority: govAuthority(), params: { ...current, maxValidators } }));
    planHeight = (await net!.height(0))! + PLAN_DISTANCE;
    const upgrade = anyOf(
      MsgSoftwareUpgrade,
      MsgSoftwareUpgrade.fromPartial({
        authority: govAuthority(),
        plan: { name: DEMO_UPGRADE, height: BigInt(planHeight), info: 'run the build registering ain-demo-upgrade' },
      }),
    );
    const proposals: [keyof typeof ids, TestKey, Any, string][] = [
      ['param', keys.param, staking(42), 'Max 42 validators'],
      ['quorum', keys.quorum, staking(13), 'Max 13 validators'],
      ['veto', keys.veto, staking(99), 'Max 99 validators'],
      ['upgrade', keys.upgrade, upgrade, `Upgrade at height ${planHeight}`],
    ];
    await Promise.all(
      proposals.map(async ([role, key, message, title]) => {
        const { client, address } = await signer(key.privkey);
        const submit = MsgSubmitProposal.fromPartial({
          messages: [message],
          initialDeposit: [{ denom: 'uain', amount: MIN_DEPOSIT.toString() }],
          proposer: address,
          title,
          summary: title,
        });
        const result = expectOk(await client.signAndBroadcast(address, [{ typeUrl: MsgSubmitProposal.typeUrl, value: submit }], 'auto'));
        const event = result.events.find((e) => e.type === 'submit_proposal' && e.attributes.some((a) => a.key === 'proposal_id'));
        ids[role] = BigInt(event!.attributes.find((a) => a.key === 'proposal_id')!.value);
        afterSubmit.set(role, await balance(client, address));
      }),
    );
    for (const id of Object.values(ids)) {
      const proposal = (await q.gov.proposal(String(id))).proposal!;
      expect(proposal.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
      expect(proposal.totalDeposit).toEqual([{ denom: 'uain', amount: MIN_DEPOSIT.toString() }]);
    }

    // node0: yes on all but the veto; node1: vetoes, skips the quorum one; node2, node3: yes, skip the quorum one.
    const { YES, NO_WITH_VETO } = { YES: VoteOption.VOTE_OPTION_YES, NO_WITH_VETO: VoteOption.VOTE_OPTION_NO_WITH_VETO };
    const ballots: [bigint, VoteOption][][] = [
      [
        [ids.param, YES],
        [ids.quorum, YES],
        [ids.veto, NO_WITH_VETO],
        [ids.upgrade, YES],
      ],
      [
        [ids.param, YES],
        [ids.veto, NO_WITH_VETO],
        [ids.upgrade, YES],
      ],
      [
        [ids.param, YES],
        [ids.veto, YES],
        [ids.upgrade, YES],
      ],
      [
        [ids.param, YES],
        [ids.veto, YES],
        [ids.upgrade, YES],
      ],
    ];
    await Promise.all(
      ballots.map(async (ballot, i) => {
        const { client, address } = await validator(i);
        const votes = ballot.map(([proposalId, option]) => ({
          typeUrl: MsgVote.typeUrl,
          value: MsgVote.fromPartial({ proposalId, voter: address, option }),
        }));
        expectOk(await client.signAndBroadcast(address, votes, 'auto'));
      }),
    );
    // Each vote landed through its own node; node0 has them all once it has those blocks.
    const tally = (id: bigint) => until(`the votes on ${id}`, async () => (await q.gov.tally(String(id))).tally!, 10_000);
    await until('all votes on node0', async () => ((await tally(ids.param)).yes === (4n * STAKE).toString() ? true : undefined), 30_000);
    expect(await tally(ids.veto)).toMatchObject({ noWithVeto: (2n * STAKE).toString(), yes: (2n * STAKE).toString() });
    expect(await tally(ids.quorum)).toMatchObject({ yes: STAKE.toString(), no: '0', noWithVeto: '0' });
  });

  it('mints on a burst of function calls served by the localnet executor, then burns from fees when the work stops', async () => {
    const wallet = await DirectSecp256k1Wallet.fromKey(keys.caller.privkey, ADDRESS_PREFIX);
    const caller: AinClient = await connectAin({ rpcUrl: net!.nodes[1]!.rpcUrl, signer: wallet, broadcastPollIntervalMs: 250 });
    clients.push(caller);
    const me = keys.caller.address;
    const { hash } = await putBlob(net!.storageUrl, new TextEncoder().encode(SUM_JS), keys.caller);
    const sum = {
      function_type: 'OFFCHAIN',
      function_id: 'sum',
      runtime: 'node',
      code_hash: hash,
      resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 100,
      price: '0',
      output_path: '/apps/burst/result/$key',
      executors: 'any',
    };
    expectOk(
      await caller.signAndBroadcast([
        stateMsg.createApp(me, 'burst', [me], false),
        stateMsg.setRule(me, '/apps/burst/request/$key', JSON.stringify({ write: `auth.addr == '${me}'` })),
        stateMsg.setRule(me, '/apps/burst/result/$key', JSON.stringify({ write: "auth.fid == 'sum'" })),
        stateMsg.setFunction(me, '/apps/burst/request/$key', JSON.stringify(sum)),
      ]),
    );
    const q = await queries(1);
    const before = await computeEpoch(q);
    expect(before.minted).toBe('0');
    // The burst: CALLS calls in one tx, each answered by the executor in its own result tx.
    expectOk(
      await caller.signAndBroadcast(
        Array.from({ length: CALLS }, (_, i) => stateMsg.setValue(me, `/apps/burst/request/k${i}`, JSON.stringify({ a: i, b: 100 }))),
      ),
    );
    for (let i = 0; i < CALLS; i++) {
      const result = await until(
        `call k${i}'s result`,
        async () => (await caller.ref(`/apps/burst/result/k${i}`).get()).value ?? undefined,
        60_000,
      );
      expect(result).toBe(i + 100);
    }
    // Every result is counted in its block; once the epoch holding the last one has ended, the burst
    // has minted (in one epoch, or two when it straddled an epoch's end).
    const minted = await until(
      "the burst's epochs to end",
      async () => {
        const epoch = await computeEpoch(q);
        return epoch.units === '0' && epoch.minted !== '0' ? epoch : undefined;
      },
      60_000,
    );
    expect(BigInt(minted.minted)).toBeGreaterThan(0n);

    // No more work: the next epochs fall below the average and burn from their last block's fees, so
    // keep fee-paying sends coming (three senders: most blocks carry one) until a burn lands.
    let stop = false;
    const traffic = keys.traffic.map(async (key, i) => {
      const { client, address } = await signer(key.privkey, i + 1);
      while (!stop) expectOk(await client.sendTokens(address, me, [{ denom: 'uain', amount: '1' }], 'auto'));
    });
    try {
      const burned = await until(
        'a compute burn',
        async () => ((await computeEpoch(q)).burned !== '0' ? computeEpoch(q) : undefined),
        90_000,
      );
      expect(BigInt(burned.burned)).toBeGreaterThan(0n);
      expect(burned.minted).toBe(minted.minted);
    } finally {
      stop = true;
      await Promise.all(traffic);
    }
  });

  it('passes the param change, which takes effect on every node', async () => {
    const passed = await proposalStatus(await queries(0), ids.param, ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(passed.finalTallyResult).toMatchObject({ yes: (4n * STAKE).toString(), no: '0', noWithVeto: '0' });
    for (let i = 0; i < 4; i++) expect((await (await queries(i)).staking.params()).params!.maxValidators, `node${i}`).toBe(42);
  });

  it('rejects the proposal short of quorum and refunds its deposit', async () => {
    const q = await queries(0);
    const rejected = await proposalStatus(q, ids.quorum, ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(rejected.finalTallyResult).toMatchObject({ yes: STAKE.toString(), no: '0', abstain: '0', noWithVeto: '0' });
    expect((await q.gov.deposits(String(ids.quorum))).deposits).toEqual([]);
    const { client, address } = await signer(keys.quorum.privkey);
    expect(await balance(client, address)).toBe(afterSubmit.get('quorum')! + MIN_DEPOSIT);
  });

  it('rejects the vetoed proposal and keeps its deposit (burned: see the supply check)', async () => {
    const q = await queries(0);
    const rejected = await proposalStatus(q, ids.veto, ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(rejected.finalTallyResult).toMatchObject({ yes: (2n * STAKE).toString(), noWithVeto: (2n * STAKE).toString() });
    const { client, address } = await signer(keys.veto.privkey);
    expect(await balance(client, address)).toBe(afterSubmit.get('veto')!);
  });

  it('passes the software upgrade: every node holds the plan, and the gov account no deposit', async () => {
    const q = await queries(0);
    await proposalStatus(q, ids.upgrade, ProposalStatus.PROPOSAL_STATUS_PASSED);
    for (let i = 0; i < 4; i++) {
      const qi = await queries(i);
      const answer = await qi.queryAbci('/cosmos.upgrade.v1beta1.Query/CurrentPlan', QueryCurrentPlanRequest.encode({}).finish());
      expect(QueryCurrentPlanResponse.decode(answer.value).plan, `node${i}`).toMatchObject({
        name: DEMO_UPGRADE,
        height: BigInt(planHeight),
      });
      // All four settled: two deposits refunded (passed), one refunded (no quorum), one burned (veto).
      expect(BigInt((await qi.bank.balance(govAuthority(), 'uain')).amount), `node${i}`).toBe(0n);
    }
  });

  it('halts every node at the upgrade height and resumes with the build that has the handler', async () => {
    // Each node stops when it executes block H. One that had not yet gathered H's commit when the
    // others stopped waits at H - 1 until a restarted peer hands it block H; so, as operators do, each
    // node gets the new build as soon as its app has stopped and its CometBFT followed it.
    const proc = (name: string) => net!.processes().find((p) => p.name === name)!;
    const stopped = new Map<number, { exitCode: number | null; log: string }>();
    const restarts: Promise<void>[] = [];
    let failed: unknown;
    await until(
      'every node to stop at the plan height and start the upgraded build',
      async () => {
        if (failed !== undefined) throw failed;
        for (let i = 0; i < 4; i++) {
          const app = proc(`node${i}/app`);
          if (stopped.has(i) || app.running || proc(`node${i}/comet`).running) continue;
          stopped.set(i, { exitCode: app.exitCode, log: net!.logTail(app.name, 80) });
          const restart = net!.restartNode(i, { appScript: UPGRADED });
          restart.catch((error: unknown) => {
            failed ??= error;
          });
          restarts.push(restart);
        }
        return stopped.size === 4 ? true : undefined;
      },
      180_000,
    );
    await Promise.all(restarts);
    for (const [i, { exitCode, log }] of stopped) {
      expect(exitCode, `node${i}`).toBe(1);
      expect(log, `node${i}`).toContain(
        `UPGRADE "${DEMO_UPGRADE}" NEEDED at height ${planHeight}: run the build registering ain-demo-upgrade`,
      );
    }
    await net!.waitForHeight(planHeight + 2, { timeoutMs: 120_000 });
    for (let i = 0; i < 4; i++) {
      const qi = await queries(i);
      const applied = QueryAppliedPlanResponse.decode(
        (await qi.queryAbci('/cosmos.upgrade.v1beta1.Query/AppliedPlan', QueryAppliedPlanRequest.encode({ name: DEMO_UPGRADE }).finish()))
          .value,
      );
      expect(applied.height, `node${i}`).toBe(BigInt(planHeight));
      // The migration ran on every node (it sets max_validators over the 42 governance set).
      expect((await qi.staking.params()).params!.maxValidators, `node${i}`).toBe(DEMO_MAX_VALIDATORS);
    }
  });

  it('keeps supply = genesis + minted - burned at every height, each coin minted or burned by a known rule', async () => {
    // The app's height, not /status's: the ledger queries the supply at every height up to it.
    const last = await appHeight(net!.nodes[0]!.rpcUrl);
    const ledger = await readLedger(net!.nodes[0]!.rpcUrl, 1, last);
    const genesis = genesisSupply(readGenesis(net!.nodes[0]!.home).app_state as unknown as AppState);
    const feeCollector = moduleAddress('fee_collector');
    const gov = govAuthority();

    let expected = genesis;
    const wrongSupply: string[] = [];
    const unexplained: string[] = [];
    let rewards = 0n;
    for (const block of ledger) {
      expected += total(block.minted) - total(block.burned);
      if (block.supply !== expected) wrongSupply.push(`height ${block.height}: supply ${block.supply}, expected ${expected}`);
      rewards += block.blockReward;
      // Created: the block reward and the compute mint. Destroyed: the compute burn (fee collector) and vetoed deposits (gov).
      if (total(block.minted) !== block.blockReward + (block.epoch?.minted ?? 0n))
        unexplained.push(`height ${block.height}: minted ${[...block.minted]}`);
      const otherBurners = [...block.burned.keys()].filter((burner) => burner !== feeCollector && burner !== gov);
      if ((block.burned.get(feeCollector) ?? 0n) !== (block.epoch?.burned ?? 0n) || otherBurners.length > 0)
        unexplained.push(`height ${block.height}: burned ${[...block.burned]}`);
    }
    expect(wrongSupply).toEqual([]);
    expect(unexplained).toEqual([]);

    // Gov: the vetoed deposit burned in the block that settled it, the quorum-failed one not.
    const settled = (id: bigint) => ledger.find((b) => b.proposals.some((p) => p.id === id))!;
    const vetoBlock = settled(ids.veto);
    expect(vetoBlock.proposals.find((p) => p.id === ids.veto)!.result).toBe('proposal_rejected');
    expect(vetoBlock.burned.get(gov)).toBe(MIN_DEPOSIT);
    expect(ledger.filter((b) => b.burned.has(gov)).map((b) => b.height)).toEqual([vetoBlock.height]);
    const before = ledger.find((b) => b.height === vetoBlock.height - 1)!;
    expect(vetoBlock.supply).toBe(before.supply + total(vetoBlock.minted) - MIN_DEPOSIT - (vetoBlock.epoch?.burned ?? 0n));
    expect(settled(ids.quorum).proposals.find((p) => p.id === ids.quorum)!.result).toBe('proposal_rejected');

    // Compute: every epoch's end replayed by the rule from its units and the previous average.
    const epochs = ledger.filter((b) => b.epoch !== undefined);
    expect(epochs.map((b) => b.height % EPOCH_BLOCKS)).toEqual(epochs.map(() => 0));
    let average = 0n;
    for (const [k, block] of epochs.entries()) {
      const epoch = block.epoch!;
      expect(epoch.number).toBe(BigInt(k + 1));
      const units = epoch.units * DEC_ONE;
      let mint = 0n;
      let burnWanted = 0n;
      if (k > 0 && units * 10n > average * 11n) mint = ((units - average) / DEC_ONE) * MINT_PER_UNIT;
      else if (k > 0 && units * 10n < average * 8n) burnWanted = ((average - units) / DEC_ONE) * BURN_PER_UNIT;
      average = k === 0 ? units : average + (units - average) / 2n;
      expect({ height: block.height, minted: epoch.minted, average: decFromText(epoch.average, 'average') }).toEqual({
        height: block.height,
        minted: mint,
        average,
      });
      // The burn is what the fall asks for, as far as the block's fees (all the fee collector holds then) allow.
      expect(epoch.burned, `height ${block.height}`).toBe(burnWanted < block.fees ? burnWanted : block.fees);
    }
    const mints = epochs.filter((b) => b.epoch!.minted > 0n);
    const burns = epochs.filter((b) => b.epoch!.burned > 0n);
    expect(mints.length).toBeGreaterThan(0);
    expect(burns.length).toBeGreaterThan(0);
    expect(burns[0]!.height).toBeGreaterThan(mints[0]!.height);
    expect(epochs.reduce((sum, b) => sum + b.epoch!.units, 0n)).toBe(BigInt(CALLS) * UNITS_PER_CALL);
    // Half of each mint went to the executor that served the calls, by its units.
    for (const b of mints) expect(b.minted.get(net!.executorAddress), `height ${b.height}`).toBe(b.epoch!.minted / 2n);

    // Every node ends on the same supply.
    await net!.waitForHeight(last);
    for (let i = 1; i < 4; i++)
      expect((await readLedger(net!.nodes[i]!.rpcUrl, last, last))[0]!.supply, `node${i}`).toBe(ledger.at(-1)!.supply);

    const computeMinted = mints.reduce((s, b) => s + b.epoch!.minted, 0n);
    const computeBurned = burns.reduce((s, b) => s + b.epoch!.burned, 0n);
    figures = [
      `governanceLocalnet: heights 1..${last}, plan height ${planHeight}, veto settled at ${vetoBlock.height}`,
      `  genesis ${genesis} + block rewards ${rewards} + compute minted ${computeMinted} - compute burned ${computeBurned} - vetoed deposit ${MIN_DEPOSIT} = ${ledger.at(-1)!.supply}`,
      `  compute mints ${mints.map((b) => `${b.epoch!.minted}@${b.height} (${b.epoch!.units} units)`).join(', ')}; burns ${burns.map((b) => `${b.epoch!.burned}@${b.height}`).join(', ')}`,
      `  supply at ${[1, vetoBlock.height - 1, vetoBlock.height, planHeight - 1, planHeight, last].map((h) => `${h}: ${ledger[h - 1]!.supply}`).join(', ')}`,
      '',
    ].join('\n');
    expect(ledger.at(-1)!.supply).toBe(genesis + rewards + computeMinted - computeBurned - MIN_DEPOSIT);
  });
});
