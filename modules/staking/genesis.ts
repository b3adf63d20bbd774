import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import {
  ainError,
  ErrInvalidPubKey,
  ErrInvalidRequest,
  moduleAddress,
  parseAddress,
  type Coin,
  parseAmount,
  exportSubtrees,
  importSubtrees,
  type SubtreeLeaves,
  DEC_ONE,
  decFromText,
  decToText,
} from '../../core/index.ts';
import type { ModuleGenesis, ReadableState } from '../../core/index.ts';
import { STAKING_ROOT } from './keys.ts';
import { checkStakingLeaves } from './genesisLeaves.ts';
import { consAddressHex, ED25519_PUBKEY_BYTES, parseValoper, toValoper } from './address.ts';
import { ErrCommissionChangeRateGTMaxRate, ErrCommissionGTMaxRate, ErrCommissionHuge, ErrCommissionLTMinRate } from './errors.ts';
import type { BankKeeper, BlockContext } from './expected_keepers.ts';
import { BONDED_POOL_NAME, MAX_VALIDATOR_RECORDS, NOT_BONDED_POOL_NAME, type StakingKeeper } from './keeper.ts';
import { validateDescription } from './msgs.ts';
import {
  defaultStakingParams,
  POWER_REDUCTION,
  type StakingParams,
  type StakingParamsJson,
  stakingParamsFromJson,
  stakingParamsToJson,
  writeStakingParams,
} from './params.ts';
import { BondStatus, ED25519_PUBKEY_TYPE_URL, type Validator } from './validator.ts';

/** Most genesis delegations accepted (a bound on what InitChain does). */
export const MAX_GENESIS_DELEGATIONS = 100_000;

/** A genesis validator; its stake is in the bonded pool's genesis balance (what `addGenesisValidator` writes). */
export interface GenesisValidatorJson {
  operator_address: string;
  consensus_pubkey: { '@type': typeof ED25519_PUBKEY_TYPE_URL; key: string };
  tokens: string;
  /** Decimal text, e.g. "1000000". */
  delegator_shares: string;
  description: { moniker: string; identity?: string; website?: string; security_contact?: string; details?: string };
  /** Decimal text, e.g. {"rate": "0.1", "max_rate": "0.2", "max_change_rate": "0.01"}. */
  commission: { rate: string; max_rate: string; max_change_rate: string };
  min_self_delegation: string;
}

export interface GenesisDelegationJson {
  delegator_address: string;
  validator_address: string;
  /** Decimal text. */
  shares: string;
}

/** `app_state.staking`: params, genesis validators and delegations; `leaves` restores an exported state. */
export interface StakingGenesisJson {
  params: StakingParamsJson;
  validators: GenesisValidatorJson[];
  delegations: GenesisDelegationJson[];
  leaves?: SubtreeLeaves;
}

export function defaultStakingGenesis(): StakingGenesisJson {
  return { params: defaultStakingParams(), validators: [], delegations: [] };
}

/** Commission rates from decimal text, checked as MsgCreateValidator checks them plus the chain's minimum. */
function genesisCommission(json: GenesisValidatorJson['commission'], field: string, params: StakingParams) {
  const rate = decFromText(String(json?.rate), `${field}.rate`);
  const maxRate = decFromText(String(json?.max_rate), `${field}.max_rate`);
  const maxChangeRate = decFromText(String(json?.max_change_rate), `${field}.max_change_rate`);
  if (maxRate > DEC_ONE) throw ainError(ErrCommissionHuge, `${field}.max_rate ${decToText(maxRate)} is above 1`);
  if (rate > maxRate) throw ainError(ErrCommissionGTMaxRate, `${field}.rate ${decToText(rate)} > max_rate ${decToText(maxRate)}`);
  if (maxChangeRate > maxRate) {
    throw ainError(
      ErrCommissionChangeRateGTMaxRate,
      `${field}.max_change_rate ${decToText(maxChangeRate)} > max_rate ${decToText(maxRate)}`,
    );
  }
  if (rate < params.minCommissionRate) {
    throw ainError(ErrCommissionLTMinRate, `${field}.rate ${decToText(rate)} < min_commission_rate ${decToText(params.minCommissionRate)}`);
  }
  return { rate, maxRate, maxChangeRate };
}

function genesisPubkey(json: GenesisValidatorJson['consensus_pubkey'], field: string): Uint8Array {
  if (json?.['@type'] !== ED25519_PUBKEY_TYPE_URL) {
    throw ainError(ErrInvalidPubKey, `${field} must be {"@type": "${ED25519_PUBKEY_TYPE_URL}", "key": <base64>}`);
  }
  const key = Buffer.from(String(json.key), 'base64');
  if (key.length !== ED25519_PUBKEY_BYTES || key.toString('base64') !== json.key) {
    throw ainError(ErrInvalidPubKey, `${field}.key must be base64 of ${ED25519_PUBKEY_BYTES} bytes`);
  }
  return key;
}

/**
 * InitChain: staking params, genesis validators and delegations. The genesis balance of the bonded
 * pool must equal the validators' tokens (and the not-bonded pool hold nothing); validators start
 * unbonded, the stake moves to the not-bonded pool, and the same active-set rule as every block
 * bonds the top `max_validators`. Returns their updates: the validator set for ResponseInitChain.
 */
function initStakingGenesis(
  ctx: BlockContext,
  keeper: StakingKeeper,
  bank: BankKeeper,
  genesis: StakingGenesisJson | undefined,
): ValidatorUpdate[] {
  const json = genesis ?? defaultStakingGenesis();
  const params = stakingParamsFromJson(json.params);
  writeStakingParams(ctx.state, params);
  const validators = json.validators ?? [];
  const delegations = json.delegations ?? [];
  if (validators.length > MAX_VALIDATOR_RECORDS) {
    throw ainError(ErrInvalidRequest, `genesis staking.validators has ${validators.length} entries; at most ${MAX_VALIDATOR_RECORDS}`);
  }
  if (delegations.length > MAX_GENESIS_DELEGATIONS) {
    throw ainError(ErrInvalidRequest, `genesis staking.delegations has ${delegations.length} entries; at most ${MAX_GENESIS_DELEGATIONS}`);
  }
  let totalTokens = 0n;
  const shares = new Map<string, bigint>();
  validators.forEach((v, i) => {
    const field = `genesis staking.validators[${i}]`;
    parseValoper(v.operator_address, `${field}.operator_address`);
    const pubkey = genesisPubkey(v.consensus_pubkey, `${field}.consensus_pubkey`);
    const tokens = parseAmount(String(v.tokens), `${field}.tokens`);
    const delegatorShares = decFromText(String(v.delegator_shares), `${field}.delegator_shares`);
    if (tokens === 0n || delegatorShares === 0n) throw ainError(ErrInvalidRequest, `${field} needs positive tokens and delegator_shares`);
    const description = {
      moniker: String(v.description?.moniker ?? ''),
      identity: String(v.description?.identity ?? ''),
      website: String(v.description?.website ?? ''),
      securityContact: String(v.description?.security_contact ?? ''),
      details: String(v.description?.details ?? ''),
    };
    validateDescription(description, true);
    const validator: Validator = {
      operatorAddress: v.operator_address,
      consensusPubkey: Buffer.from(pubkey).toString('base64'),
      consAddress: consAddressHex(pubkey),
      jailed: false,
      status: BondStatus.BOND_STATUS_UNBONDED,
      tokens,
      delegatorShares,
      description,
      unbondingHeight: 0n,
      unbondingTime: 0n,
      commission: { ...genesisCommission(v.commission, `${field}.commission`, params), updateTime: ctx.blockTimeSeconds },
      minSelfDelegation: parseAmount(String(v.min_self_delegation), `${field}.min_self_delegation`),
    };
    keeper.initValidator(ctx.state, validator);
    shares.set(v.operator_address, delegatorShares);
    totalTokens += tokens;
  });
  delegations.forEach((d, i) => {
    const field = `genesis staking.delegations[${i}]`;
    parseAddress(d.delegator_address, `${field}.delegator_address`);
    const remaining = shares.get(d.validator_address);
    if (remaining === undefined)
      throw ainError(ErrInvalidRequest, `${field}.validator_address ${d.validator_address} is not a genesis validator`);
    const amount = decFromText(String(d.shares), `${field}.shares`);
    if (amount === 0n || amount > remaining) {
      throw ainError(
        ErrInvalidRequest,
        `${field}.shares must be positive and the delegations must add up to the validator's delegator_shares`,
      );
    }
    shares.set(d.validator_address, remaining - amount);
    keeper.initDelegation(ctx.state, d.delegator_address, d.validator_address, amount);
  });
  for (const [valoper, left] of shares) {
    if (left !== 0n)
      throw ainError(ErrInvalidRequest, `genesis delegations to ${valoper} fall ${decToText(left)} shares short of its delegator_shares`);
  }
  const pool = { bonded: keeper.bondedPool, notBonded: keeper.notBondedPool };
  const bonded = bank.getBalance(ctx.state, pool.bonded, params.bondDenom);
  if (bonded !== totalTokens) {
    throw ainError(
      ErrInvalidRequest,
      `genesis balance of ${BONDED_POOL_NAME} (${pool.bonded}) is ${bonded}${params.bondDenom}; the validators' tokens add up to ${totalTokens}${params.bondDenom}`,
    );
  }
  if (bank.getBalance(ctx.state, pool.notBonded, params.bondDenom) !== 0n) {
    throw ainError(ErrInvalidRequest, `genesis balance of ${NOT_BONDED_POOL_NAME} (${pool.notBonded}) must be empty`);
  }
  if (totalTokens > 0n) bank.sendCoins(ctx, pool.bonded, pool.notBonded, [{ denom: params.bondDenom, amount: totalTokens }]);
  return keeper.applyValidatorSetUpdates(ctx, params);
}

/** What `aind genesis add-validator` asks for. */
export interface GenesisValidatorInput {
  /** The operator's `ain1...` account: a genesis account holding at least `selfDelegation`. */
  readonly operator: string;
  /** The ed25519 consensus key (32 bytes), base64, as in priv_validator_key.json's `pub_key.value`. */
  readonly consensusPubkeyBase64: string;
  readonly selfDelegation: Coin;
  readonly moniker: string;
  /** Decimal text, e.g. "0.10". */
  readonly commissionRate: string;
  /** Decimal text (default the larger of 0.2 and the rate). */
  readonly commissionMaxRate?: string;
  /** Decimal text (default the smaller of 0.01 and the max rate). */
  readonly commissionMaxChangeRate?: string;
}

/** A genesis validator and its self-delegation, checked against the staking section they join. */
export interface GenesisValidatorEntry {
  readonly validator: GenesisValidatorJson;
  readonly delegation: GenesisDelegationJson;
  /** The stake that moves from the operator's genesis balance into the bonded pool. */
  readonly stake: Coin;
  /** The bonded pool's address, whose genesis balance holds every genesis validator's tokens. */
  readonly bondedPool: string;
}

/**
 * The staking half of `aind genesis add-validator` (a pure function; `addGenesisValidator` in
 * `app/genesis.ts` also moves the stake between genesis balances): the validator entry and its
 * self-delegation (1 share per token), checked against `staking`'s params and validators.
 * @throws AinError sdk/7 bad operator, sdk/8 bad key, sdk/18 duplicate or bad field, staking/9-15,40 commission
 */
export function genesisValidatorEntry(staking: StakingGenesisJson, input: GenesisValidatorInput): GenesisValidatorEntry {
  parseAddress(input.operator, 'operator');
  const params = stakingParamsFromJson(staking.params);
  const pubkey = Buffer.from(input.consensusPubkeyBase64, 'base64');
  if (pubkey.length !== ED25519_PUBKEY_BYTES || pubkey.toString('base64') !== input.consensusPubkeyBase64) {
    throw ainError(ErrInvalidPubKey, `consensus pubkey must be base64 of ${ED25519_PUBKEY_BYTES} bytes (ed25519)`);
  }
  const { denom, amount } = input.selfDelegation;
  if (denom !== params.bondDenom) throw ainError(ErrInvalidRequest, `self-delegation denom is ${denom}; expected ${params.bondDenom}`);
  if (amount < POWER_REDUCTION) {
    throw ainError(
      ErrInvalidRequest,
      `self-delegation ${amount}${denom} is below ${POWER_REDUCTION}${denom}, the stake of 1 unit of power`,
    );
  }
  const valoper = toValoper(input.operator);
  if (staking.validators.some((v) => v.operator_address === valoper))
    throw ainError(ErrInvalidRequest, `validator ${valoper} already exists in genesis`);
  if (staking.validators.some((v) => v.consensus_pubkey.key === input.consensusPubkeyBase64)) {
    throw ainError(ErrInvalidRequest, `consensus key ${input.consensusPubkeyBase64} already belongs to a genesis validator`);
  }
  const rate = decFromText(input.commissionRate, 'commission rate');
  const maxRate =
    input.commissionMaxRate !== undefined
      ? decFromText(input.commissionMaxRate, 'commission max rate')
      : rate > DEC_ONE / 5n
        ? rate
        : DEC_ONE / 5n;
  const maxChange =
    input.commissionMaxChangeRate !== undefined ? decFromText(input.commissionMaxChangeRate, 'commission max change rate') : DEC_ONE / 100n;
  const description = { moniker: input.moniker, identity: '', website: '', securityContact: '', details: '' };
  validateDescription(description, true);
  const validator: GenesisValidatorJson = {
    operator_address: valoper,
    consensus_pubkey: { '@type': ED25519_PUBKEY_TYPE_URL, key: input.consensusPubkeyBase64 },
    tokens: amount.toString(),
    delegator_shares: amount.toString(),
    description: { moniker: input.moniker },
    commission: {
      rate: decToText(rate),
      max_rate: decToText(maxRate),
      max_change_rate: decToText(maxChange < maxRate ? maxChange : maxRate),
    },
    min_self_delegation: '1',
  };
  genesisCommission(validator.commission, 'commission', params);
  return {
    validator,
    delegation: { delegator_address: input.operator, validator_address: valoper, shares: amount.toString() },
    stake: { denom, amount },
    bondedPool: moduleAddress(BONDED_POOL_NAME),
  };
}

/** The active set CometBFT must start from when a chain restarts from exported leaves: the last powers sent to it. */
function lastValidatorSet(keeper: StakingKeeper, state: ReadableState): ValidatorUpdate[] {
  return [...keeper.lastValidatorPowers(state)].map(([valoper, power]) => {
    const validator = keeper.getValidator(state, valoper);
    if (!validator) throw new Error(`state invariant broken: last power of unknown validator ${valoper}`);
    return { pubKey: { ed25519: Buffer.from(validator.consensusPubkey, 'base64') }, power };
  });
}

/** The staking module's part of the genesis contract. */
export function stakingGenesis(keeper: StakingKeeper, bank: BankKeeper): ModuleGenesis<StakingGenesisJson> {
  return {
    defaultGenesis: defaultStakingGenesis,
    validate: (genesis) => void stakingParamsFromJson(genesis.params),
    init(ctx, genesis) {
      if (genesis?.leaves === undefined) return initStakingGenesis(ctx, keeper, bank, genesis);
      writeStakingParams(ctx.state, stakingParamsFromJson(genesis.params));
      importSubtrees(ctx.state, genesis.leaves, [STAKING_ROOT], 'genesis staking.leaves');
      checkStakingLeaves(genesis.leaves);
      return lastValidatorSet(keeper, ctx.state);
    },
    exportGenesis: (state) => ({
      params: stakingParamsToJson(keeper.params(state)),
      validators: [],
      delegations: [],
      leaves: exportSubtrees(state, [STAKING_ROOT]),
    }),
  };
}
