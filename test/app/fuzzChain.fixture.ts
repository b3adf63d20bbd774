/**
 * Three in-process apps on their own lmdb stores for the tx fuzz tests, all from one genesis (four
 * funded keys, the first a validator): `main` sees every tx in CheckTx, then the block; `twin` gets
 * the same blocks and no CheckTx, so its results and app hash must equal main's (determinism, and
 * no state kept from CheckTx); `reference` gets each block with every failed tx replaced by one that
 * only pays the same fee and uses the same sequence (or left out when main's sequence did not move),
 * so its app hash must equal main's: a failed tx changes nothing but its fee and sequence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  CheckTxType,
  type ExecTxResult,
  RequestFinalizeBlock,
  RequestInitChain,
  type ResponseCheckTx,
  type ResponseFinalizeBlock,
} from 'cosmjs-types/tendermint/abci/types';
import { expect } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { type AppState, addGenesisAccount, addGenesisValidator, defaultAppState } from '../../app/genesis.ts';
import { ErrPanic, moduleAddress, registeredError } from '../../core/index.ts';
import type { AuthKeeper } from '../../modules/auth/keeper.ts';
import { consAddressHex, toValoper } from '../../modules/staking/address.ts';
import { type CommittedState, openCommittedState } from '../../tree/lmdb/index.ts';
import { sendMsg, signTx, type TestKey, testKey } from '../helpers/tx.ts';

export const CHAIN_ID = 'ain-fuzz-1';
export const GENESIS_TIME = 1_700_000_000n;
/** Seconds between blocks by default: with neither `advanceTime` nor another step, block h has time GENESIS_TIME + BLOCK_SECONDS x h. */
export const BLOCK_SECONDS = 5n;
/** Gas limit of the fuzz txs; the fee is gas x 0.025 uain, the minimum price. */
export const GAS = 2_000_000n;
export const FEE = (GAS * 25n) / 1000n;

/** What a response to a failed tx must carry: a registered (codespace, code) that is not a panic, and a log. */
export function expectClassified(response: Pick<ExecTxResult | ResponseCheckTx, 'code' | 'codespace' | 'log'>, what: string): void {
  if (response.code === 0) return;
  const known = registeredError(response.codespace, response.code);
  expect(known, `${what}: unregistered error ${response.codespace}/${response.code}: ${response.log}`).toBeDefined();
  expect(`${response.codespace}/${response.code}`, `${what}: ${response.log}`).not.toBe(`${ErrPanic.codespace}/${ErrPanic.code}`);
  expect(response.log, what).not.toBe('');
}

interface Node {
  readonly dir: string;
  readonly store: CommittedState;
  readonly app: AinApplication;
}

function openNode(genesis: object): Node {
  const dir = mkdtempSync(join(tmpdir(), 'ain-fuzz-'));
  const store = openCommittedState(join(dir, 'app.lmdb'));
  const app = new AinApplication(store);
  app.initChain(
    RequestInitChain.fromPartial({
      chainId: CHAIN_ID,
      initialHeight: 1n,
      time: { seconds: GENESIS_TIME, nanos: 0 },
      appStateBytes: Buffer.from(JSON.stringify(genesis)),
    }),
  );
  return { dir, store, app };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const VALIDATOR_PUBKEY = Buffer.alloc(32, 7);
/** The genesis validator's vote: its consensus address, its power (10^10 uain self-delegated, 10^6 a power unit). */
const VALIDATOR_VOTE = {
  validator: { address: Buffer.from(consAddressHex(VALIDATOR_PUBKEY), 'hex'), power: 10_000n },
  blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
};

export class FuzzChain {
  readonly keys: TestKey[];
  readonly main: Node;
  private readonly twin: Node;
  private readonly reference: Node;
  height = 0n;
  /** Block time of the last block, in seconds (`advanceTime` moves it on). */
  time = GENESIS_TIME;
  /** Main's response to the last block (its tx results and block events). */
  lastBlock: ResponseFinalizeBlock | undefined;
  private readonly votes: boolean;

  /**
   * `govVotingSeconds`: a short voting period, so a proposal passes within a few blocks; `keyCount`:
   * funded keys (default 4); `sections`: more `app_state` sections (e.g. a module's params);
   * `patchGenesis` changes the genesis app state last (e.g. makes some keys vesting accounts);
   * `votes`: from block 2 on, the validator's vote on the last block (as CometBFT would pass it), so
   * distribution mints the block reward and sweeps the fee collector at each end of block.
   */
  constructor(
    options: {
      govVotingSeconds?: number;
      keyCount?: number;
      sections?: Record<string, unknown>;
      patchGenesis?: (state: AppState) => AppState;
      votes?: boolean;
    } = {},
  ) {
    this.votes = options.votes ?? false;
    this.keys = Array.from({ length: options.keyCount ?? 4 }, (_, i) => testKey(`fuzz-${i}`));
    let genesis = defaultAppState();
    for (const key of this.keys) genesis = addGenesisAccount(genesis, key.address, [{ denom: 'uain', amount: 10n ** 15n }]);
    genesis = addGenesisValidator(genesis, {
      operator: this.keys[0]!.address,
      consensusPubkeyBase64: VALIDATOR_PUBKEY.toString('base64'),
      selfDelegation: { denom: 'uain', amount: 10n ** 10n },
      moniker: 'fuzz-validator',
      commissionRate: '0.1',
    });
    const withGov = options.govVotingSeconds ? { ...genesis, gov: { params: { voting_period: `${options.govVotingSeconds}s` } } } : genesis;
    const withSections = { ...withGov, ...options.sections };
    const appState = options.patchGenesis ? options.patchGenesis(withSections) : withSections;
    this.main = openNode(appState);
    this.twin = openNode(appState);
    this.reference = openNode(appState);
    this.deliver([]);
  }

  /** The addresses the chain knows: the keys' accounts; their valoper addresses and module accounts. */
  knownAddresses(): { accounts: string[]; others: string[] } {
    const modules = [
      'fee_collector',
      'gov',
      'distribution',
      'bonded_tokens_pool',
      'not_bonded_tokens_pool',
      'jobs',
      'storage',
      'committee',
    ];
    return {
      accounts: this.keys.map((k) => k.address),
      others: [...this.keys.map((k) => toValoper(k.address)), ...modules.map((m) => moduleAddress(m))],
    };
  }

  private account(node: Node, key: TestKey): { accountNumber: bigint; sequence: bigint } {
    const account = node.app.keeper<AuthKeeper>('auth').getAccount(node.store, key.address)!;
    return { accountNumber: account.accountNumber, sequence: account.sequence };
  }

  accountNumber(key: TestKey): bigint {
    return this.account(this.main, key).accountNumber;
  }

  /** `messages` signed by `key` at its committed sequence, with enough gas and fee. */
  sign(key: TestKey, messages: Any[], options: { memo?: string; gasLimit?: bigint } = {}): Uint8Array {
    const { accountNumber, sequence } = this.account(this.main, key);
    const gasLimit = options.gasLimit ?? GAS;
    return signTx({
      key,
      messages,
      chainId: CHAIN_ID,
      accountNumber,
      sequence,
      gasLimit,
      fee: [{ denom: 'uain', amount: String((gasLimit * 25n) / 1000n) }],
      memo: options.memo ?? '',
    });
  }

  /** Moves block time on: every later block's time is `seconds` later than it would have been. */
  advanceTime(seconds: bigint): void {
    this.time += seconds;
  }

  /** The time of the next block (unix seconds) if `deliver` moves it on by `seconds`. */
  nextBlockTime(seconds = BLOCK_SECONDS): bigint {
    return this.time + seconds;
  }

  checkTx(tx: Uint8Array, recheck = false): ResponseCheckTx {
    return this.main.app.checkTx({ tx, type: recheck ? CheckTxType.RECHECK : CheckTxType.NEW });
  }

  /**
   * One block of `txs` (`signers[i]` signed txs[i], at most one tx per key) on the three apps, with
   * the checks of the class comment; every tx goes through CheckTx on main first, and is rechecked
   * after the commit. The block's time is `seconds` after the last one. Returns main's results.
   */
  deliver(txs: Uint8Array[], signers: ReadonlyArray<TestKey | undefined> = [], seconds = BLOCK_SECONDS): ExecTxResult[] {
    this.height += 1n;
    this.time += seconds;
    const what = `height ${this.height}`;
    for (const [i, tx] of txs.entries()) expectClassified(this.checkTx(tx), `${what} CheckTx of tx ${i}`);
    const before = signers.map((key) => (key ? this.account(this.main, key).sequence : 0n));
    const request = (blockTxs: Uint8Array[]) =>
      RequestFinalizeBlock.fromPartial({
        txs: blockTxs,
        height: this.height,
        time: { seconds: this.time, nanos: 0 },
        ...(this.votes && this.height > 1n ? { decidedLastCommit: { round: 0, votes: [VALIDATOR_VOTE] } } : {}),
      });
    const main = this.main.app.finalizeBlock(request(txs));
    this.lastBlock = main;
    const twin = this.twin.app.finalizeBlock(request(txs));
    this.main.app.commit();
    this.twin.app.commit();
    for (const [i, result] of main.txResults.entries()) expectClassified(result, `${what} FinalizeBlock of tx ${i}`);
    expect(twin.txResults, `${what}: the twin's results`).toEqual(main.txResults);
    expect(hex(twin.appHash), `${what}: the twin's app hash`).toBe(hex(main.appHash));

    // The reference block: a failed tx whose sequence moved becomes a tx that only pays its fee.
    const referenceTxs: Uint8Array[] = [];
    for (const [i, result] of main.txResults.entries()) {
      const key = signers[i];
      if (result.code === 0) referenceTxs.push(txs[i]!);
      else if (key && this.account(this.main, key).sequence > before[i]!) {
        const { accountNumber } = this.account(this.main, key);
        // More than the key holds (2^256 - 1, the largest amount: keys paid compute mints of 10^30 exist):
        // refused by bank in the message, after the ante took fee and sequence.
        const payFeeOnly = sendMsg(key.address, key.address, ((1n << 256n) - 1n).toString());
        referenceTxs.push(
          signTx({
            key,
            messages: [payFeeOnly],
            chainId: CHAIN_ID,
            accountNumber,
            sequence: before[i]!,
            gasLimit: result.gasWanted,
            fee: feeOf(txs[i]!),
          }),
        );
      }
    }
    const reference = this.reference.app.finalizeBlock(request(referenceTxs));
    this.reference.app.commit();
    expect(
      reference.txResults.map((r) => r.code === 0),
      `${what}: the reference block's outcomes`,
    ).toEqual(referenceTxs.map((tx) => txs.includes(tx)));
    expect(hex(reference.appHash), `${what}: a failed tx changed more than its fee and sequence`).toBe(hex(main.appHash));

    for (const [i, tx] of txs.entries()) expectClassified(this.checkTx(tx, true), `${what} recheck of tx ${i}`);
    return main.txResults;
  }

  async close(): Promise<void> {
    for (const node of [this.main, this.twin, this.reference]) {
      await node.store.close();
      rmSync(node.dir, { recursive: true, force: true });
    }
  }
}

function feeOf(tx: Uint8Array): { denom: string; amount: string }[] {
  return AuthInfo.decode(TxRaw.decode(tx).authInfoBytes).fee!.amount;
}
