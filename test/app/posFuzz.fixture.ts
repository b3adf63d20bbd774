/**
 * Three proof-of-stake harnesses (test/app/posHarness.fixture.ts) on one genesis, for the stateful
 * fuzz test of staking, distribution, slashing, gov and committee: `main` sees every tx in CheckTx,
 * then the block; `twin` gets the same blocks without CheckTx, so its results and app hash must equal
 * main's; `reference` gets each block with every failed tx replaced by one that only pays the same fee
 * and uses the same sequence (as test/app/fuzzChain.fixture.ts does), so its app hash must equal main's.
 * Each harness checks its own pool and supply invariants after every block.
 */
import { CheckTxType, type ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { expect } from 'vitest';
import type { AuthKeeper } from '../../modules/auth/keeper.ts';
import { sendMsg, signTx, type TestKey } from '../helpers/tx.ts';
import { expectClassified } from './fuzzChain.fixture.ts';
import { type BlockOptions, CHAIN_ID, DENOM, FEE, GAS, type HarnessOptions, PosHarness } from './posHarness.fixture.ts';

/** One tx of a block: its signer and messages. */
export interface FuzzTx {
  readonly key: TestKey;
  readonly messages: Any[];
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

export class PosFuzzChain {
  readonly main: PosHarness;
  private readonly twin: PosHarness;
  private readonly reference: PosHarness;

  constructor(options: HarnessOptions) {
    this.main = PosHarness.open(options);
    this.twin = PosHarness.open(options);
    this.reference = PosHarness.open(options);
    // Genesis is committed with block 1; CheckTx needs it.
    for (const harness of [this.main, this.twin, this.reference]) harness.finalize();
  }

  private account(harness: PosHarness, key: TestKey): { accountNumber: bigint; sequence: bigint } {
    const account = harness.app.keeper<AuthKeeper>('auth').getAccount(harness.store, key.address)!;
    return { accountNumber: account.accountNumber, sequence: account.sequence };
  }

  private sign(key: TestKey, messages: Any[], sequence: bigint, accountNumber: bigint): Uint8Array {
    return signTx({
      key,
      messages,
      chainId: CHAIN_ID,
      accountNumber,
      sequence,
      gasLimit: GAS,
      fee: [{ denom: DENOM, amount: FEE.toString() }],
    });
  }

  /**
   * One block of `txs` (at most one per key) on the three harnesses with `options` (absent votes,
   * misbehavior, seconds): every failed tx answers a registered, non-panic error in CheckTx and
   * FinalizeBlock; the twin and the reference agree with main. Returns main's results.
   */
  block(txs: readonly FuzzTx[], options: BlockOptions = {}): ExecTxResult[] {
    const what = `height ${this.main.height + 1n}`;
    const before = txs.map(({ key }) => this.account(this.main, key));
    const signed = txs.map(({ key, messages }, i) => this.sign(key, messages, before[i]!.sequence, before[i]!.accountNumber));
    for (const [i, tx] of signed.entries())
      expectClassified(this.main.app.checkTx({ tx, type: CheckTxType.NEW }), `${what} CheckTx of tx ${i}`);
    const main = this.main.finalize(signed, options);
    const twin = this.twin.finalize(signed, options);
    for (const [i, result] of main.txResults.entries()) expectClassified(result, `${what} FinalizeBlock of tx ${i}`);
    expect(twin.txResults, `${what}: the twin's results`).toEqual(main.txResults);
    expect(hex(twin.appHash), `${what}: the twin's app hash`).toBe(hex(main.appHash));

    const referenceTxs: Uint8Array[] = [];
    for (const [i, result] of main.txResults.entries()) {
      const { key } = txs[i]!;
      if (result.code === 0) referenceTxs.push(signed[i]!);
      else if (this.account(this.main, key).sequence > before[i]!.sequence) {
        // More than the key holds: refused by bank in the message, after the ante took fee and sequence.
        const payFeeOnly = sendMsg(key.address, key.address, (10n ** 30n).toString());
        referenceTxs.push(this.sign(key, [payFeeOnly], before[i]!.sequence, before[i]!.accountNumber));
      }
    }
    const reference = this.reference.finalize(referenceTxs, options);
    expect(
      reference.txResults.map((r) => r.code === 0),
      `${what}: the reference block's outcomes`,
    ).toEqual(referenceTxs.map((tx) => signed.includes(tx)));
    expect(hex(reference.appHash), `${what}: a failed tx changed more than its fee and sequence`).toBe(hex(main.appHash));
    return main.txResults;
  }

  async close(): Promise<void> {
    for (const harness of [this.main, this.twin, this.reference]) await harness.close();
  }
}
