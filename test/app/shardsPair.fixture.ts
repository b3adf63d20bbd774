/**
 * A parent chain with one child branched off it, in process (`shardsHarness.fixture.ts`): the parent
 * starts with funded keys and the app `chat` (alice its admin); alice branches `/apps/chat` to the
 * child `ain-chat-1` (two validators of power 100) and the child starts from the genesis
 * `aind shard init` would write for that registration, whose hash the branch recorded. Helpers
 * report either chain's headers on the other, as a relayer would. No vitest here: the benchmark
 * uses it too (`shardsChecks.fixture.ts` holds the assertions).
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { addGenesisAccount, type AppState, defaultAppState } from '../../app/genesis.ts';
import { moduleAddress } from '../../core/address.ts';
import { childGenesisDoc, genesisHash, shardOfBranch } from '../../app/shardGenesis.ts';
import { voucherDenom } from '../../modules/shards/index.ts';
import { MsgBranch, MsgReport } from '../../proto/gen/ain/shards/v1/tx.ts';
import { testKey, type TestKey } from '../helpers/tx.ts';
import {
  type Chain,
  type ConsensusKey,
  consensusKey,
  setOf,
  signedHeaderBytes,
  startChain,
  validatorSetBytes,
} from './shardsHarness.fixture.ts';

export const T0 = 1_700_000_000n;
export const PARENT_ID = 'ain-parent-1';
export const CHILD_ID = 'ain-chat-1';
export const SHARD = 'chat';
export const VOUCHER = voucherDenom(PARENT_ID);
export const BALANCE = 1_000_000_000n;
export const REPORT_FEE = 100n;
export const DEPOSIT = 1_000_000n;
export const ESCROW = moduleAddress('shards');

export const keys = {
  alice: testKey('shards-alice'),
  bob: testKey('shards-bob'),
  carl: testKey('shards-carl'),
  relayer: testKey('shards-relayer'),
  op1: testKey('shards-child-op1'),
  op2: testKey('shards-child-op2'),
};
export const parentKeys = [consensusKey('parent-v1')];
export const childKeys = [consensusKey('child-v1'), consensusKey('child-v2')];

export const any = <T>(
  codec: { $type: string; encode(m: T): { finish(): Uint8Array }; fromPartial(m: object): T },
  message: object,
): Any => ({
  typeUrl: `/${codec.$type}`,
  value: codec.encode(codec.fromPartial(message)).finish(),
});

export const TRUST = { trustingPeriodSeconds: 3600n, trustNumerator: 1n, trustDenominator: 3n, maxClockDriftSeconds: 10n };

/** The branch alice sends for `chat` (fields overridable), its genesis hash computed as the CLI does. */
export function branchMsg(fields: Partial<MsgBranch> = {}, validators: readonly ConsensusKey[] = childKeys): MsgBranch {
  const operators = validators.map((_, i) => (i === 0 ? keys.op1 : i === 1 ? keys.op2 : testKey(`shards-child-op${i + 1}`)));
  const msg = MsgBranch.fromPartial({
    signer: keys.alice.address,
    name: SHARD,
    chainId: CHILD_ID,
    genesisTime: T0,
    validators: validators.map((k, i) => ({ pubKey: k.pubKey, power: k.power, operator: operators[i]!.address })),
    // The child's own uain, for its fees: not the parent's (those arrive as the voucher).
    accounts: [keys.alice, keys.bob, keys.carl, keys.relayer].map((k) => ({ address: k.address, amount: BALANCE.toString() })),
    trust: TRUST,
    consensus: { blockTimeMs: 1000n, maxBlockBytes: 1_048_576n },
    reportFee: REPORT_FEE.toString(),
    deposit: DEPOSIT.toString(),
    parentValidators: validatorSetBytes(setOf(parentKeys)),
    ...fields,
  });
  return { ...msg, genesisHash: fields.genesisHash ?? genesisHash(childGenesisDoc(shardOfBranch(msg, PARENT_ID))) };
}

export interface Pair {
  readonly parent: Chain;
  readonly child: Chain;
  /** Reports the child's header `h` on the parent (validator sets only when given). */
  reportChild(h: bigint, sets?: { validators?: boolean; next?: boolean }, key?: TestKey): ExecTxResult;
  /** Reports the parent's header `h` on the child. */
  reportParent(h: bigint): ExecTxResult;
  /** Both chains one block on, each with its txs. */
  close(): Promise<void>;
}

/**
 * The parent with `chat`, alice's branch of it, and the child started from the branch's genesis;
 * `twins` gives each chain a twin and a reference app (`startChain`); `parentState` changes the
 * parent's genesis (a staked validator and gov params, for tests that pass proposals).
 */
export function startPair(
  branch: MsgBranch = branchMsg(),
  validators: readonly ConsensusKey[] = childKeys,
  options: { twins?: boolean; parentState?: (state: AppState) => AppState } = {},
): Pair {
  let state = defaultAppState();
  for (const key of [keys.alice, keys.bob, keys.carl, keys.relayer])
    state = addGenesisAccount(state, key.address, [{ denom: 'uain', amount: BALANCE }]);
  state = {
    ...state,
    state: {
      apps: [
        { name: SHARD, admins: [keys.alice.address], public: false },
        { name: 'mirror', admins: [keys.alice.address], public: false },
      ],
    },
  };
  if (options.parentState) state = options.parentState(state);
  const parent = startChain(PARENT_ID, state, parentKeys, T0 - 1n, options);
  const branched = parent.send(keys.alice, [any(MsgBranch, branch)]);
  if (branched.code !== 0) throw new Error(`branch refused: ${branched.codespace}/${branched.code} ${branched.log}`);
  const doc = childGenesisDoc(shardOfBranch(branch, PARENT_ID));
  if (genesisHash(doc) !== branch.genesisHash) throw new Error('the child genesis does not hash to the registered genesis hash');
  const child = startChain(CHILD_ID, doc.app_state!, validators, T0, options);
  return {
    parent,
    child,
    reportChild(h, sets = {}, key = keys.relayer) {
      return parent.send(key, [
        any(MsgReport, {
          signer: key.address,
          shard: SHARD,
          signedHeader: signedHeaderBytes(child.signedHeader(h)),
          validators: sets.validators ? validatorSetBytes(child.validatorSet(h)) : new Uint8Array(),
          nextValidators: sets.next ? validatorSetBytes(child.validatorSet(h + 1n)) : new Uint8Array(),
        }),
      ]);
    },
    reportParent(h) {
      return child.send(keys.relayer, [
        any(MsgReport, { signer: keys.relayer.address, shard: 'parent', signedHeader: signedHeaderBytes(parent.signedHeader(h)) }),
      ]);
    },
    async close() {
      await parent.close();
      await child.close();
    },
  };
}
