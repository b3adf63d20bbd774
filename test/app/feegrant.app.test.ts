/**
 * Fee grants through the whole app, in process: a grantee's tx naming `fee.granter` is paid from the
 * granter's allowance (the granter's balance goes down by the fee, the grantee's does not), limits
 * and expirations are judged by block time, refused txs change nothing, an allowed-message allowance
 * refuses other message types, revocation, CheckTx and FinalizeBlock agree on a spent allowance, and
 * an exported genesis with allowances restarts with the same app hash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { AllowedMsgAllowance, BasicAllowance, PeriodicAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import {
  QueryAllowanceRequest,
  QueryAllowanceResponse,
  QueryAllowancesByGranterRequest,
  QueryAllowancesByGranterResponse,
  QueryAllowancesRequest,
  QueryAllowancesResponse,
} from 'cosmjs-types/cosmos/feegrant/v1beta1/query';
import { MsgGrantAllowance, MsgPruneAllowances, MsgRevokeAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { CheckTxType, type ExecTxResult, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { ModuleManager } from '../../app/moduleManager.ts';
import { MODULES } from '../../app/modules.ts';
import type { AuthKeeper } from '../../modules/auth/keeper.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';
import { signTx, type TestKey } from '../helpers/tx.ts';
import { anyOf, attribute, CHAIN_ID, codeOf, DENOM, FEE, GAS, GENESIS_TIME, PosHarness } from './posHarness.fixture.ts';

let h: PosHarness;
afterEach(async () => {
  await h.close();
});

const coins = (amount: bigint) => [{ denom: DENOM, amount: amount.toString() }];
const SEND_URL = '/cosmos.bank.v1beta1.MsgSend';

const basic = (limit: bigint, expirationSeconds?: bigint): Any => ({
  typeUrl: BasicAllowance.typeUrl,
  value: BasicAllowance.encode(
    BasicAllowance.fromPartial({
      spendLimit: coins(limit),
      ...(expirationSeconds === undefined ? {} : { expiration: { seconds: expirationSeconds, nanos: 0 } }),
    }),
  ).finish(),
});
const periodic = (limit: bigint, periodSeconds: bigint, periodLimit: bigint, resetSeconds: bigint): Any => ({
  typeUrl: PeriodicAllowance.typeUrl,
  value: PeriodicAllowance.encode(
    PeriodicAllowance.fromPartial({
      basic: { spendLimit: coins(limit) },
      period: { seconds: periodSeconds, nanos: 0 },
      periodSpendLimit: coins(periodLimit),
      periodCanSpend: coins(periodLimit),
      periodReset: { seconds: resetSeconds, nanos: 0 },
    }),
  ).finish(),
});
const onlyMessages = (inner: Any, allowedMessages: string[]): Any => ({
  typeUrl: AllowedMsgAllowance.typeUrl,
  value: AllowedMsgAllowance.encode({ allowance: inner, allowedMessages }).finish(),
});

const grant = (granter: string, grantee: string, allowance: Any) => anyOf(MsgGrantAllowance, { granter, grantee, allowance });
const send = (from: string, to: string, amount: bigint) => anyOf(MsgSend, { fromAddress: from, toAddress: to, amount: coins(amount) });

function open(): { h: PosHarness; granter: TestKey; grantee: TestKey } {
  h = PosHarness.open({ stakes: [100_000_000_000n], delegators: 3 });
  return { h, granter: h.delegators[0]!, grantee: h.delegators[1]! };
}

/** A tx of `key` whose fee `granter` pays, signed at its next sequence (plus `ahead` for txs still in the mempool). */
function granteeTx(key: TestKey, granter: string, messages: Any[], ahead = 0n): Uint8Array {
  const account = h.app.keeper<AuthKeeper>('auth').getAccount(h.store, key.address)!;
  return signTx({
    key,
    messages,
    chainId: CHAIN_ID,
    accountNumber: account.accountNumber,
    sequence: account.sequence + ahead,
    gasLimit: GAS,
    fee: coins(FEE),
    feeGranter: granter,
  });
}

/** CheckTx then the tx alone in the next block; the block's result. */
function deliver(tx: Uint8Array): ExecTxResult {
  h.app.checkTx({ tx, type: CheckTxType.NEW });
  return h.finalize([tx]).txResults[0]!;
}

const allowanceOf = (granter: string, grantee: string) =>
  h.app.query({
    path: '/cosmos.feegrant.v1beta1.Query/Allowance',
    data: QueryAllowanceRequest.encode({ granter, grantee }).finish(),
    height: 0n,
    prove: false,
  });
const spendLimitOf = (granter: string, grantee: string): string => {
  const answer = QueryAllowanceResponse.decode(allowanceOf(granter, grantee).value);
  return BasicAllowance.decode(answer.allowance!.allowance!.value)
    .spendLimit.map((c) => `${c.amount}${c.denom}`)
    .join(',');
};
/** An attribute of the ante's `tx` events (several: signature, fee, acc_seq). */
const txAttribute = (events: ExecTxResult['events'], key: string) =>
  events.filter((e) => e.type === 'tx').flatMap((e) => e.attributes.filter((a) => a.key === key).map((a) => a.value))[0];
const sequenceOf = (address: string) => h.app.keeper<AuthKeeper>('auth').getAccount(h.store, address)!.sequence;

describe('feegrant through the app', () => {
  it('a grantee pays with the allowance: the granter is charged, the grantee not; over the limit nothing changes', () => {
    const { granter, grantee } = open();
    const other = h.delegators[2]!.address;
    h.ok(granter, [grant(granter.address, grantee.address, basic(2n * FEE + 5n))]);
    expect(attribute(h.lastResponse().txResults[0]!.events, 'set_feegrant', 'grantee')).toBe(grantee.address);
    const [granterBefore, granteeBefore] = [h.balance(granter.address), h.balance(grantee.address)];

    const paid = deliver(granteeTx(grantee, granter.address, [send(grantee.address, other, 1n)]));
    expect(paid.log).toBe('');
    expect(h.balance(granter.address)).toBe(granterBefore - FEE);
    expect(h.balance(grantee.address)).toBe(granteeBefore - 1n);
    expect(txAttribute(paid.events, 'fee_payer')).toBe(granter.address);
    expect(attribute(paid.events, 'use_feegrant', 'granter')).toBe(granter.address);
    expect(attribute(paid.events, 'update_feegrant', 'grantee')).toBe(grantee.address);
    expect(spendLimitOf(granter.address, grantee.address)).toBe(`${FEE + 5n}uain`);

    // 10,005 left, 10,000 asked: paid, 5 left; then 10,000 more is over the limit.
    expect(deliver(granteeTx(grantee, granter.address, [send(grantee.address, other, 1n)])).log).toBe('');
    expect(spendLimitOf(granter.address, grantee.address)).toBe('5uain');
    const state = [h.balance(granter.address), h.balance(grantee.address), sequenceOf(grantee.address)];
    const refused = deliver(granteeTx(grantee, granter.address, [send(grantee.address, other, 1n)]));
    expect(codeOf(refused)).toEqual(['feegrant', 2]);
    expect(refused.log).toBe(
      `${granter.address} does not allow to pay fees for ${grantee.address}: basic allowance: fee ${FEE}uain exceeds the spend limit 5uain left: fee limit exceeded`,
    );
    expect([h.balance(granter.address), h.balance(grantee.address), sequenceOf(grantee.address)]).toEqual(state);
    expect(spendLimitOf(granter.address, grantee.address)).toBe('5uain');

    // A grant to the same pair again is refused as the SDK refuses it.
    const again = h.send(granter, [grant(granter.address, grantee.address, basic(1n))]);
    expect(codeOf(again)).toEqual(['sdk', 18]);
    expect(again.log).toMatch(/fee allowance already exists/);
  });

  it('an allowance used up exactly is removed; the grants are listed by grantee and by granter', () => {
    const { granter, grantee } = open();
    const third = h.delegators[2]!;
    h.ok(granter, [grant(granter.address, grantee.address, basic(FEE)), grant(granter.address, third.address, basic(1n))]);
    const byGranter = QueryAllowancesByGranterResponse.decode(
      h.app.query({
        path: '/cosmos.feegrant.v1beta1.Query/AllowancesByGranter',
        data: QueryAllowancesByGranterRequest.encode(
          QueryAllowancesByGranterRequest.fromPartial({ granter: granter.address, pagination: { limit: 1n } }),
        ).finish(),
        height: 0n,
        prove: false,
      }).value,
    );
    expect(byGranter.allowances.length).toBe(1);
    expect(byGranter.pagination!.nextKey.length).toBeGreaterThan(0);
    const used = deliver(granteeTx(grantee, granter.address, [send(grantee.address, third.address, 1n)]));
    expect(used.log).toBe('');
    expect(attribute(used.events, 'revoke_feegrant', 'grantee')).toBe(grantee.address);
    expect(allowanceOf(granter.address, grantee.address).codespace).toBe('feegrant');
    expect(allowanceOf(granter.address, grantee.address).code).toBe(5);
    const mine = h.query(
      '/cosmos.feegrant.v1beta1.Query/Allowances',
      QueryAllowancesRequest.encode({ grantee: third.address }).finish(),
      QueryAllowancesResponse,
    );
    expect(mine.allowances.map((g) => g.granter)).toEqual([granter.address]);
    const none = deliver(granteeTx(grantee, granter.address, [send(grantee.address, third.address, 1n)]));
    expect(codeOf(none)).toEqual(['feegrant', 5]);
    expect(none.log).toMatch(/does not allow to pay fees for .*: fee-grant not found: no allowance$/);
  });

  it('an expired allowance is refused by block time, changes nothing, and is pruned at the end of that block', () => {
    const { granter, grantee } = open();
    h.finalize();
    const expiration = h.time + 12n; // blocks are 5 s apart
    h.ok(granter, [grant(granter.address, grantee.address, basic(10n * FEE, expiration))]);
    expect(deliver(granteeTx(grantee, granter.address, [send(grantee.address, granter.address, 1n)])).log).toBe('');
    expect(h.time).toBe(expiration - 2n);
    const before = [h.balance(granter.address), h.balance(grantee.address), sequenceOf(grantee.address)];
    const tx = granteeTx(grantee, granter.address, [send(grantee.address, granter.address, 1n)]);
    // CheckTx judges by the last block's time: still valid there.
    expect(h.app.checkTx({ tx, type: CheckTxType.NEW }).code).toBe(0);
    const expired = h.finalize([tx]).txResults[0]!;
    expect(codeOf(expired)).toEqual(['feegrant', 3]);
    expect(expired.log).toMatch(/basic allowance expired at .*; the block time is .*: fee allowance expired$/);
    expect([h.balance(granter.address), h.balance(grantee.address), sequenceOf(grantee.address)]).toEqual(before);
    expect(allowanceOf(granter.address, grantee.address).code).toBe(5);
    // Anyone may prune; with nothing left to prune it just says who asked.
    const pruned = h.ok(grantee, [anyOf(MsgPruneAllowances, { pruner: grantee.address })]);
    expect(attribute(pruned.events, 'prune_feegrant', 'pruner')).toBe(grantee.address);
    // A grant that expires before the block time is refused.
    expect(h.send(granter, [grant(granter.address, grantee.address, basic(1n, h.time))]).log).toMatch(
      /expiration is before current block time/,
    );
  });

  it('an AllowedMsgAllowance pays for MsgSend only (a MsgPruneAllowances refused); revoking ends it', () => {
    const { granter, grantee } = open();
    h.ok(granter, [grant(granter.address, grantee.address, onlyMessages(basic(10n * FEE), [SEND_URL]))]);
    const prune = anyOf(MsgPruneAllowances, { pruner: grantee.address });
    const refused = deliver(granteeTx(grantee, granter.address, [prune]));
    expect(codeOf(refused)).toEqual(['feegrant', 7]);
    expect(refused.log).toMatch(
      /message \/cosmos.feegrant.v1beta1.MsgPruneAllowances does not exist in allowed messages \[\/cosmos.bank.v1beta1.MsgSend\]/,
    );
    expect(deliver(granteeTx(grantee, granter.address, [send(grantee.address, granter.address, 1n)])).log).toBe('');
    const revoked = h.ok(granter, [anyOf(MsgRevokeAllowance, { granter: granter.address, grantee: grantee.address })]);
    expect(attribute(revoked.events, 'revoke_feegrant', 'grantee')).toBe(grantee.address);
    expect(codeOf(deliver(granteeTx(grantee, granter.address, [send(grantee.address, granter.address, 1n)])))).toEqual(['feegrant', 5]);
    expect(codeOf(h.send(granter, [anyOf(MsgRevokeAllowance, { granter: granter.address, grantee: grantee.address })]))).toEqual([
      'feegrant',
      5,
    ]);
  });

  it('Ledger (legacy amino JSON): a grant, and a grantee tx whose signed fee names the granter', () => {
    const { granter, grantee } = open();
    h.finalize();
    const signAmino = (key: TestKey, messages: Any[], feeGranter?: string) => {
      const account = h.app.keeper<AuthKeeper>('auth').getAccount(h.store, key.address)!;
      return signTx({
        key,
        messages,
        chainId: CHAIN_ID,
        accountNumber: account.accountNumber,
        sequence: account.sequence,
        gasLimit: GAS,
        fee: coins(FEE),
        signMode: 'legacy-amino-json',
        ...(feeGranter ? { feeGranter } : {}),
      });
    };
    const allowance = onlyMessages(periodic(10n * FEE, 60n, 2n * FEE, h.time + 60n), [SEND_URL]);
    expect(deliver(signAmino(granter, [grant(granter.address, grantee.address, allowance)])).log).toBe('');
    const before = h.balance(granter.address);
    expect(deliver(signAmino(grantee, [send(grantee.address, granter.address, 1n)], granter.address)).log).toBe('');
    expect(h.balance(granter.address)).toBe(before - FEE + 1n);
  });

  it('CheckTx sees what earlier CheckTxs spent; FinalizeBlock and recheck agree', () => {
    const { granter, grantee } = open();
    h.ok(granter, [grant(granter.address, grantee.address, basic(2n * FEE + 1n))]);
    const txs = [0n, 1n, 2n].map((ahead) => granteeTx(grantee, granter.address, [send(grantee.address, granter.address, 1n)], ahead));
    const checks = txs.map((tx) => h.app.checkTx({ tx, type: CheckTxType.NEW }));
    expect(checks.map((c) => [c.codespace, c.code])).toEqual([
      ['', 0],
      ['', 0],
      ['feegrant', 2],
    ]);
    const block = h.finalize(txs.slice(0, 2)).txResults;
    expect(block.map((r) => r.code)).toEqual([0, 0]);
    expect(spendLimitOf(granter.address, grantee.address)).toBe('1uain');
    const recheck = h.app.checkTx({ tx: txs[2]!, type: CheckTxType.RECHECK });
    expect([recheck.codespace, recheck.code]).toEqual(['feegrant', 2]);
    expect(codeOf(h.finalize([txs[2]!]).txResults[0]!)).toEqual(['feegrant', 2]);
  });

  it('a periodic allowance refills by block time, and an exported genesis with allowances restarts with the same app hash', async () => {
    const { granter, grantee } = open();
    h.finalize();
    h.ok(granter, [
      grant(granter.address, grantee.address, periodic(10n * FEE, 60n, FEE, h.time + 60n)),
      grant(granter.address, h.delegators[2]!.address, onlyMessages(basic(3n), [SEND_URL])),
    ]);
    expect(deliver(granteeTx(grantee, granter.address, [send(grantee.address, granter.address, 1n)])).log).toBe('');
    expect(codeOf(deliver(granteeTx(grantee, granter.address, [send(grantee.address, granter.address, 1n)])))).toEqual(['feegrant', 2]);
    h.blocks(12); // 60 s: the period has reset by the next block
    expect(deliver(granteeTx(grantee, granter.address, [send(grantee.address, granter.address, 1n)])).log).toBe('');
    const appHash = h.lastResponse().appHash;
    const exported = h.app.exportGenesis() as unknown as { feegrant: { allowances: { allowance: Record<string, unknown> }[] } };
    expect(exported.feegrant.allowances.map((a) => a.allowance['@type'])).toEqual(
      [h.delegators[2]!.address, grantee.address]
        .sort()
        .map((address) =>
          address === grantee.address ? '/cosmos.feegrant.v1beta1.PeriodicAllowance' : '/cosmos.feegrant.v1beta1.AllowedMsgAllowance',
        ),
    );
    const dir = mkdtempSync(join(tmpdir(), 'ain-feegrant-export-'));
    const store = openCommittedState(join(dir, 'app.lmdb'));
    try {
      const restarted = new AinApplication(store);
      const answer = restarted.initChain(
        RequestInitChain.fromPartial({
          chainId: CHAIN_ID,
          initialHeight: h.height + 1n,
          time: { seconds: GENESIS_TIME, nanos: 0 },
          appStateBytes: Buffer.from(JSON.stringify(exported)),
        }),
      );
      expect(Buffer.from(answer.appHash).toString('hex')).toBe(Buffer.from(appHash).toString('hex'));
      // A duplicate pair in genesis is refused, naming it.
      const twice = { ...exported, feegrant: { allowances: [exported.feegrant.allowances[0]!, exported.feegrant.allowances[0]!] } };
      expect(() => new ModuleManager(MODULES).validateGenesis(twice as never)).toThrow(/genesis feegrant.allowances\[1\] duplicates/);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
