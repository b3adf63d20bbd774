/**
 * The staking module's subtree `/staking` (params at `/params/staking/<name>`). Times are block-time
 * seconds and heights are padded to 20 digits in queue keys, so a range read from the front yields
 * the earliest first. Operator addresses are `ainvaloper1...`, delegators `ain1...`.
 */
export const STAKING_ROOT = '/staking';
export const PARAMS_ROOT = '/params/staking';

/** `/staking/validators/<valoper>`: the validator record, canonical JSON text. */
export const VALIDATORS_ROOT = `${STAKING_ROOT}/validators`;
/** `/staking/validator_count`: how many validator records exist (bounded by MAX_VALIDATOR_RECORDS). */
export const VALIDATOR_COUNT_PATH = `${STAKING_ROOT}/validator_count`;
/** `/staking/by_cons/<consensus address hex>`: the operator address. */
export const BY_CONS_ROOT = `${STAKING_ROOT}/by_cons`;
/** `/staking/power/<10^20 - 1 - power, 20 digits>/<operator hex>`: the operator of every non-jailed validator, highest power first. */
export const POWER_ROOT = `${STAKING_ROOT}/power`;
/** `/staking/last_power/<valoper>`: the power last sent to CometBFT for each validator of the active set. */
export const LAST_POWER_ROOT = `${STAKING_ROOT}/last_power`;
export const LAST_TOTAL_POWER_PATH = `${STAKING_ROOT}/last_total_power`;
/** `/staking/delegations/<delegator>/<valoper>`: shares (LegacyDec atomics). */
export const DELEGATIONS_ROOT = `${STAKING_ROOT}/delegations`;
/** `/staking/val_delegations/<valoper>/<delegator>`: `true` (index for a validator's delegations). */
export const VAL_DELEGATIONS_ROOT = `${STAKING_ROOT}/val_delegations`;
/** `/staking/unbonding/<delegator>/<valoper>`: entries, canonical JSON text. */
export const UNBONDING_ROOT = `${STAKING_ROOT}/unbonding`;
/** `/staking/val_unbonding/<valoper>/<delegator>`: `true` (index for slashing). */
export const VAL_UNBONDING_ROOT = `${STAKING_ROOT}/val_unbonding`;
/** `/staking/ubd_queue/<completion time>/<delegator>/<valoper>`: `true` until the entries due then complete. */
export const UBD_QUEUE_ROOT = `${STAKING_ROOT}/ubd_queue`;
/** `/staking/redelegations/<delegator>/<src valoper>/<dst valoper>`: entries, canonical JSON text. */
export const REDELEGATIONS_ROOT = `${STAKING_ROOT}/redelegations`;
/** `/staking/red_by_src/<src>/<delegator>/<dst>` and `/staking/red_by_dst/<dst>/<delegator>/<src>`: `true` (indexes). */
export const RED_BY_SRC_ROOT = `${STAKING_ROOT}/red_by_src`;
export const RED_BY_DST_ROOT = `${STAKING_ROOT}/red_by_dst`;
/** `/staking/red_queue/<completion time>/<delegator>/<src>/<dst>`: `true` until the entries due then complete. */
export const RED_QUEUE_ROOT = `${STAKING_ROOT}/red_queue`;
/** `/staking/val_queue/<unbonding time>/<valoper>`: `true` while the validator is unbonding. */
export const VAL_QUEUE_ROOT = `${STAKING_ROOT}/val_queue`;
/** `/staking/next_unbonding_id`: ids of unbonding and redelegation entries (missing = 1). */
export const NEXT_UNBONDING_ID_PATH = `${STAKING_ROOT}/next_unbonding_id`;

/** Largest power the index key can hold (20 digits); CometBFT's own cap (MaxInt64 / 8) is far below. */
const POWER_KEY_MAX = 10n ** 20n - 1n;

export const pad20 = (n: bigint): string => n.toString().padStart(20, '0');

export const validatorPath = (valoper: string): string => `${VALIDATORS_ROOT}/${valoper}`;
export const byConsPath = (consHex: string): string => `${BY_CONS_ROOT}/${consHex}`;
export const powerIndexPath = (power: bigint, operatorHex: string): string =>
  `${POWER_ROOT}/${pad20(POWER_KEY_MAX - power)}/${operatorHex}`;
export const lastPowerPath = (valoper: string): string => `${LAST_POWER_ROOT}/${valoper}`;
export const delegatorDelegationsPath = (delegator: string): string => `${DELEGATIONS_ROOT}/${delegator}`;
export const delegationPath = (delegator: string, valoper: string): string => `${DELEGATIONS_ROOT}/${delegator}/${valoper}`;
export const valDelegationsPath = (valoper: string): string => `${VAL_DELEGATIONS_ROOT}/${valoper}`;
export const valDelegationPath = (valoper: string, delegator: string): string => `${VAL_DELEGATIONS_ROOT}/${valoper}/${delegator}`;
export const delegatorUnbondingPath = (delegator: string): string => `${UNBONDING_ROOT}/${delegator}`;
export const unbondingPath = (delegator: string, valoper: string): string => `${UNBONDING_ROOT}/${delegator}/${valoper}`;
export const valUnbondingsPath = (valoper: string): string => `${VAL_UNBONDING_ROOT}/${valoper}`;
export const valUnbondingPath = (valoper: string, delegator: string): string => `${VAL_UNBONDING_ROOT}/${valoper}/${delegator}`;
export const ubdQueuePath = (time: bigint, delegator: string, valoper: string): string =>
  `${UBD_QUEUE_ROOT}/${pad20(time)}/${delegator}/${valoper}`;
export const delegatorRedelegationsPath = (delegator: string): string => `${REDELEGATIONS_ROOT}/${delegator}`;
export const redelegationPath = (delegator: string, src: string, dst: string): string => `${REDELEGATIONS_ROOT}/${delegator}/${src}/${dst}`;
export const redBySrcPath = (src: string, delegator?: string, dst?: string): string =>
  [RED_BY_SRC_ROOT, src, delegator, dst].filter((label) => label !== undefined).join('/');
export const redByDstPath = (dst: string, delegator?: string, src?: string): string =>
  [RED_BY_DST_ROOT, dst, delegator, src].filter((label) => label !== undefined).join('/');
export const redQueuePath = (time: bigint, delegator: string, src: string, dst: string): string =>
  `${RED_QUEUE_ROOT}/${pad20(time)}/${delegator}/${src}/${dst}`;
export const valQueuePath = (time: bigint, valoper: string): string => `${VAL_QUEUE_ROOT}/${pad20(time)}/${valoper}`;

/** The labels after `root/` of a path (e.g. a queue key's time and addresses). */
export function labelsAfter(root: string, path: string): string[] {
  return path.slice(root.length + 1).split('/');
}
