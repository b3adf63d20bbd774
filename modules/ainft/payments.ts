/**
 * Value flowing back down a composition. A payment of A uain to a token T is split depth first in
 * T's listed order: each child c gets floor(A * w_c / total_weight) and splits it again the same way;
 * T's owner keeps the rest (its own weight's part and every rounding remainder), so the parts add up
 * to A exactly and no dust is lost. A token at depth `max_depth`, or a child past the walk's budget
 * of `max_nodes` tokens, is not split further: its whole share stays with its owner. The payer sends
 * each owner its total directly (one transfer per address, in address order).
 */
import { ainError, BASE_DENOM, ErrInsufficientFunds, ErrLogic } from '../../core/index.ts';
import type { ReadableState } from '../../core/index.ts';
import type { MsgPay } from '../../proto/gen/ain/ainft/v1/tx.ts';
import type { Payout, Share } from '../../proto/gen/ain/ainft/v1/types.ts';
import type { AinftEnv } from './env.ts';
import { paidEvent, royaltyEvent } from './events.ts';
import { earnedPath, tokenLabel } from './keys.ts';
import type { AinftParams } from './params.ts';
import { type AinftContext, addCount, getToken, type StoredToken } from './records.ts';

/** One token's part of a split. */
export interface SplitShare {
  readonly token: StoredToken;
  /** What reached the token. */
  readonly amount: bigint;
  /** What stays with its owner. */
  readonly ownerAmount: bigint;
  readonly depth: number;
}

export interface Split {
  /** Per token reached, in the walk's order (the root first). */
  readonly shares: readonly SplitShare[];
  /** Per owner, in address order: the sum of the owner amounts of its tokens. */
  readonly payouts: ReadonlyArray<readonly [string, bigint]>;
}

/**
 * How `amount` paid to `root` splits now (see the file's comment for the rule).
 * @example splitPayment(state, composed, 1001n, params) // children 2:5:3 of 10 -> 200, 500, 300; the composed token's owner 1
 */
export function splitPayment(state: ReadableState, root: StoredToken, amount: bigint, params: AinftParams): Split {
  const shares: SplitShare[] = [];
  let budget = params.maxNodes - 1;
  const visit = (token: StoredToken, reached: bigint, depth: number): void => {
    const { children, totalWeight } = token.composition;
    const descend: Array<[StoredToken, bigint]> = [];
    let kept = reached;
    if (depth < params.maxDepth && totalWeight > 0n) {
      for (const child of children) {
        const share = (reached * child.weight) / totalWeight;
        if (share === 0n || budget === 0) continue;
        const stored = getToken(state, child);
        // Burning a composed token is refused, so a child always exists.
        if (!stored) throw ainError(ErrLogic, `${tokenLabel(token)} is composed of ${tokenLabel(child)}, which does not exist`);
        budget -= 1;
        kept -= share;
        descend.push([stored, share]);
      }
    }
    shares.push({ token, amount: reached, ownerAmount: kept, depth });
    for (const [child, share] of descend) visit(child, share, depth + 1);
  };
  visit(root, amount, 0);
  const totals = new Map<string, bigint>();
  for (const share of shares) totals.set(share.token.owner, (totals.get(share.token.owner) ?? 0n) + share.ownerAmount);
  const payouts = [...totals].filter(([, value]) => value > 0n).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const paid = payouts.reduce((sum, [, value]) => sum + value, 0n);
  if (paid !== amount) throw ainError(ErrLogic, `a split of ${amount} to ${tokenLabel(root)} pays ${paid}`);
  return { shares, payouts };
}

/**
 * MsgPay: the signer pays each owner its part of the split; every token reached records what its owner kept.
 * @throws AinError sdk/5 when the signer may spend less than the whole price (its own part included)
 */
export function pay(ctx: AinftContext, env: AinftEnv, root: StoredToken, msg: MsgPay, params: AinftParams): Payout[] {
  const amount = BigInt(msg.amount);
  // The payer's own part does not move, so the sends alone would not check that it holds the price.
  const balance = env.bank.getBalance(ctx.state, msg.signer, BASE_DENOM);
  const [spendable] = env.bank.spendableCoins(ctx.state, msg.signer, [{ denom: BASE_DENOM, amount: balance }], ctx.blockTimeSeconds);
  if ((spendable?.amount ?? 0n) < amount)
    throw ainError(
      ErrInsufficientFunds,
      `payer ${msg.signer} may spend ${spendable?.amount ?? 0n}${BASE_DENOM}, less than the price ${amount}${BASE_DENOM}`,
      { address: msg.signer, denom: BASE_DENOM },
    );
  const split = splitPayment(ctx.state, root, amount, params);
  for (const [recipient, value] of split.payouts)
    if (recipient !== msg.signer) env.bank.sendCoins(ctx, msg.signer, recipient, [{ denom: BASE_DENOM, amount: value }]);
  ctx.events.emit(paidEvent({ classId: root.classId, id: root.id, payer: msg.signer, amount: msg.amount, kind: msg.kind, memo: msg.memo }));
  for (const share of split.shares) {
    if (share.ownerAmount === 0n) continue;
    addCount(ctx.state, earnedPath(share.token.classId, share.token.id), share.ownerAmount);
    ctx.events.emit(
      royaltyEvent({
        classId: share.token.classId,
        id: share.token.id,
        owner: share.token.owner,
        amount: share.ownerAmount.toString(),
        depth: share.depth,
      }),
    );
  }
  return split.payouts.map(([recipient, value]) => ({ recipient, amount: value.toString() }));
}

export function sharesToProto(split: Split): Share[] {
  return split.shares.map((share) => ({
    token: { classId: share.token.classId, id: share.token.id },
    owner: share.token.owner,
    amount: share.amount.toString(),
    ownerAmount: share.ownerAmount.toString(),
    depth: share.depth,
  }));
}
