/**
 * Governance recovers a link, through the whole app in process: the parent (with one staked validator
 * that votes, and a 600 s voting period) leaves its child unreported for longer than the trusting
 * period (an hour), so every report is refused with lightclient/8; a passed proposal carrying
 * MsgRecoverLink with a fresh child header makes it the trusted state, and reports, proofs and the
 * packet left in flight work again, while the headers from before the recovery are superseded (a
 * proof at their heights is shards/10) and pruned by the next report. Refused: an authority other
 * than the gov module account (gov/13, directly or in a proposal), and in a passed proposal (which
 * then fails and changes nothing) a header at or below the latest trusted height, of another chain,
 * with a set that does not hash to the header's, with too few signatures, or for a link reports still
 * update. A frozen link is recovered and unfrozen.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { QueryProposalRequest, QueryProposalResponse } from 'cosmjs-types/cosmos/gov/v1/query';
import { MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import { type ExecTxResult, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { addGenesisValidator, type AppState } from '../../app/genesis.ts';
import { govAuthority } from '../../core/index.ts';
import { childRoot, PARENT_ROOT, receiptPath } from '../../modules/shards/index.ts';
import { MsgProveValue, MsgRecoverLink, MsgReport, MsgTimeout, MsgTransfer } from '../../proto/gen/ain/shards/v1/tx.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';
import { consensusKey, setOf, signedHeaderBytes, validatorSetBytes } from './shardsHarness.fixture.ts';
import { any, branchMsg, childKeys, keys, type Pair, PARENT_ID, parentKeys, SHARD, startPair, T0 } from './shardsPair.fixture.ts';
import { code, ok } from './shardsChecks.fixture.ts';

const { bob, carl, relayer } = keys;
const GOV = govAuthority();
const ROOT = childRoot(SHARD);
const VOTING_SECONDS = 600n;

/** carl runs the parent's one validator (so his vote passes a proposal); proposals vote for 600 s. */
const withGov = (state: AppState): AppState =>
  ({
    ...addGenesisValidator(state, {
      operator: carl.address,
      consensusPubkeyBase64: Buffer.from(parentKeys[0]!.pubKey).toString('base64'),
      selfDelegation: { denom: 'uain', amount: 100_000_000n },
      moniker: 'parent-v1',
      commissionRate: '0.1',
    }),
    gov: { params: { voting_period: VOTING_SECONDS.toString() } },
  }) as AppState;

const cosmos = <T>(
  codec: { typeUrl: string; encode(m: T): { finish(): Uint8Array }; fromPartial(m: object): T },
  message: object,
): Any => ({
  typeUrl: codec.typeUrl,
  value: codec.encode(codec.fromPartial(message)).finish(),
});

const held = (pair: Pair): bigint[] =>
  pair.parent.store.list(`${ROOT}/headers`, 100).map(([path]) => BigInt(path.slice(path.lastIndexOf('/') + 1)));
const client = (pair: Pair) => JSON.parse(pair.parent.get(`${ROOT}/client`) as string) as { height: string; headerHash: string };

/** MsgRecoverLink for the child's header `h` (fields overridable). */
function recovery(pair: Pair, h: bigint, fields: Partial<MsgRecoverLink> = {}): Any {
  return any(MsgRecoverLink, {
    authority: GOV,
    shard: SHARD,
    signedHeader: signedHeaderBytes(pair.child.signedHeader(h)),
    validators: validatorSetBytes(pair.child.validatorSet(h)),
    ...fields,
  });
}

/** bob submits a proposal of `messages` and carl votes yes; returns its id (it settles 600 s on). */
function propose(pair: Pair, messages: Any[]): bigint {
  const submitted = ok(
    pair.parent.send(bob, [
      cosmos(MsgSubmitProposal, {
        proposer: bob.address,
        messages,
        initialDeposit: [{ denom: 'uain', amount: '10000000' }],
        metadata: '',
        title: 'Recover chat',
        summary: 'Trust a fresh header of ain-chat-1',
      }),
    ]),
  );
  const event = submitted.events.find((e) => e.type === 'submit_proposal')!;
  const id = BigInt(event.attributes.find((a) => a.key === 'proposal_id')!.value);
  ok(pair.parent.send(carl, [cosmos(MsgVote, { proposalId: id, voter: carl.address, option: VoteOption.VOTE_OPTION_YES, metadata: '' })]));
  return id;
}

const proposal = (pair: Pair, id: bigint) =>
  pair.parent.query('/cosmos.gov.v1.Query/Proposal', QueryProposalRequest.encode({ proposalId: id }).finish(), QueryProposalResponse.decode)
    .proposal!;

/** Moves the parent's clock to the child's header `h` (the report's block is a second later), then reports it. */
function reportInStep(pair: Pair, h: bigint): ExecTxResult {
  const behind = pair.child.header(h).time.seconds - pair.parent.time();
  if (behind > 0n) pair.parent.block([], behind);
  return pair.reportChild(h);
}

function proveBalance(pair: Pair, height: bigint): ExecTxResult {
  const path = `/accounts/${bob.address}/balance/uain`;
  const leaf = pair.child.prove(path, height);
  return pair.parent.send(relayer, [
    any(MsgProveValue, { signer: relayer.address, shard: SHARD, height, path, value: leaf.value, proof: leaf.proof }),
  ]);
}

describe('governance recovers a link', () => {
  let pair: Pair;
  afterEach(async () => {
    await pair.close();
  });

  it('an expired link: refused recoveries fail their proposal and change nothing; a fresh header restores reports, proofs and packets', async () => {
    pair = startPair(branchMsg(), childKeys, { parentState: withGov });
    for (let i = 0; i < 3; i++) pair.child.block([]);
    for (let h = 1n; h <= 3n; h++) ok(reportInStep(pair, h));
    // A packet in flight to the child, never received there: after the recovery it times out.
    ok(
      pair.parent.send(bob, [
        any(MsgTransfer, { signer: bob.address, shard: SHARD, receiver: bob.address, amount: '5000', timeoutHeight: 6n }),
      ]),
    );

    // Nobody reports for more than the trusting period (3600 s): the trusted header 3 expires.
    pair.parent.block([], 3700n);
    pair.child.block([], 3700n);
    for (let i = 0; i < 3; i++) pair.child.block([]);
    const expired = pair.reportChild(5n);
    expect(code(expired)).toBe('lightclient/8');
    // Until recovered, a proof at a held header still verifies (state height 2, header 3).
    ok(proveBalance(pair, 2n));

    // Not the gov authority: refused before any state is read, directly or in a proposal.
    const direct = pair.parent.send(bob, [recovery(pair, 8n, { authority: bob.address })]);
    expect(code(direct)).toBe('gov/13');
    expect(direct.log).toContain(`invalid authority; expected ${GOV}, got ${bob.address}`);
    const proposedByBob = pair.parent.send(bob, [
      cosmos(MsgSubmitProposal, {
        proposer: bob.address,
        messages: [recovery(pair, 8n, { authority: bob.address })],
        initialDeposit: [{ denom: 'uain', amount: '10000000' }],
        metadata: '',
        title: 'x',
        summary: 'x',
      }),
    ]);
    expect(proposedByBob.code).not.toBe(0);
    expect(proposedByBob.log).toContain('invalid authority');

    // Passed proposals whose recovery is refused fail, naming the field and the expected value.
    const stranger = [consensusKey('stranger-1'), consensusKey('stranger-2')];
    const refusals: Array<[Any, string]> = [
      [recovery(pair, 3n), 'signed_header.header.height: expected above 3, the latest height shard chat trusts, got 3'],
      [recovery(pair, 2n), 'signed_header.header.height: expected above 3'],
      [
        recovery(pair, 8n, { signedHeader: signedHeaderBytes(pair.child.signedHeader(8n, { change: { chainId: 'ain-other-1' } })) }),
        "signed_header.header.chain_id: expected ain-chat-1, the link's, got ain-other-1",
      ],
      [recovery(pair, 8n, { validators: validatorSetBytes(setOf(stranger)) }), 'validators: hash'],
      [recovery(pair, 8n, { signedHeader: signedHeaderBytes(pair.child.signedHeader(8n, { signed: 1 })) }), '2/3'],
    ];
    const failing = refusals.map(([message]) => propose(pair, [message]));
    const recovering = propose(pair, [recovery(pair, 8n)]);
    const before = client(pair);
    const settled = pair.parent.block([], VOTING_SECONDS);
    refusals.forEach(([, reason], i) => {
      const failed = proposal(pair, failing[i]!);
      expect(failed.status, failed.failedReason).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
      expect(failed.failedReason).toContain(reason);
    });
    expect(proposal(pair, recovering).status, proposal(pair, recovering).failedReason).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);

    // The link trusts header 8 now; the headers before it are held until reports prune them.
    expect(before.height).toBe('3');
    expect(client(pair).height).toBe('8');
    expect(pair.parent.get(`${ROOT}/recovered_from`)).toBe('8');
    expect(held(pair)).toEqual([1n, 2n, 3n, 8n]);
    const event = settled.events.find((e) => e.type === 'ain.shards.v1.EventLinkRecovered');
    expect(event && Object.fromEntries(event.attributes.map((a) => [a.key, a.value]))).toMatchObject({
      shard: SHARD,
      height: '8',
      previous_height: '3',
      unfrozen: 'false',
    });

    // A proof at a height from before the recovery is superseded; at the recovery header it verifies.
    const superseded = proveBalance(pair, 2n);
    expect(code(superseded)).toBe('shards/10');
    expect(superseded.log).toContain('is superseded: governance recovered the link at header 8');
    ok(proveBalance(pair, 7n));

    // Reports go on from header 8 and prune the superseded headers whatever their time.
    pair.child.block([]);
    const reported = ok(reportInStep(pair, 9n));
    expect(reported.events.some((e) => e.type === 'ain.shards.v1.EventHeadersPruned')).toBe(true);
    expect(held(pair)).toEqual([8n, 9n]);
    // A conflicting header at a superseded height is no evidence: stale, nothing frozen.
    const conflicting = pair.child.signedHeader(3n, { change: { appHash: new Uint8Array(32).fill(9) } });
    expect(
      code(
        pair.parent.send(relayer, [
          any(MsgReport, { signer: relayer.address, shard: SHARD, signedHeader: signedHeaderBytes(conflicting) }),
        ]),
      ),
    ).toBe('shards/8');
    expect(pair.parent.get(`${ROOT}/frozen`)).toBeUndefined();

    // The packet sent before the expiry times out with a proof at a height after the recovery.
    const absence = pair.child.prove(receiptPath(PARENT_ROOT, 1n), 8n);
    expect(absence.value).toBe('null');
    const bobBefore = pair.parent.balance(bob.address);
    ok(
      pair.parent.send(relayer, [
        any(MsgTimeout, { signer: relayer.address, shard: SHARD, sequence: 1n, proofHeight: 8n, proof: absence.proof }),
      ]),
    );
    expect(pair.parent.balance(bob.address)).toBe(bobBefore + 5000n);
    expect(pair.parent.get(`${ROOT}/out/packets/${'1'.padStart(20, '0')}`)).toBeUndefined();

    // The export (with recovered_from) imports with the same app hash; a recovery height above the trusted one is refused.
    const exported = pair.parent.app.exportGenesis() as { shards: { leaves: Record<string, unknown> } };
    expect(await initChain(exported, pair.parent.height() + 1n)).toBe(Buffer.from(pair.parent.store.appHash).toString('hex'));
    exported.shards.leaves[`${ROOT}/recovered_from`] = '10';
    await expect(initChain(exported, pair.parent.height() + 1n)).rejects.toThrow(
      `"${ROOT}/recovered_from"] is 10; expected a height from 1 to the trusted height 9`,
    );
  });

  it('a frozen link is recovered and unfrozen; a link reports still update is not recovered', () => {
    pair = startPair(branchMsg(), childKeys, { parentState: withGov });
    for (let i = 0; i < 4; i++) pair.child.block([]);
    for (let h = 1n; h <= 3n; h++) ok(reportInStep(pair, h));

    const active = propose(pair, [recovery(pair, 5n)]);
    pair.parent.block([], VOTING_SECONDS);
    expect(proposal(pair, active).failedReason).toContain('shard chat is neither frozen nor past its trusting period');
    expect(client(pair).height).toBe('3');

    // A second valid header at stored height 3 freezes the link.
    const conflicting = pair.child.signedHeader(3n, { change: { appHash: new Uint8Array(32).fill(9) } });
    ok(
      pair.parent.send(relayer, [any(MsgReport, { signer: relayer.address, shard: SHARD, signedHeader: signedHeaderBytes(conflicting) })]),
    );
    expect(pair.parent.get(`${ROOT}/frozen`)).toBeDefined();
    expect(code(pair.reportChild(4n))).toBe('shards/6');

    for (let i = 0; i < 3; i++) pair.child.block([]);
    const h = pair.child.height();
    const recovering = propose(pair, [recovery(pair, h)]);
    const settled = pair.parent.block([], VOTING_SECONDS);
    expect(proposal(pair, recovering).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(pair.parent.get(`${ROOT}/frozen`)).toBeUndefined();
    expect(client(pair).height).toBe(h.toString());
    const event = settled.events.find((e) => e.type === 'ain.shards.v1.EventLinkRecovered')!;
    expect(event.attributes.find((a) => a.key === 'unfrozen')!.value).toBe('true');
    // Stored, unexpired headers 1-3 are superseded: pruned by the next report.
    pair.child.block([]);
    ok(reportInStep(pair, h + 1n));
    expect(held(pair)).toEqual([h, h + 1n]);
    ok(proveBalance(pair, h));
  });
});

/** The app hash of a fresh parent app started from an export (hex). */
async function initChain(exported: unknown, initialHeight: bigint): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ain-shards-recovered-'));
  const store = openCommittedState(join(dir, 'app.lmdb'));
  try {
    const init = new AinApplication(store).initChain(
      RequestInitChain.fromPartial({
        chainId: PARENT_ID,
        initialHeight,
        time: { seconds: T0, nanos: 0 },
        appStateBytes: Buffer.from(JSON.stringify(exported)),
      }),
    );
    return Buffer.from(init.appHash).toString('hex');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
