import type { TypedEvent } from '../../core/index.ts';
import { type Coin, formatCoins } from '../../core/index.ts';

/** The Cosmos SDK bank events, with the attributes CosmJS and explorers read. */
export const coinSpentEvent = (spender: string, amount: readonly Coin[]): TypedEvent => ({
  type: 'coin_spent',
  attributes: [
    ['spender', spender],
    ['amount', formatCoins(amount)],
  ],
});

export const coinReceivedEvent = (receiver: string, amount: readonly Coin[]): TypedEvent => ({
  type: 'coin_received',
  attributes: [
    ['receiver', receiver],
    ['amount', formatCoins(amount)],
  ],
});

export const transferEvent = (sender: string, recipient: string, amount: readonly Coin[]): TypedEvent => ({
  type: 'transfer',
  attributes: [
    ['recipient', recipient],
    ['sender', sender],
    ['amount', formatCoins(amount)],
  ],
});

export const messageSenderEvent = (sender: string): TypedEvent => ({
  type: 'message',
  attributes: [['sender', sender]],
});

/** Coins created (block rewards), as the SDK's `coinbase` event. */
export const coinbaseEvent = (minter: string, amount: readonly Coin[]): TypedEvent => ({
  type: 'coinbase',
  attributes: [
    ['minter', minter],
    ['amount', formatCoins(amount)],
  ],
});

/** Coins destroyed (slashed stake), as the SDK's `burn` event. */
export const burnEvent = (burner: string, amount: readonly Coin[]): TypedEvent => ({
  type: 'burn',
  attributes: [
    ['burner', burner],
    ['amount', formatCoins(amount)],
  ],
});
