import type { TypedEvent } from '../../core/index.ts';
import { formatCoins, type Coin, decToFixed18 } from '../../core/index.ts';
import type { DecCoins } from './decCoins.ts';

/** DecCoins as the SDK prints them: "1.500000000000000000uain". */
export const formatDecCoins = (coins: DecCoins): string => coins.map((c) => `${decToFixed18(c.amount)}${c.denom}`).join(',');

/** The distribution module's events, with the Cosmos SDK's x/distribution (and x/mint) types and attributes. */
export const mintEvent = (amount: readonly Coin[]): TypedEvent => ({ type: 'mint', attributes: [['amount', formatCoins(amount)]] });

export const commissionEvent = (validator: string, amount: DecCoins): TypedEvent => ({
  type: 'commission',
  attributes: [
    ['amount', formatDecCoins(amount)],
    ['validator', validator],
  ],
});

export const rewardsEvent = (validator: string, amount: DecCoins): TypedEvent => ({
  type: 'rewards',
  attributes: [
    ['amount', formatDecCoins(amount)],
    ['validator', validator],
  ],
});

export const withdrawRewardsEvent = (validator: string, delegator: string, amount: readonly Coin[]): TypedEvent => ({
  type: 'withdraw_rewards',
  attributes: [
    ['amount', formatCoins(amount)],
    ['validator', validator],
    ['delegator', delegator],
  ],
});

export const withdrawCommissionEvent = (validator: string, amount: readonly Coin[]): TypedEvent => ({
  type: 'withdraw_commission',
  attributes: [
    ['amount', formatCoins(amount)],
    ['validator', validator],
  ],
});

export const setWithdrawAddressEvent = (delegator: string, withdrawAddress: string): TypedEvent => ({
  type: 'set_withdraw_address',
  attributes: [
    ['delegator', delegator],
    ['withdraw_address', withdrawAddress],
  ],
});
