/**
 * Errors of the staking module (codespace `staking`), with the Cosmos SDK's x/staking codes so wallets
 * and explorers read them alike. Append-only: codes are never renumbered or reused.
 */
import { registerError } from '../../core/index.ts';

export const STAKING = 'staking';

export const ErrEmptyValidatorAddr = registerError(STAKING, 2, 'empty validator address');
export const ErrNoValidatorFound = registerError(STAKING, 3, 'validator does not exist', { notFound: true });
export const ErrValidatorOwnerExists = registerError(
  STAKING,
  4,
  'validator already exist for this operator address; must use new validator operator address',
);
export const ErrValidatorPubKeyExists = registerError(STAKING, 5, 'validator already exist for this pubkey; must use new validator pubkey');
export const ErrValidatorPubKeyTypeNotSupported = registerError(STAKING, 6, 'validator pubkey type is not supported');
export const ErrValidatorJailed = registerError(STAKING, 7, 'validator for this address is currently jailed');
export const ErrCommissionNegative = registerError(STAKING, 9, 'commission must be positive');
export const ErrCommissionHuge = registerError(STAKING, 10, 'commission cannot be more than 100%');
export const ErrCommissionGTMaxRate = registerError(STAKING, 11, 'commission cannot be more than the max rate');
export const ErrCommissionUpdateTime = registerError(STAKING, 12, 'commission cannot be changed more than once in 24h');
export const ErrCommissionChangeRateGTMaxRate = registerError(STAKING, 14, 'commission change rate cannot be more than the max rate');
export const ErrCommissionGTMaxChangeRate = registerError(STAKING, 15, 'commission cannot be changed more than max change rate');
export const ErrSelfDelegationBelowMinimum = registerError(
  STAKING,
  16,
  "validator's self delegation must be greater than their minimum self delegation",
);
export const ErrMinSelfDelegationDecreased = registerError(STAKING, 17, 'minimum self delegation cannot be decrease');
export const ErrNoDelegation = registerError(STAKING, 19, 'no delegation for (address, validator) tuple', { notFound: true });
export const ErrInsufficientShares = registerError(STAKING, 22, 'insufficient delegation shares');
export const ErrNotEnoughDelegationShares = registerError(STAKING, 24, 'not enough delegation shares');
export const ErrNoUnbondingDelegation = registerError(STAKING, 26, 'no unbonding delegation found', { notFound: true });
export const ErrMaxUnbondingDelegationEntries = registerError(
  STAKING,
  27,
  'too many unbonding delegation entries for (delegator, validator) tuple',
);
export const ErrNoRedelegation = registerError(STAKING, 28, 'no redelegation found', { notFound: true });
export const ErrSelfRedelegation = registerError(STAKING, 29, 'cannot redelegate to the same validator');
export const ErrTinyRedelegationAmount = registerError(STAKING, 30, 'too few tokens to redelegate (truncates to zero tokens)');
export const ErrBadRedelegationDst = registerError(STAKING, 31, 'redelegation destination validator not found');
export const ErrTransitiveRedelegation = registerError(
  STAKING,
  32,
  'redelegation to this validator already in progress; first redelegation to this validator must complete before next redelegation',
);
export const ErrMaxRedelegationEntries = registerError(
  STAKING,
  33,
  'too many redelegation entries for (delegator, src-validator, dst-validator) tuple',
);
export const ErrDelegatorShareExRateInvalid = registerError(STAKING, 34, 'cannot delegate to validators with invalid (zero) ex-rate');
export const ErrEmptyValidatorPubKey = registerError(STAKING, 39, 'empty validator public key');
export const ErrCommissionLTMinRate = registerError(STAKING, 40, 'commission cannot be less than min rate');
/** Ours (the SDK has no such bound): the chain holds MAX_VALIDATOR_RECORDS validators already. */
export const ErrTooManyValidators = registerError(STAKING, 100, 'too many validators');
/** Ours: a validator's power would pass CometBFT's cap (MaxInt64 / 8). */
export const ErrPowerTooLarge = registerError(STAKING, 101, 'validator power too large');
