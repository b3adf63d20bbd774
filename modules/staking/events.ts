import type { TypedEvent } from '../../core/index.ts';

/**
 * The staking module's events, with the Cosmos SDK's x/staking types and attributes (explorers and
 * wallets read them). Amounts are coin strings ("1000uain"), times RFC 3339 in UTC.
 */

/** RFC 3339 of block-time seconds (UTC), computed without the clock: civil date from days since 1970-01-01. */
export function rfc3339(seconds: bigint): string {
  const days = seconds >= 0n ? seconds / 86400n : -((-seconds + 86399n) / 86400n);
  const secondOfDay = Number(seconds - days * 86400n);
  // Days to civil (proleptic Gregorian), era-based, valid for any day count.
  const z = days + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = doy - (153n * mp + 2n) / 5n + 1n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  const year = yoe + era * 400n + (month <= 2n ? 1n : 0n);
  const two = (n: number | bigint) => n.toString().padStart(2, '0');
  const hh = Math.floor(secondOfDay / 3600);
  const mm = Math.floor((secondOfDay % 3600) / 60);
  return `${year.toString().padStart(4, '0')}-${two(month)}-${two(day)}T${two(hh)}:${two(mm)}:${two(secondOfDay % 60)}Z`;
}

export const createValidatorEvent = (validator: string, amount: string): TypedEvent => ({
  type: 'create_validator',
  attributes: [
    ['validator', validator],
    ['amount', amount],
  ],
});

export const editValidatorEvent = (validator: string, commissionRate: string, minSelfDelegation: string): TypedEvent => ({
  type: 'edit_validator',
  attributes: [
    ['validator', validator],
    ['commission_rate', commissionRate],
    ['min_self_delegation', minSelfDelegation],
  ],
});

export const delegateEvent = (validator: string, delegator: string, amount: string, newShares: string): TypedEvent => ({
  type: 'delegate',
  attributes: [
    ['validator', validator],
    ['delegator', delegator],
    ['amount', amount],
    ['new_shares', newShares],
  ],
});

export const unbondEvent = (validator: string, delegator: string, amount: string, completionTime: bigint): TypedEvent => ({
  type: 'unbond',
  attributes: [
    ['validator', validator],
    ['delegator', delegator],
    ['amount', amount],
    ['completion_time', rfc3339(completionTime)],
  ],
});

export const redelegateEvent = (src: string, dst: string, delegator: string, amount: string, completionTime: bigint): TypedEvent => ({
  type: 'redelegate',
  attributes: [
    ['source_validator', src],
    ['destination_validator', dst],
    ['delegator', delegator],
    ['amount', amount],
    ['completion_time', rfc3339(completionTime)],
  ],
});

export const completeUnbondingEvent = (validator: string, delegator: string, amount: string): TypedEvent => ({
  type: 'complete_unbonding',
  attributes: [
    ['amount', amount],
    ['validator', validator],
    ['delegator', delegator],
  ],
});

export const completeRedelegationEvent = (src: string, dst: string, delegator: string, amount: string): TypedEvent => ({
  type: 'complete_redelegation',
  attributes: [
    ['amount', amount],
    ['source_validator', src],
    ['destination_validator', dst],
    ['delegator', delegator],
  ],
});
