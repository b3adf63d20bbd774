import type { TypedEvent } from '../../app/events.ts';
import { type Coin, formatCoins } from './coins.ts';

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
