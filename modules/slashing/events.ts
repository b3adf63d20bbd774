import type { TypedEvent } from '../../core/index.ts';

/** Why a validator was slashed (the SDK's attribute values). */
export type SlashReason = 'double_sign' | 'missing_signature';

/** The slashing module's events, with the Cosmos SDK's x/slashing types and attributes. Addresses are `ainvalcons1...`. */
export const slashEvent = (address: string, power: bigint, reason: SlashReason, burned: string): TypedEvent => ({
  type: 'slash',
  attributes: [
    ['address', address],
    ['power', power.toString()],
    ['reason', reason],
    ['jailed', address],
    ['burned_coins', burned],
  ],
});

export const livenessEvent = (address: string, missedBlocks: bigint, height: bigint): TypedEvent => ({
  type: 'liveness',
  attributes: [
    ['address', address],
    ['missed_blocks', missedBlocks.toString()],
    ['height', height.toString()],
  ],
});

export const unjailEvent = (validator: string): TypedEvent => ({ type: 'unjail', attributes: [['validator', validator]] });
