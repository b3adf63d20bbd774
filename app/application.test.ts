import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryBalanceRequest, QueryBalanceResponse, QueryTotalSupplyResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MsgSetValue } from '../proto/gen/ain/state/v1/tx.ts';
import { CheckTxType, RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendMsg, signTx, testKey, type TestKey } from '../test/helpers/tx.ts';
import { SignatureWorkers, signatureHooks } from './abci/signatureWorker.ts';
import { AinApplication } from './application.ts';
import { addGenesisAccount, defaultAppState } from './genesis.ts';
import { openCommittedState, type CommittedState } from '../tree/lmdb/index.ts';

const CHAIN_ID = 'ain-test-1';
const alice = testKey('alice');
const bob = testKey('bob');
const carol = testKey('carol');

function genesis(): Uint8Array {
  let state = defaultAppState();
  state = addGenesisAccount(state, alice.address, [{ denom: 'uain', amount: 1_000_000_000n }]);
  state = addGenesisAccount(state, bob.address, [{ denom: 'uain', amount: 10_000n }]);
  return Buffer.from(JSON.stringify(state));
}

describe('AinApplication over the ABCI sequence, in process', () => {
  let dir: string;
  let store: CommittedState;
  let app: AinApplication;
  let height: bigint;

  const send = (key: TestKey, to: string, amount: string, sequence: bigint, overrides: Partial<Parameters<typeof signTx>[0]> = {}) =>
    signTx({
      key,
      messages: [sendMsg(key.address, to, amount)],
      chainId: CHAIN_ID,
      accountNumber: key === alice ? 0n : 1n,
      sequence,
      ...overrides,
    });

  const finalize = (txs: Uint8Array[]) => {
    height += 1n;
    const response = app.finalizeBlock(
      RequestFinalizeBlock.fromPartial({ txs, height, time: { seconds: 1_700_000_000n + height, nanos: 0 } }),
    );
    app.commit();
    return response;
  };

  const balance = (address: string): bigint => {
    const response = app.query({
      path: '/cosmos.bank.v1beta1.Query/Balance',
      data: QueryBalanceRequest.encode({ address, denom: 'uain' }).finish(),
      height: 0n,
      prove: false,
    });
    expect(response.code).toBe(0);
    return BigInt(QueryBalanceResponse.decode(response.value).balance!.amount);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ain-app-'));
    store = openCommittedState(join(dir, 'app.lmdb'));
    app = new AinApplication(store);
    app.initChain(RequestInitChain.fromPartial({ chainId: CHAIN_ID, initialHeight: 1n, appStateBytes: genesis() }));
    height = 0n;
    finalize([]);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits genesis: balances, supply, account numbers, and a non-empty app hash', () => {
    expect(balance(alice.address)).toBe(1_000_000_000n);
    expect(balance(bob.address)).toBe(10_000n);
    const supply = QueryTotalSupplyResponse.decode(
      app.query({ path: '/cosmos.bank.v1beta1.Query/TotalSupply', data: new Uint8Array(), height: 0n, prove: false }).value,
    );
    expect(supply.supply).toEqual([{ denom: 'uain', amount: '1000010000' }]);
    const info = app.info({ version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' });
    expect(info.lastBlockHeight).toBe(1n);
    expect(info.lastBlockAppHash.length).toBe(32);
  });

  it('runs a send: CheckTx, FinalizeBlock with events and TxMsgData, fee to the collector', () => {
    const tx = send(alice, carol.address, '250', 0n);
    expect(app.checkTx({ tx, type: CheckTxType.NEW }).code).toBe(0);
    const response = finalize([tx]);
    const result = response.txResults[0]!;
    expect(result.code).toBe(0);
    expect(result.gasUsed).toBeGreaterThan(0n);
    const types = result.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['tx', 'coin_spent', 'coin_received', 'transfer', 'message']));
    const transfer = result.events.find((e) => e.type === 'transfer' && e.attributes.some((a) => a.value === carol.address))!;
    expect(transfer.attributes).toContainEqual({ key: 'amount', value: '250uain', index: true });
    expect(balance(carol.address)).toBe(250n);
    expect(balance(alice.address)).toBe(1_000_000_000n - 250n - 5000n);
    expect(balance(app.feeCollector)).toBe(5000n);
    // Carol's account was created on receipt with the next account number.
    const account = app.query({
      path: '/cosmos.auth.v1beta1.Query/Account',
      data: QueryAccountRequest.encode({ address: carol.address }).finish(),
      height: 0n,
      prove: false,
    });
    const base = BaseAccount.decode(QueryAccountResponse.decode(account.value).account!.value);
    expect(base.accountNumber).toBe(3n); // alice 0, bob 1, fee_collector 2
  });

  it('refuses bad signature, wrong sequence, low fee, overdraft and garbage with SDK codes, changing nothing', () => {
    const before = [balance(alice.address), balance(bob.address), balance(carol.address)];
    const appHash = app.info({ version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' }).lastBlockAppHash;
    const good = TxRaw.decode(send(alice, carol.address, '1', 0n));
    const badSignature = TxRaw.encode({
      ...good,
      signatures: [Uint8Array.from(good.signatures[0]!, (b, i) => (i === 10 ? b ^ 1 : b))],
    }).finish();
    const cases: Array<[string, Uint8Array, number]> = [
      ['bad signature', badSignature, 4],
      ['wrong chain id', send(alice, carol.address, '1', 0n, { chainId: 'other' }), 4],
      ['wrong sequence', send(alice, carol.address, '1', 5n), 32],
      ['low fee', send(alice, carol.address, '1', 0n, { fee: [{ denom: 'uain', amount: '1' }] }), 13],
      ['more than the balance', send(bob, carol.address, '999999', 0n, { fee: [{ denom: 'uain', amount: '5000' }] }), 5],
      ['random bytes', Uint8Array.from({ length: 100 }, (_, i) => (i * 37 + 11) % 256), 2],
      ['unknown signer', send(carol, alice.address, '1', 0n), 9],
    ];
    for (const [name, tx, code] of cases) {
      const check = app.checkTx({ tx, type: CheckTxType.NEW });
      expect({ name, code: check.code, codespace: check.codespace }).toEqual({ name, code, codespace: 'sdk' });
      expect(check.log.length).toBeGreaterThan(10);
    }
    expect(app.checkTx({ tx: send(alice, carol.address, '1', 5n), type: CheckTxType.NEW }).log).toContain(
      'account sequence mismatch, expected 0, got 5',
    );
    // The same txs forced into a block fail there too and change no balance (bob's overdraft pays nothing: it fails in ante on fee).
    const response = finalize(cases.filter(([name]) => name !== 'more than the balance').map(([, tx]) => tx));
    expect(response.txResults.every((r) => r.code !== 0)).toBe(true);
    expect([balance(alice.address), balance(bob.address), balance(carol.address)]).toEqual(before);
    expect(response.appHash).toEqual(appHash);
  });

  it('CheckTx refuses a low fee before verifying the signature; a block keeps the SDK order (signature first)', () => {
    const cheap = TxRaw.decode(send(alice, carol.address, '1', 0n, { fee: [{ denom: 'uain', amount: '1' }] }));
    const forged = TxRaw.encode({ ...cheap, signatures: [new Uint8Array(64).fill(7)] }).finish();
    expect(app.checkTx({ tx: forged, type: CheckTxType.NEW })).toMatchObject({ code: 13, codespace: 'sdk' });
    expect(finalize([forged]).txResults[0]).toMatchObject({ code: 4, codespace: 'sdk' });
  });

  it('takes amino JSON signatures for the standard messages, and refuses them for AIN messages with sdk/37', () => {
    const aminoSend = send(alice, carol.address, '7', 0n, { signMode: 'legacy-amino-json' });
    expect(app.checkTx({ tx: aminoSend, type: CheckTxType.NEW })).toMatchObject({ code: 0, log: '' });
    const wrongChain = send(alice, carol.address, '7', 1n, { signMode: 'legacy-amino-json', chainId: 'other-chain' });
    expect(app.checkTx({ tx: wrongChain, type: CheckTxType.NEW })).toMatchObject({ code: 4, codespace: 'sdk' });

    // A state message signed in direct mode, then relabelled as amino JSON: it has no amino form.
    const setValue = {
      typeUrl: '/ain.state.v1.MsgSetValue',
      value: MsgSetValue.encode(MsgSetValue.fromPartial({ signer: alice.address, path: '/apps/x/y', value: '1' })).finish(),
    };
    const direct = TxRaw.decode(signTx({ key: alice, messages: [setValue], chainId: CHAIN_ID, accountNumber: 0n, sequence: 1n }));
    const authInfo = AuthInfo.decode(direct.authInfoBytes);
    authInfo.signerInfos[0]!.modeInfo = { single: { mode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON } };
    const relabelled = TxRaw.encode({ ...direct, authInfoBytes: AuthInfo.encode(authInfo).finish() }).finish();
    const refused = app.checkTx({ tx: relabelled, type: CheckTxType.NEW });
    expect([refused.codespace, refused.code]).toEqual(['sdk', 37]);
    expect(refused.log).toContain('messages[0] (/ain.state.v1.MsgSetValue) has no amino JSON form; sign it with SIGN_MODE_DIRECT');
  });

  it('verifies a signature once: CheckTx yes, FinalizeBlock and recheck no; an unseen tx in a block yes', () => {
    const seen = send(alice, carol.address, '1', 0n);
    const start = app.signatureCache.verifications;
    expect(app.checkTx({ tx: seen, type: CheckTxType.NEW }).code).toBe(0);
    expect(app.signatureCache.verifications).toBe(start + 1);
    expect(app.checkTx({ tx: seen, type: CheckTxType.RECHECK }).code).not.toBe(0); // sequence already used in check state
    app.resetCheckState();
    expect(app.checkTx({ tx: seen, type: CheckTxType.RECHECK }).code).toBe(0);
    expect(app.signatureCache.verifications).toBe(start + 1);
    const unseen = send(alice, carol.address, '2', 1n);
    const response = finalize([seen, unseen]);
    expect(response.txResults.map((r) => r.code)).toEqual([0, 0]);
    expect(app.signatureCache.verifications).toBe(start + 2);
  });

  it('takes signatures a worker thread verified: CheckTx does not verify them again, and a forged one is still refused', async () => {
    const good = send(alice, carol.address, '1', 0n);
    const forged = TxRaw.encode({
      ...TxRaw.decode(send(alice, carol.address, '2', 1n)),
      signatures: [new Uint8Array(64).fill(7)],
    }).finish();
    const jobs = app.pendingSignatures([good, forged, new Uint8Array([1, 2, 3])]);
    expect(jobs).toHaveLength(2); // the bytes that do not decode have none: their CheckTx says why
    const worker = new SignatureWorkers(1);
    try {
      const valid = await worker.verify(jobs.map((job) => job.check));
      expect(valid).toEqual([true, false]);
      const start = app.signatureCache.verifications;
      app.addVerifiedSignatures(jobs.map((job, i) => ({ key: job.key, valid: valid[i]! })));
      expect(app.signatureCache.verifications).toBe(start + 2);
      expect(app.pendingSignatures([good])).toEqual([]);
      expect(app.checkTx({ tx: good, type: CheckTxType.NEW }).code).toBe(0);
      expect(app.signatureCache.verifications).toBe(start + 2);
      expect(app.checkTx({ tx: forged, type: CheckTxType.NEW })).toMatchObject({ code: 4, codespace: 'sdk' });
      expect(app.signatureCache.verifications).toBe(start + 3);
    } finally {
      await worker.close();
    }
    // A stopped worker vouches for nothing.
    expect(await worker.verify(jobs.map((job) => job.check))).toEqual([false, false]);
  });

  /** Resolves once `app` has counted `count` verifications (the workers' are counted as they report). */
  const verificationsReach = async (count: number) => {
    for (let i = 0; i < 1_000 && app.signatureCache.verifications < count; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(app.signatureCache.verifications).toBe(count);
  };

  it("verifies a block's unseen signatures on the workers, and FinalizeBlock takes their answers", async () => {
    const checked = send(alice, carol.address, '1', 0n);
    expect(app.checkTx({ tx: checked, type: CheckTxType.NEW }).code).toBe(0);
    const unseen = Array.from({ length: 140 }, (_, i) => send(alice, carol.address, '1', BigInt(i + 1)));
    const forged = TxRaw.encode({
      ...TxRaw.decode(send(bob, carol.address, '1', 0n)),
      signatures: [new Uint8Array(64).fill(7)],
    }).finish();
    const block = [checked, ...unseen, forged];
    const workers = new SignatureWorkers(2);
    try {
      const { beforeBlock } = signatureHooks(app, workers);
      const start = app.signatureCache.verifications;
      beforeBlock(block, 'finalizeBlock');
      // The tx CheckTx verified needs nothing; each other one its own signature, in two slices.
      await verificationsReach(start + 141);
      expect(workers.threads).toBe(2);
      const response = finalize(block);
      expect(response.txResults.map((r) => r.code)).toEqual([...block.slice(0, -1).map(() => 0), 4]);
      expect(app.signatureCache.verifications).toBe(start + 142); // the forged one, verified again and refused
      expect(balance(carol.address)).toBe(141n);
    } finally {
      await workers.close();
    }
  });

  it('executes a block while the workers still verify it, each signature checked once by one thread', async () => {
    const block = Array.from({ length: 300 }, (_, i) => send(alice, carol.address, '1', BigInt(i)));
    block.push(TxRaw.encode({ ...TxRaw.decode(send(bob, carol.address, '1', 0n)), signatures: [new Uint8Array(64).fill(7)] }).finish());
    const workers = new SignatureWorkers(2);
    try {
      const { beforeBlock } = signatureHooks(app, workers);
      const start = app.signatureCache.verifications;
      beforeBlock(block, 'finalizeBlock');
      const response = finalize(block); // at once: the app's thread verifies what the workers have not reached
      expect(response.txResults.map((r) => r.code)).toEqual([...block.slice(0, -1).map(() => 0), 4]);
      expect(balance(carol.address)).toBe(300n);
      // Every signature was verified by some thread (one a worker was busy with when the app's thread
      // reached it, by both; the forged one by the app's thread whatever a worker found).
      for (let i = 0; i < 1_000 && app.signatureCache.verifications - start < 301; i++)
        await new Promise((resolve) => setTimeout(resolve, 5));
      expect(app.signatureCache.verifications - start).toBeGreaterThanOrEqual(301);
    } finally {
      await workers.close();
    }
  });

  it("starts a proposal's verification at ProcessProposal, which FinalizeBlock of the same txs reuses; closed workers vouch for nothing", async () => {
    const proposed = Array.from({ length: 3 }, (_, i) => send(alice, carol.address, '1', BigInt(i)));
    const workers = new SignatureWorkers(1);
    const { beforeBlock } = signatureHooks(app, workers);
    const start = app.signatureCache.verifications;
    try {
      beforeBlock(proposed, 'processProposal');
      await verificationsReach(start + 3);
      // The same txs in other request buffers: nothing more to verify, before or in FinalizeBlock.
      beforeBlock(
        proposed.map((tx) => Uint8Array.from(tx)),
        'finalizeBlock',
      );
      expect(finalize(proposed).txResults.map((r) => r.code)).toEqual([0, 0, 0]);
      expect(app.signatureCache.verifications).toBe(start + 3);
    } finally {
      await workers.close();
    }
    const next = [send(alice, carol.address, '1', 3n), send(bob, carol.address, '1', 0n)];
    beforeBlock(next, 'finalizeBlock');
    expect(finalize(next).txResults.map((r) => r.code)).toEqual([0, 0]);
    expect(app.signatureCache.verifications).toBe(start + 5); // both on the app's thread
  });

  it('keeps sequences in the check state so a sender can queue several txs', () => {
    expect(app.checkTx({ tx: send(alice, carol.address, '1', 0n), type: CheckTxType.NEW }).code).toBe(0);
    expect(app.checkTx({ tx: send(alice, carol.address, '1', 1n), type: CheckTxType.NEW }).code).toBe(0);
    expect(app.checkTx({ tx: send(alice, carol.address, '1', 1n), type: CheckTxType.NEW }).code).toBe(32);
  });

  it('a message failing in a block still pays the fee and uses the sequence (Cosmos semantics)', () => {
    const overdraft = send(bob, carol.address, '9000', 0n, { fee: [{ denom: 'uain', amount: '5000' }] });
    expect(finalize([overdraft]).txResults[0]!.code).toBe(5);
    expect(balance(bob.address)).toBe(5_000n);
    expect(balance(carol.address)).toBe(0n);
    expect(
      app.checkTx({ tx: send(bob, carol.address, '1', 0n, { fee: [{ denom: 'uain', amount: '5000' }] }), type: CheckTxType.NEW }).code,
    ).toBe(32);
  });

  it('simulates an unsigned tx and returns gas used', () => {
    const signed = TxRaw.decode(send(alice, carol.address, '1', 0n));
    const authInfo = AuthInfo.decode(signed.authInfoBytes);
    const unsigned = TxRaw.encode({
      bodyBytes: signed.bodyBytes,
      authInfoBytes: AuthInfo.encode({ ...authInfo, fee: { amount: [], gasLimit: 0n, payer: '', granter: '' } }).finish(),
      signatures: [new Uint8Array()],
    }).finish();
    const response = app.query({
      path: '/cosmos.tx.v1beta1.Service/Simulate',
      data: SimulateRequest.encode({ txBytes: unsigned }).finish(),
      height: 0n,
      prove: false,
    });
    expect(response.code).toBe(0);
    const simulated = SimulateResponse.decode(response.value).gasInfo!.gasUsed;
    const real = finalize([send(alice, carol.address, '1', 0n)]).txResults[0]!.gasUsed;
    expect(simulated).toBeGreaterThanOrEqual(real);
    expect(simulated).toBeLessThan((real * 13n) / 10n);
  });

  it('answers NotFound for an unknown account the way CosmJS expects', () => {
    const response = app.query({
      path: '/cosmos.auth.v1beta1.Query/Account',
      data: QueryAccountRequest.encode({ address: carol.address }).finish(),
      height: 0n,
      prove: false,
    });
    expect(response.code).not.toBe(0);
    expect(response.log).toMatch(/rpc error: code = NotFound/);
    expect(response.height).toBe(1n);
  });

  it('survives a restart: Info reports the committed height and hash, and a replayed block gives the same hash', async () => {
    const tx = send(alice, carol.address, '7', 0n);
    app.finalizeBlock(RequestFinalizeBlock.fromPartial({ txs: [tx], height: 2n, time: { seconds: 1n, nanos: 0 } }));
    // Crash before Commit: reopen, the block is gone, replay it.
    await store.close();
    store = openCommittedState(join(dir, 'app.lmdb'));
    app = new AinApplication(store);
    expect(app.info({ version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' }).lastBlockHeight).toBe(1n);
    const replay = app.finalizeBlock(RequestFinalizeBlock.fromPartial({ txs: [tx], height: 2n, time: { seconds: 1n, nanos: 0 } }));
    app.commit();
    expect(replay.txResults[0]!.code).toBe(0);
    expect(app.info({ version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' }).lastBlockAppHash).toEqual(replay.appHash);
    expect(balance(carol.address)).toBe(7n);
  });
});
