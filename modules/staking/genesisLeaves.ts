/**
 * What InitChain checks of exported staking leaves (`staking.leaves`): each leaf must be what the keeper
 * writes at its path. EndBlock reads these records (the power index, the queues' unbondings and
 * redelegations, the last powers), so a hand-edited one that is not would throw in a later block and
 * halt the chain; InitChain refuses it instead, naming the leaf.
 */
import { ainError, ErrInvalidRequest, type StateValue, type SubtreeLeaves, leafShapes } from '../../core/index.ts';
import { parseValoper, valoperHex } from './address.ts';
import { asJson, lastLabel } from './common.ts';
import {
  BY_CONS_ROOT,
  DELEGATIONS_ROOT,
  LAST_POWER_ROOT,
  LAST_TOTAL_POWER_PATH,
  NEXT_UNBONDING_ID_PATH,
  POWER_ROOT,
  powerIndexPath,
  RED_BY_DST_ROOT,
  RED_BY_SRC_ROOT,
  RED_QUEUE_ROOT,
  REDELEGATIONS_ROOT,
  UBD_QUEUE_ROOT,
  UNBONDING_ROOT,
  VAL_DELEGATIONS_ROOT,
  VAL_QUEUE_ROOT,
  VAL_UNBONDING_ROOT,
  VALIDATOR_COUNT_PATH,
  VALIDATORS_ROOT,
  validatorPath,
} from './keys.ts';
import { redelegationEntriesFromText, redelegationText, unbondingEntriesFromText, unbondingText } from './unbonding.ts';
import { consensusPower, type Validator, validatorFromJson, validatorToJson } from './validator.ts';

/** Index and queue leaves: `true` where the keeper keeps an entry. */
const FLAG_ROOTS = [
  VAL_DELEGATIONS_ROOT,
  VAL_UNBONDING_ROOT,
  UBD_QUEUE_ROOT,
  RED_BY_SRC_ROOT,
  RED_BY_DST_ROOT,
  RED_QUEUE_ROOT,
  VAL_QUEUE_ROOT,
];
/** Counters and totals: non-negative integers as decimal strings. */
const COUNTER_PATHS = [VALIDATOR_COUNT_PATH, LAST_TOTAL_POWER_PATH, NEXT_UNBONDING_ID_PATH];

const under = (path: string, root: string): boolean => path.startsWith(`${root}/`);

/**
 * Checks every leaf of `leaves` (already under `/staking`, values already strings, numbers or
 * booleans).
 * @throws AinError sdk/18 naming the first leaf that is not what the keeper writes there
 */
export function checkStakingLeaves(leaves: SubtreeLeaves): void {
  const validators = new Map<string, Validator>();
  for (const [path, text] of Object.entries(leaves))
    if (under(path, VALIDATORS_ROOT)) validators.set(lastLabel(path), checkValidatorLeaf(path, text));
  for (const [path, value] of Object.entries(leaves)) {
    if (under(path, VALIDATORS_ROOT)) continue;
    const refuse = (why: string) => ainError(ErrInvalidRequest, `genesis staking.leaves["${path}"] ${why}`);
    if (under(path, UNBONDING_ROOT)) checkEntries(value, unbondingEntriesFromText, unbondingText, refuse);
    else if (under(path, REDELEGATIONS_ROOT)) checkEntries(value, redelegationEntriesFromText, redelegationText, refuse);
    else if (under(path, POWER_ROOT)) checkPowerIndex(path, value, validators, refuse);
    else if (under(path, LAST_POWER_ROOT)) {
      if (!isUintText(value)) throw refuse('must be a power as a decimal string, e.g. "10"');
      if (!validators.has(lastLabel(path)))
        throw refuse(`is the last power of ${lastLabel(path)}, which has no leaf under ${VALIDATORS_ROOT}`);
    } else if (under(path, BY_CONS_ROOT)) {
      if (typeof value !== 'string') throw refuse('must be an operator address (ainvaloper1...)');
      parseValoper(value, `genesis staking.leaves["${path}"]`);
    } else if (under(path, DELEGATIONS_ROOT) || COUNTER_PATHS.includes(path)) {
      if (!isUintText(value)) throw refuse('must be a non-negative integer as a decimal string');
    } else if (FLAG_ROOTS.some((root) => under(path, root))) {
      if (value !== true) throw refuse('must be true (an index or queue entry)');
    } else throw refuse('is not a leaf the staking module writes');
  }
  // Every validator that is not jailed has its power index leaf, as `setValidator` keeps it.
  for (const [valoper, validator] of validators) {
    const path = powerIndexPath(consensusPower(validator.tokens), valoperHex(valoper));
    if (!validator.jailed && leaves[path] !== valoper)
      throw ainError(
        ErrInvalidRequest,
        `genesis staking.leaves lacks "${path}": "${valoper}", the power index entry of ${validatorPath(valoper)}`,
      );
  }
}

function isUintText(value: StateValue): boolean {
  return leafShapes.uint.safeParse(value).success;
}

/** An unbonding or redelegation record: entries that decode and encode back to the same text, none negative. */
function checkEntries<T extends object>(
  value: StateValue,
  decode: (text: string) => T[],
  encode: (entries: readonly T[]) => string,
  refuse: (why: string) => Error,
): void {
  let entries: T[];
  try {
    entries = decode(value as string);
  } catch (error) {
    throw refuse(`is not a record of entries: ${(error as Error).message}`);
  }
  if (entries.length === 0) throw refuse('has no entries (the keeper deletes an empty record)');
  if (entries.some((entry) => Object.values(entry).some((field) => (field as bigint) < 0n)))
    throw refuse('has a negative height, time, balance or id');
  if (encode(entries) !== value)
    throw refuse('is not a record as exported: canonical JSON, every field, integers as decimal strings (e.g. "16", not "0x10" or " 16 ")');
}

/** `/staking/power/<inverted power>/<operator hex>` names a validator that is not jailed, at its power. */
function checkPowerIndex(
  path: string,
  value: StateValue,
  validators: ReadonlyMap<string, Validator>,
  refuse: (why: string) => Error,
): void {
  const validator = typeof value === 'string' ? validators.get(value) : undefined;
  if (validator === undefined) throw refuse(`must be the operator address of a validator under ${VALIDATORS_ROOT}`);
  const expected = powerIndexPath(consensusPower(validator.tokens), valoperHex(validator.operatorAddress));
  if (validator.jailed || path !== expected)
    throw refuse(
      `does not match ${validatorPath(validator.operatorAddress)}: ${validator.jailed ? 'it is jailed' : `its index entry is ${expected}`}`,
    );
}

/**
 * A validator record of exported leaves, as `setValidator` writes it: canonical JSON of every field,
 * integers as non-negative decimal strings, under its own operator address. A hand-edited one that
 * is not would throw in a later block's EndBlock (halting the chain), so InitChain refuses it.
 * @throws AinError sdk/18 naming the leaf
 */
function checkValidatorLeaf(path: string, text: unknown): Validator {
  const field = `genesis staking.leaves["${path}"]`;
  const refuse = (why: string) => ainError(ErrInvalidRequest, `${field} ${why}`);
  let validator: Validator;
  try {
    validator = validatorFromJson(JSON.parse(text as string) as Parameters<typeof validatorFromJson>[0]);
  } catch (error) {
    throw refuse(`is not a validator record: ${(error as Error).message}`);
  }
  const { description: d } = validator;
  const texts = [
    validator.operatorAddress,
    validator.consensusPubkey,
    validator.consAddress,
    d.moniker,
    d.identity,
    d.website,
    d.securityContact,
    d.details,
  ];
  if (texts.some((value) => typeof value !== 'string') || typeof validator.jailed !== 'boolean')
    throw refuse('must have every field of a validator record (strings, and jailed a boolean)');
  const { commission: c } = validator;
  const integers = [
    validator.tokens,
    validator.delegatorShares,
    validator.unbondingHeight,
    validator.unbondingTime,
    c.rate,
    c.maxRate,
    c.maxChangeRate,
    c.updateTime,
    validator.minSelfDelegation,
  ];
  if (integers.some((value) => value < 0n)) throw refuse('has a negative amount, rate, height or time');
  if (validator.operatorAddress !== lastLabel(path))
    throw refuse(`has operator_address ${validator.operatorAddress}; expected ${lastLabel(path)}`);
  if (asJson(validatorToJson(validator)) !== text)
    throw refuse(
      'is not a validator record as exported: canonical JSON, every field, integers as decimal strings (e.g. "16", not "0x10" or " 16 ")',
    );
  return validator;
}
