/**
 * Errors of the slashing module (codespace `slashing`), with the Cosmos SDK's x/slashing codes.
 * Append-only: codes are never renumbered or reused.
 */
import { registerError } from '../../core/index.ts';

export const SLASHING = 'slashing';

export const ErrNoValidatorForAddress = registerError(SLASHING, 2, 'address is not associated with any known validator');
export const ErrValidatorJailed = registerError(SLASHING, 4, 'validator still jailed; cannot be unjailed');
export const ErrValidatorNotJailed = registerError(SLASHING, 5, 'validator not jailed; cannot be unjailed');
export const ErrMissingSelfDelegation = registerError(SLASHING, 6, 'validator has no self-delegation; cannot be unjailed');
export const ErrSelfDelegationTooLowToUnjail = registerError(
  SLASHING,
  7,
  "validator's self delegation less than minimum; cannot be unjailed",
);
export const ErrNoSigningInfoFound = registerError(SLASHING, 8, 'no validator signing info found', { notFound: true });
