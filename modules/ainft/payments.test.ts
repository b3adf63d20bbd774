/** The split rule on an in-memory state: floors per child, remainders to each paid token's owner, recursion and its bounds. */
import { describe, expect, it } from 'vitest';
import type { AinError, Coin } from '../../core/index.ts';
import { MsgPay } from '../../proto/gen/ain/ainft/v1/tx.ts';
import { emptyBlockContext } from '../../test/helpers/blockContext.ts';
import type { AinftEnv } from './env.ts';
import { defaultAinftParams } from './params.ts';
import { pay, splitPayment } from './payments.ts';
import { emptyComposition, emptyReproductions, putToken, type StoredToken } from './records.ts';

function token(id: string, owner: string, ownerWeight = 0n, children: Array<[string, bigint]> = []): StoredToken {
  const composition =
    children.length === 0 && ownerWeight === 0n
      ? emptyComposition()
      : {
          ownerWeight,
          children: children.map(([child, weight]) => ({ classId: 'c', id: child, weight })),
          totalWeight: ownerWeight + children.reduce((sum, [, w]) => sum + w, 0n),
        };
  return {
    classId: 'c',
    id,
    owner,
    uri: '',
    uriHash: '',
    metadata: {},
    composition,
    approved: '',
    minter: owner,
    mintedAt: 0n,
    height: 0n,
    reproductions: emptyReproductions(),
  };
}

function world(...tokens: StoredToken[]) {
  const ctx = emptyBlockContext();
  for (const t of tokens) putToken(ctx.state, t);
  return ctx.state;
}

describe('splitPayment', () => {
  it('floors each child share and leaves the remainder with the paid token owner', () => {
    const root = token('bot', 'alice', 0n, [
      ['data', 2n],
      ['model', 5n],
      ['service', 3n],
    ]);
    const state = world(token('data', 'dora'), token('model', 'carl'), token('service', 'sam'), root);
    const split = splitPayment(state, root, 1001n, defaultAinftParams());
    // 7: data floor(1.4) = 1, model floor(3.5) = 3, service floor(2.1) = 2; alice the 1 left.
    expect(split.payouts).toEqual([
      ['alice', 1n],
      ['carl', 500n],
      ['dora', 200n],
      ['sam', 300n],
    ]);
    expect(splitPayment(state, root, 7n, defaultAinftParams()).payouts).toEqual([
      ['alice', 1n],
      ['carl', 3n],
      ['dora', 1n],
      ['sam', 2n],
    ]);
  });

  it('splits recursively; an owner holding several parts gets their sum; the parts always add up', () => {
    const root = token('bot', 'alice', 1n, [['model', 3n]]);
    const model = token('model', 'carl', 1n, [['data', 1n]]);
    const state = world(token('data', 'alice'), model, root);
    const split = splitPayment(state, root, 1000n, defaultAinftParams());
    // model gets 750, of which data 375 (alice) and carl 375; alice keeps 250 + 375.
    expect(split.payouts).toEqual([
      ['alice', 625n],
      ['carl', 375n],
    ]);
    expect(split.shares.map((s) => [s.token.id, s.amount, s.ownerAmount, s.depth])).toEqual([
      ['bot', 1000n, 250n, 0],
      ['model', 750n, 375n, 1],
      ['data', 375n, 375n, 2],
    ]);
    for (const amount of [1n, 2n, 3n, 999n, 10n ** 30n + 7n])
      expect(splitPayment(state, root, amount, defaultAinftParams()).payouts.reduce((sum, [, v]) => sum + v, 0n)).toBe(amount);
  });

  it('stops at max_depth and at the node budget: the share stays with the last owner reached', () => {
    const chain = [
      token('t0', 'a', 0n, [['t1', 1n]]),
      token('t1', 'b', 0n, [['t2', 1n]]),
      token('t2', 'c', 0n, [['t3', 1n]]),
      token('t3', 'd'),
    ];
    const state = world(...chain);
    expect(splitPayment(state, chain[0]!, 100n, { ...defaultAinftParams(), maxDepth: 2 }).payouts).toEqual([['c', 100n]]);
    expect(splitPayment(state, chain[0]!, 100n, { ...defaultAinftParams(), maxNodes: 2 }).payouts).toEqual([['b', 100n]]);
    expect(splitPayment(state, chain[0]!, 100n, defaultAinftParams()).payouts).toEqual([['d', 100n]]);
  });
});

describe('pay', () => {
  /** A bank of plain balances (no vesting): sends move them or fail with sdk/5 as bank's do. */
  function bankOf(balances: Record<string, bigint>): AinftEnv {
    const bank = {
      getBalance: (_state: unknown, address: string) => balances[address] ?? 0n,
      spendableCoins: (_state: unknown, _address: string, coins: readonly Coin[]) => coins.filter((c) => c.amount > 0n),
      sendCoins: (_ctx: unknown, from: string, to: string, [coin]: readonly Coin[]) => {
        if ((balances[from] ?? 0n) < coin!.amount) throw new Error('sdk/5 from the bank');
        balances[from] = balances[from]! - coin!.amount;
        balances[to] = (balances[to] ?? 0n) + coin!.amount;
      },
    };
    return { bank, moduleAddress: 'ainft', moduleAccounts: new Set() } as unknown as AinftEnv;
  }

  it('refuses a payer who holds less than the price, even when its own token keeps all of it', () => {
    // Found by test/app/fuzzAinft.test.ts: the payer owned the token it paid, so nothing moved, and a
    // price above its balance was accepted and counted as earned.
    const owned = token('mine', 'alice');
    const ctx = emptyBlockContext();
    putToken(ctx.state, owned);
    const balances = { alice: 100n };
    const msg = MsgPay.fromPartial({ signer: 'alice', classId: 'c', id: 'mine', amount: '101', kind: 'tip' });
    let thrown: AinError | undefined;
    try {
      pay(ctx, bankOf(balances), owned, msg, defaultAinftParams());
    } catch (error) {
      thrown = error as AinError;
    }
    expect(`${thrown?.codespace}/${thrown?.code}`).toBe('sdk/5');
    expect(thrown?.message).toMatch(/alice.*100uain.*101uain/);
    expect(balances).toEqual({ alice: 100n });
    // The whole balance is a price it may pay.
    expect(pay(ctx, bankOf(balances), owned, { ...msg, amount: '100' }, defaultAinftParams())).toEqual([
      { recipient: 'alice', amount: '100' },
    ]);
  });
});
