/**
 * The proof-of-stake modules through the whole app, in process, for the staking, distribution and
 * slashing app tests: genesis validators made with `addGenesisValidator`, blocks whose
 * `decided_last_commit` carries the votes of the validator set CometBFT would have (updates returned
 * at height H apply at H + 2), txs signed with test keys, and after every block the invariants
 * that no token is created or lost.
 */
import type { StakingKeeper } from '../../modules/staking/keeper.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import type { AuthKeeper } from '../../modules/auth/keeper.ts';
import type { DistributionKeeper } from '../../modules/distribution/keeper.ts';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  CheckTxType,
  type Event,
  type ExecTxResult,
  type Misbehavior,
  RequestFinalizeBlock,
  RequestInitChain,
  type ResponseFinalizeBlock,
  type ValidatorUpdate,
} from 'cosmjs-types/tendermint/abci/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { expect } from 'vitest';
import { AinApplication, type AinApplicationOptions } from '../../app/application.ts';
import { type AppState, addGenesisAccount, defaultAppState, addGenesisValidator } from '../../app/genesis.ts';
import { signTx, type TestKey, testKey } from '../helpers/tx.ts';
import { DEC_SCALE } from '../../core/decimals.ts';
import { consAddressHex, toValoper } from '../../modules/staking/address.ts';
import { BondStatus, type Validator } from '../../modules/staking/validator.ts';
import { openCommittedState, type CommittedState } from '../../tree/lmdb/index.ts';

export const CHAIN_ID = 'ain-pos-test-1';
export const DENOM = 'uain';
export const GENESIS_TIME = 1_700_000_000n;
/** Gas limit of every test tx; the fee is gas x 0.025. */
export const GAS = 400_000n;
export const FEE = (GAS * 25n) / 1000n;

export interface HarnessOptions {
  /** Self-delegation of each genesis validator, in uain (one entry per validator). */
  readonly stakes: readonly bigint[];
  /** Delegator accounts besides the operators. */
  readonly delegators?: number;
  /** Genesis balance of every account (operators and delegators). */
  readonly balance?: bigint;
  /** Commission rate of each genesis validator, decimal text (default "0.1"). */
  readonly commissionRates?: readonly string[];
  /** Seconds between blocks (default 5). */
  readonly blockSeconds?: bigint;
  /** Patches of the genesis params sections. */
  readonly staking?: Partial<NonNullable<AppState['staking']>['params']>;
  readonly distribution?: Partial<NonNullable<AppState['distribution']>['params']>;
  readonly slashing?: Partial<NonNullable<AppState['slashing']>['params']>;
  /** Options of the app (its upgrade handlers). */
  readonly app?: AinApplicationOptions;
  /** A last change of the genesis app state before InitChain (vesting accounts). */
  readonly patchGenesis?: (state: AppState) => AppState;
}

/** A deterministic ed25519-sized consensus key (never used to sign: votes are made up in process). */
export const consensusKey = (seed: string | number): Uint8Array => createHash('sha256').update(`ain-cons-key/${seed}`).digest();

/** A validator a test knows: its operator key and consensus key. */
export interface TestValidator {
  readonly operator: TestKey;
  readonly valoper: string;
  readonly consKey: Uint8Array;
  readonly consHex: string;
}

export interface BlockOptions {
  /** Consensus addresses (hex) whose vote is ABSENT from the decided last commit. */
  readonly absent?: ReadonlySet<string>;
  readonly misbehavior?: readonly Misbehavior[];
  /** Seconds since the previous block (default the harness's block time). */
  readonly seconds?: bigint;
}

export class PosHarness {
  /** The app under test; {@link PosHarness.restart} replaces it by a new one on the same store. */
  app: AinApplication;
  readonly store: CommittedState;
  readonly validators: TestValidator[];
  readonly delegators: TestKey[];
  readonly genesisSupply: bigint;
  /** Updates returned by InitChain. */
  readonly genesisUpdates: ValidatorUpdate[];
  height = 0n;
  time = GENESIS_TIME;
  /** Coins burned so far (from `burn` events). */
  burned = 0n;
  private readonly blockSeconds: bigint;
  /** CometBFT's validator set per height (consensus hex -> power). */
  private readonly setAt = new Map<bigint, Map<string, bigint>>();
  private readonly updatesAt = new Map<bigint, ValidatorUpdate[]>();
  private readonly knownAddresses = new Set<string>();
  private last: ResponseFinalizeBlock | undefined;

  constructor(
    private readonly dir: string,
    options: HarnessOptions,
  ) {
    this.blockSeconds = options.blockSeconds ?? 5n;
    this.store = openCommittedState(join(dir, 'app.lmdb'));
    this.app = new AinApplication(this.store, options.app ?? {});
    const balance = options.balance ?? 10n ** 12n;
    this.validators = options.stakes.map((_, i) => {
      const operator = testKey(`operator-${i}`);
      const consKey = consensusKey(i);
      return { operator, valoper: toValoper(operator.address), consKey, consHex: consAddressHex(consKey) };
    });
    this.delegators = Array.from({ length: options.delegators ?? 2 }, (_, i) => testKey(`delegator-${i}`));
    let state = defaultAppState();
    for (const key of [...this.validators.map((v) => v.operator), ...this.delegators]) {
      state = addGenesisAccount(state, key.address, [{ denom: DENOM, amount: balance }]);
    }
    this.genesisSupply = balance * BigInt(this.validators.length + this.delegators.length);
    state = {
      ...state,
      staking: { ...state.staking!, params: { ...state.staking!.params, ...options.staking } },
      distribution: { params: { ...state.distribution!.params, ...options.distribution } },
      slashing: { params: { ...state.slashing!.params, ...options.slashing } },
    };
    options.stakes.forEach((stake, i) => {
      state = addGenesisValidator(state, {
        operator: this.validators[i]!.operator.address,
        consensusPubkeyBase64: Buffer.from(this.validators[i]!.consKey).toString('base64'),
        selfDelegation: { denom: DENOM, amount: stake },
        moniker: `validator-${i}`,
        commissionRate: options.commissionRates?.[i] ?? '0.1',
      });
    });
    if (options.patchGenesis) state = options.patchGenesis(state);
    for (const entry of state.bank.balances) this.knownAddresses.add(entry.address);
    const response = this.app.initChain(
      RequestInitChain.fromPartial({
        chainId: CHAIN_ID,
        initialHeight: 1n,
        time: { seconds: GENESIS_TIME, nanos: 0 },
        appStateBytes: Buffer.from(JSON.stringify(state)),
      }),
    );
    this.genesisUpdates = response.validators;
    const genesisSet = applyUpdates(new Map(), response.validators);
    this.setAt.set(1n, genesisSet);
    this.setAt.set(2n, genesisSet);
  }

  /**
   * A new app on the same committed store, as a node restarted with another build (its `options`):
   * what it refuses at startup is thrown here.
   */
  restart(options: AinApplicationOptions = {}): AinApplication {
    this.app = new AinApplication(this.store, options);
    return this.app;
  }

  /** Opens a harness in a temp dir; `close()` removes it. */
  static open(options: HarnessOptions): PosHarness {
    return new PosHarness(mkdtempSync(join(tmpdir(), 'ain-pos-')), options);
  }

  async close(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** CometBFT's validator set for block `height` (consensus hex -> power). */
  validatorSet(height: bigint): Map<string, bigint> {
    const known = this.setAt.get(height);
    if (known) return known;
    const set = applyUpdates(this.validatorSet(height - 1n), this.updatesAt.get(height - 2n) ?? []);
    this.setAt.set(height, set);
    return set;
  }

  /** Finalizes and commits the next block with `txs`; votes of the previous block's set (absent as asked). */
  finalize(txs: Uint8Array[] = [], options: BlockOptions = {}): ResponseFinalizeBlock {
    // Height and time move on only once the app took the block: a refused block is delivered again.
    const height = this.height + 1n;
    const time = this.time + (options.seconds ?? this.blockSeconds);
    const previous = height > 1n ? this.validatorSet(height - 1n) : new Map<string, bigint>();
    const votes = [...previous].map(([hex, power]) => ({
      validator: { address: Buffer.from(hex, 'hex'), power },
      blockIdFlag: options.absent?.has(hex) ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
    }));
    const response = this.app.finalizeBlock(
      RequestFinalizeBlock.fromPartial({
        txs,
        height,
        time: { seconds: time, nanos: 0 },
        decidedLastCommit: { round: 0, votes },
        misbehavior: [...(options.misbehavior ?? [])],
      }),
    );
    this.height = height;
    this.time = time;
    this.app.commit();
    this.last = response;
    this.updatesAt.set(this.height, response.validatorUpdates);
    for (const events of [response.events, ...response.txResults.map((r) => r.events)]) this.noteEvents(events);
    this.checkInvariants();
    return response;
  }

  /** The response of the last block finalized. */
  lastResponse(): ResponseFinalizeBlock {
    if (!this.last) throw new Error('no block finalized yet');
    return this.last;
  }

  /** Runs `n` empty blocks (each `seconds` apart). */
  blocks(n: number, options: BlockOptions = {}): void {
    for (let i = 0; i < n; i++) this.finalize([], options);
  }

  /** Signs `messages` with `key`, checks the tx and delivers it alone in the next block (after block 1); returns its result. */
  send(key: TestKey, messages: Any[], options: BlockOptions = {}): ExecTxResult {
    // CheckTx needs a committed block (genesis is committed with block 1).
    if (this.height === 0n) this.finalize();
    const account = this.app.keeper<AuthKeeper>('auth').getAccount(this.store, key.address);
    if (!account) throw new Error(`no account ${key.address}`);
    const tx = signTx({
      key,
      messages,
      chainId: CHAIN_ID,
      accountNumber: account.accountNumber,
      sequence: account.sequence,
      gasLimit: GAS,
      fee: [{ denom: DENOM, amount: FEE.toString() }],
    });
    this.app.checkTx({ tx, type: CheckTxType.NEW });
    return this.finalize([tx], options).txResults[0]!;
  }

  /** Sends and expects success. */
  ok(key: TestKey, messages: Any[], options: BlockOptions = {}): ExecTxResult {
    const result = this.send(key, messages, options);
    expect(result.log).toBe('');
    return result;
  }

  /** An ABCI query at the latest height (or `height`), decoded; fails the test on an error code. */
  query<T>(path: string, request: Uint8Array, codec: { decode(bytes: Uint8Array): T }, height = 0n): T {
    const response = this.app.query({ path, data: request, height, prove: false });
    expect(response.log).toBe('');
    return codec.decode(response.value);
  }

  /** An ABCI query expected to fail: its codespace and code. */
  queryError(path: string, request: Uint8Array): [string, number] {
    const response = this.app.query({ path, data: request, height: 0n, prove: false });
    return [response.codespace, response.code];
  }

  balance(address: string): bigint {
    return this.app.keeper<BankKeeper>('bank').getBalance(this.store, address, DENOM);
  }

  validator(index: number): Validator {
    return this.app.keeper<StakingKeeper>('staking').requireValidator(this.store, this.validators[index]!.valoper);
  }

  /**
   * No uain created or lost: the supply is the genesis supply plus block rewards minted minus coins
   * burned, and equals the sum of all balances; the distribution account holds exactly the community
   * pool plus every validator's outstanding rewards (18-digit fixed point); the bonded pool holds the
   * bonded validators' tokens and the not-bonded pool the others' plus unbonding entries; each
   * validator's shares are the sum of its delegations'.
   */
  checkInvariants(): void {
    const { app, store } = this;
    const supply = app.keeper<BankKeeper>('bank').getSupply(store, DENOM);
    expect(supply).toBe(this.genesisSupply + app.keeper<DistributionKeeper>('distribution').minted(store) - this.burned);
    let balances = 0n;
    for (const [path, value] of store.list('/accounts', 1_000_000))
      if (path.endsWith(`/balance/${DENOM}`)) balances += BigInt(value as string);
    expect(balances).toBe(supply);

    const validators = app.keeper<StakingKeeper>('staking').validators(store);
    let owed =
      app
        .keeper<DistributionKeeper>('distribution')
        .communityPool(store)
        .find((c) => c.denom === DENOM)?.amount ?? 0n;
    for (const v of validators)
      owed +=
        app
          .keeper<DistributionKeeper>('distribution')
          .outstanding(store, v.operatorAddress)
          .find((c) => c.denom === DENOM)?.amount ?? 0n;
    expect(this.balance(app.keeper<DistributionKeeper>('distribution').moduleAddress) * DEC_SCALE).toBe(owed);

    let bonded = 0n;
    let notBonded = 0n;
    for (const v of validators) {
      if (v.status === BondStatus.BOND_STATUS_BONDED) bonded += v.tokens;
      else notBonded += v.tokens;
      const shares = app
        .keeper<StakingKeeper>('staking')
        .validatorDelegations(store, v.operatorAddress)
        .reduce((sum, d) => sum + d.shares, 0n);
      expect(shares).toBe(v.delegatorShares);
    }
    for (const address of this.knownAddresses) {
      for (const record of app.keeper<StakingKeeper>('staking').delegatorUnbondings(store, address))
        for (const e of record.entries) notBonded += e.balance;
    }
    expect(this.balance(app.keeper<StakingKeeper>('staking').bondedPool)).toBe(bonded);
    expect(this.balance(app.keeper<StakingKeeper>('staking').notBondedPool)).toBe(notBonded);
  }

  private noteEvents(events: readonly Event[]): void {
    for (const event of events) {
      if (event.type === 'coin_received') {
        const receiver = event.attributes.find((a) => a.key === 'receiver')?.value;
        if (receiver) this.knownAddresses.add(receiver);
      }
      if (event.type !== 'burn') continue;
      const amount = event.attributes.find((a) => a.key === 'amount')?.value ?? '';
      const match = new RegExp(`^([0-9]+)${DENOM}$`).exec(amount);
      if (match) this.burned += BigInt(match[1]!);
    }
  }
}

/** A protobuf message as an Any, for `send` (the helper every test uses). */
export { anyOf } from '../helpers/tx.ts';

/** [codespace, code] of a tx result. */
export const codeOf = (result: ExecTxResult): [string, number] => [result.codespace, result.code];

/** The value of an attribute of the first event of `type` in a result. */
export function attribute(events: readonly Event[], type: string, key: string): string | undefined {
  return events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;
}

function applyUpdates(set: ReadonlyMap<string, bigint>, updates: readonly ValidatorUpdate[]): Map<string, bigint> {
  const next = new Map(set);
  for (const update of updates) {
    const hex = consAddressHex(update.pubKey.ed25519!);
    if (update.power === 0n) next.delete(hex);
    else next.set(hex, update.power);
  }
  return next;
}
