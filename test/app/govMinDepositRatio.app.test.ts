/**
 * The SDK v0.50's `min_deposit_ratio` through the whole app, in process: with a ratio set (in genesis or
 * by a passed MsgUpdateParams) a deposit or initial deposit below `min_deposit x ratio` (the expedited
 * minimum for an expedited proposal) is refused and changes nothing, one of exactly that amount is
 * taken; at the default ratio 0 a deposit of 1uain is taken as before; ratios outside [0, 1] are
 * refused in genesis and in MsgUpdateParams; the params query, its REST route and a genesis export
 * carry the ratio, and a genesis without it reads 0.
 */
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import {
  QueryParamsRequest as GovParamsRequest,
  QueryParamsResponse as GovParamsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
} from 'cosmjs-types/cosmos/gov/v1/query';
import { MsgDeposit, MsgSubmitProposal, MsgUpdateParams as GovMsgUpdateParams, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { afterEach, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { type AppState, validateAppState } from '../../app/index.ts';
import { govAuthority, type RestContext, type RestRequest } from '../../core/index.ts';
import { defaultGovParams, govParamsToProto } from '../../modules/gov/index.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';
import type { TestKey } from '../helpers/tx.ts';
import { anyOf, attribute, CHAIN_ID, codeOf, DENOM, FEE, GENESIS_TIME, PosHarness } from './posHarness.fixture.ts';

const AIN = 1_000_000n;
/** The default min_deposit (10 AIN) x 0.01: the least one deposit may bring. */
const MINIMUM = 100_000n;
/** The default expedited_min_deposit (50 AIN) x 0.01. */
const EXPEDITED_MINIMUM = 500_000n;
const VOTING = defaultGovParams().votingPeriod;
const GOV = govAuthority();

let h: PosHarness;
afterEach(async () => {
  await h.close();
});

const open = (params?: Record<string, string>) =>
  PosHarness.open({ stakes: [100n * AIN], ...(params ? { patchGenesis: (state: AppState) => ({ ...state, gov: { params } }) } : {}) });
const coins = (amount: bigint | undefined) => (amount === undefined ? [] : [{ denom: DENOM, amount: amount.toString() }]);
const submit = (proposer: string, deposit: bigint | undefined, expedited = false, messages: Any[] = []) =>
  anyOf(MsgSubmitProposal, {
    proposer,
    messages,
    initialDeposit: coins(deposit),
    metadata: '',
    title: 'Signal',
    summary: 'A text proposal',
    expedited,
  });
const deposit = (depositor: string, id: bigint, amount: bigint) => anyOf(MsgDeposit, { proposalId: id, depositor, amount: coins(amount) });
const proposal = (id: bigint) =>
  h.query('/cosmos.gov.v1.Query/Proposal', QueryProposalRequest.encode({ proposalId: id }).finish(), QueryProposalResponse).proposal!;
const govParams = () =>
  h.query('/cosmos.gov.v1.Query/Params', GovParamsRequest.encode({ paramsType: '' }).finish(), GovParamsResponse).params!;
const proposalId = (events: Parameters<typeof attribute>[0]) => BigInt(attribute(events, 'submit_proposal', 'proposal_id')!);

/** Sends a tx expected to be refused; checks that it took the fee and nothing else. */
function refused(key: TestKey, message: Any): { code: [string, number]; log: string } {
  const [balance, held] = [h.balance(key.address), h.balance(GOV)];
  const result = h.send(key, [message]);
  expect(h.balance(key.address)).toBe(balance - FEE);
  expect(h.balance(GOV)).toBe(held);
  return { code: codeOf(result), log: result.log };
}

describe('gov app: min_deposit_ratio', () => {
  it('with a ratio of 0.01, refuses a deposit or initial deposit below min_deposit x 0.01 and takes one of exactly that', () => {
    h = open({ min_deposit_ratio: '0.01' });
    h.finalize();
    const [proposer, depositor] = h.delegators as [TestKey, TestKey];
    expect(govParams().minDepositRatio).toBe('0.010000000000000000');
    const small = refused(proposer, submit(proposer.address, MINIMUM - 1n));
    expect(small.code).toEqual(['gov', 16]);
    expect(small.log).toBe(
      'initial_deposit 99999uain is below the minimum per deposit: at least 100000uain is required ' +
        '(min_deposit 10000000uain x min_deposit_ratio 0.01): minimum deposit is too small',
    );
    // As the SDK, which passes every initial deposit through AddDeposit: none at all is below the minimum too.
    expect(refused(proposer, submit(proposer.address, undefined)).log).toMatch(
      /^initial_deposit \(none\) is below the minimum per deposit: at least 100000uain is required/,
    );
    const id = proposalId(h.ok(proposer, [submit(proposer.address, MINIMUM)]).events);
    expect(id).toBe(1n);
    expect(proposal(id).totalDeposit).toEqual(coins(MINIMUM));
    const dust = refused(depositor, deposit(depositor.address, id, MINIMUM - 1n));
    expect(dust.code).toEqual(['gov', 16]);
    expect(dust.log).toMatch(/^amount 99999uain is below the minimum per deposit: at least 100000uain is required/);
    h.ok(depositor, [deposit(depositor.address, id, MINIMUM)]);
    expect(proposal(id).totalDeposit).toEqual(coins(2n * MINIMUM));
    expect(h.balance(GOV)).toBe(2n * MINIMUM);
    // In the voting period too (the SDK checks every deposit while deposits are taken).
    h.ok(depositor, [deposit(depositor.address, id, 10n * AIN)]);
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(refused(depositor, deposit(depositor.address, id, MINIMUM - 1n)).code).toEqual(['gov', 16]);
  });

  it("measures an expedited proposal's deposits against expedited_min_deposit x the ratio", () => {
    h = open({ min_deposit_ratio: '0.01' });
    h.finalize();
    const [proposer, depositor] = h.delegators as [TestKey, TestKey];
    expect(refused(proposer, submit(proposer.address, MINIMUM, true)).log).toBe(
      'initial_deposit 100000uain is below the minimum per deposit: at least 500000uain is required ' +
        '(expedited_min_deposit 50000000uain x min_deposit_ratio 0.01): minimum deposit is too small',
    );
    const id = proposalId(h.ok(proposer, [submit(proposer.address, EXPEDITED_MINIMUM, true)]).events);
    expect(refused(depositor, deposit(depositor.address, id, EXPEDITED_MINIMUM - 1n)).code).toEqual(['gov', 16]);
    h.ok(depositor, [deposit(depositor.address, id, EXPEDITED_MINIMUM)]);
    expect(proposal(id).totalDeposit).toEqual(coins(2n * EXPEDITED_MINIMUM));
  });

  it('at the default ratio 0 takes dust, as before the param existed; the query and its REST route print it; no leaf is stored', async () => {
    h = open();
    h.finalize();
    const [proposer, depositor] = h.delegators as [TestKey, TestKey];
    const id = proposalId(h.ok(proposer, [submit(proposer.address, 1n)]).events);
    h.ok(depositor, [deposit(depositor.address, id, 1n)]);
    const noDeposit = proposalId(h.ok(proposer, [submit(proposer.address, undefined)]).events);
    expect([proposal(id).totalDeposit, proposal(noDeposit).totalDeposit]).toEqual([coins(2n), []]);
    expect(govParams().minDepositRatio).toBe('0.000000000000000000');
    const context: RestContext = {
      query: (path, data) => h.app.query({ path, data, height: 0n, prove: false }),
      comet: () => Promise.reject(new Error('no CometBFT here')),
      anyTypes: h.app.modules.anyTypes,
      appVersion: 'test',
    };
    const route = h.app.modules.restRoutes.find((r) => r.path === '/cosmos/gov/v1/params/{params_type}')!;
    const request: RestRequest = { params: ['deposit'], searchParams: new URLSearchParams(), body: undefined, height: undefined };
    const body = (await route.handler(context, request)).body as { params: Record<string, unknown> };
    expect(body.params).toMatchObject({ min_deposit_ratio: '0.000000000000000000', min_deposit: [{ denom: DENOM, amount: '10000000' }] });
    const leaves = (h.app.exportGenesis()['gov'] as { leaves: Record<string, string> }).leaves;
    expect(Object.keys(leaves).filter((path) => path.startsWith('/params/gov/'))).toEqual([]);
  });

  it('governance sets the ratio (a ratio outside [0, 1] is refused naming the field); an export carries it and restarts with the same app hash', async () => {
    h = open();
    h.finalize();
    const [proposer, depositor] = h.delegators as [TestKey, TestKey];
    const proto = govParamsToProto(defaultGovParams());
    const update = (minDepositRatio: string) => [anyOf(GovMsgUpdateParams, { authority: GOV, params: { ...proto, minDepositRatio } })];
    const tooLarge = h.send(proposer, [submit(proposer.address, 10n * AIN, false, update('1.01'))]);
    expect(codeOf(tooLarge)).toEqual(['gov', 12]);
    expect(tooLarge.log).toMatch(/params\.min_deposit_ratio 1\.01 must be in \[0, 1\]/);
    const negative = h.send(proposer, [submit(proposer.address, 10n * AIN, false, update('-0.01'))]);
    expect(codeOf(negative)).toEqual(['gov', 12]);
    expect(negative.log).toMatch(/params\.min_deposit_ratio "-0\.01" is not a decimal/);
    const id = proposalId(h.ok(proposer, [submit(proposer.address, 10n * AIN, false, update('0.25'))]).events);
    h.ok(h.validators[0]!.operator, [
      anyOf(MsgVote, { proposalId: id, voter: h.validators[0]!.operator.address, option: VoteOption.VOTE_OPTION_YES, metadata: '' }),
    ]);
    h.finalize([], { seconds: VOTING });
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(govParams().minDepositRatio).toBe('0.250000000000000000');
    // 10 AIN x 0.25: 2.5 AIN per deposit now.
    expect(refused(proposer, submit(proposer.address, 2_499_999n)).code).toEqual(['gov', 16]);
    const next = proposalId(h.ok(proposer, [submit(proposer.address, 2_500_000n)]).events);
    expect(refused(depositor, deposit(depositor.address, next, 1n)).log).toMatch(
      /^amount 1uain is below the minimum per deposit: at least 2500000uain/,
    );
    const appState = h.app.exportGenesis();
    expect((appState['gov'] as { leaves: Record<string, string> }).leaves['/params/gov/min_deposit_ratio']).toBe('0.25');
    const start = { chainId: CHAIN_ID, height: h.height + 1n, blockTimeSeconds: GENESIS_TIME };
    expect(validateAppState(appState as unknown as AppState, false, start)).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'ain-gov-min-deposit-ratio-'));
    const store = openCommittedState(join(dir, 'app.lmdb'));
    try {
      const restarted = new AinApplication(store);
      const answer = restarted.initChain(
        RequestInitChain.fromPartial({
          chainId: CHAIN_ID,
          initialHeight: h.height + 1n,
          time: { seconds: GENESIS_TIME, nanos: 0 },
          appStateBytes: Buffer.from(JSON.stringify(appState)),
        }),
      );
      expect(Buffer.from(answer.appHash).toString('hex')).toBe(Buffer.from(h.lastResponse().appHash).toString('hex'));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('genesis refuses a ratio outside [0, 1], naming the field', () => {
    expect(() => open({ min_deposit_ratio: '1.5' })).toThrow(/gov\.params\.min_deposit_ratio 1\.5 must be in \[0, 1\]/);
    expect(() => open({ min_deposit_ratio: '-1' })).toThrow(/gov\.params\.min_deposit_ratio "-1" is not a decimal/);
    h = open({ min_deposit_ratio: '1' });
    h.finalize();
    // A ratio of 1: each deposit must bring the whole minimum deposit.
    expect(refused(h.delegators[0]!, submit(h.delegators[0]!.address, 10n * AIN - 1n)).code).toEqual(['gov', 16]);
  });
});
