/**
 * The three authorizations of the Cosmos SDK v0.50 (`GenericAuthorization`, bank's
 * `SendAuthorization`, staking's `StakeAuthorization`): their JSON form (the SDK's proto JSON, which
 * is also how a grant is stored and exported), their protobuf `Any` form, their stateless checks, the
 * message type each one grants, and `accept`, which decides whether a message may run under it and
 * what is left of it afterwards.
 */
import { GenericAuthorization } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import { SendAuthorization } from 'cosmjs-types/cosmos/bank/v1beta1/authz';
import { AuthorizationType, StakeAuthorization } from 'cosmjs-types/cosmos/staking/v1beta1/authz';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  ADDRESS_PREFIX,
  ainError,
  coinsFromProto,
  coinsToProto,
  ErrInsufficientFunds,
  ErrInvalidCoins,
  ErrInvalidRequest,
  ErrUnauthorized,
  type GasMeter,
  parseAddress,
  subtractCoins,
} from '../../core/index.ts';
import { ErrNegativeMaxTokens, ErrUnknownAuthorizationType } from './errors.ts';
import { MAX_TYPE_URL_LENGTH } from './keys.ts';

export const GENERIC_AUTHORIZATION_TYPE_URL = '/cosmos.authz.v1beta1.GenericAuthorization';
export const SEND_AUTHORIZATION_TYPE_URL = '/cosmos.bank.v1beta1.SendAuthorization';
export const STAKE_AUTHORIZATION_TYPE_URL = '/cosmos.staking.v1beta1.StakeAuthorization';
export const MSG_SEND_TYPE_URL = '/cosmos.bank.v1beta1.MsgSend';

/** The staking message each `authorization_type` grants (the SDK's). */
const STAKE_MSG_TYPE_URLS: Readonly<Record<string, string>> = {
  AUTHORIZATION_TYPE_DELEGATE: '/cosmos.staking.v1beta1.MsgDelegate',
  AUTHORIZATION_TYPE_UNDELEGATE: '/cosmos.staking.v1beta1.MsgUndelegate',
  AUTHORIZATION_TYPE_REDELEGATE: '/cosmos.staking.v1beta1.MsgBeginRedelegate',
  AUTHORIZATION_TYPE_CANCEL_UNBONDING_DELEGATION: '/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation',
};

/** Gas of each allow or deny list entry `accept` compares (the SDK's `gasCostPerIteration`). */
export const GAS_PER_LIST_ENTRY = 10;
/** Most entries of an allow or deny list (a bound on the gas and the record's size). */
export const MAX_LIST_ENTRIES = 100;

interface CoinJson {
  readonly denom: string;
  readonly amount: string;
}

/** An authorization in the SDK's proto JSON shape (`@type` and snake_case fields). */
export type AuthorizationJson =
  | { readonly '@type': typeof GENERIC_AUTHORIZATION_TYPE_URL; readonly msg: string }
  | { readonly '@type': typeof SEND_AUTHORIZATION_TYPE_URL; readonly spend_limit: CoinJson[]; readonly allow_list: string[] }
  | {
      readonly '@type': typeof STAKE_AUTHORIZATION_TYPE_URL;
      readonly max_tokens: CoinJson | null;
      readonly allow_list?: { readonly address: string[] };
      readonly deny_list?: { readonly address: string[] };
      readonly authorization_type: string;
    };

/** What is left of an authorization after a message ran under it: deleted, updated, or as it was. */
export interface AcceptResult {
  readonly delete: boolean;
  readonly updated: AuthorizationJson | undefined;
}

/** The message type URL an authorization grants. */
export function msgTypeUrlOf(authorization: AuthorizationJson): string {
  switch (authorization['@type']) {
    case GENERIC_AUTHORIZATION_TYPE_URL:
      return authorization.msg;
    case SEND_AUTHORIZATION_TYPE_URL:
      return MSG_SEND_TYPE_URL;
    case STAKE_AUTHORIZATION_TYPE_URL:
      return STAKE_MSG_TYPE_URLS[authorization.authorization_type] ?? '';
  }
}

function checkList(list: unknown, field: string, check: (entry: string, field: string) => void): string[] {
  if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'string'))
    throw ainError(ErrInvalidRequest, `${field} must be a list of addresses`, { field });
  if (list.length > MAX_LIST_ENTRIES)
    throw ainError(ErrInvalidRequest, `${field} has ${list.length} entries; expected at most ${MAX_LIST_ENTRIES}`, { field });
  const seen = new Set<string>();
  list.forEach((entry: string, i) => {
    check(entry, `${field}[${i}]`);
    if (seen.has(entry)) throw ainError(ErrInvalidRequest, `${field}[${i}] duplicates ${entry}; expected each address once`, { field });
    seen.add(entry);
  });
  return list as string[];
}

const checkValoper = (entry: string, field: string): void => {
  parseAddress(entry, field, `${ADDRESS_PREFIX}valoper`);
};

/**
 * The stateless checks of an authorization (the SDK's `ValidateBasic`), on its JSON form; returns it
 * with every field in its canonical shape. `field` names it in errors.
 * @throws AinError authz/4 unknown type, sdk/10 a spend limit not positive, authz/12 max tokens not positive, sdk/18 a malformed field
 */
export function checkAuthorization(value: unknown, field: string): AuthorizationJson {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw ainError(ErrInvalidRequest, `${field} must be an object with "@type"`, { field });
  const json = value as Record<string, unknown>;
  switch (json['@type']) {
    case GENERIC_AUTHORIZATION_TYPE_URL: {
      const msg = json.msg;
      if (typeof msg !== 'string' || !msg.startsWith('/') || msg.length > MAX_TYPE_URL_LENGTH)
        throw ainError(ErrInvalidRequest, `${field}.msg must be a message type URL such as /cosmos.bank.v1beta1.MsgSend`, {
          field: `${field}.msg`,
        });
      return { '@type': GENERIC_AUTHORIZATION_TYPE_URL, msg };
    }
    case SEND_AUTHORIZATION_TYPE_URL: {
      const limit = json.spend_limit;
      if (!Array.isArray(limit) || limit.length === 0)
        throw ainError(ErrInvalidCoins, `${field}.spend_limit is empty; expected positive coins`, { field: `${field}.spend_limit` });
      const coins = coinsFromProto(limit as CoinJson[], `${field}.spend_limit`);
      const allow = checkList(json.allow_list ?? [], `${field}.allow_list`, (entry, f) => {
        parseAddress(entry, f);
      });
      return { '@type': SEND_AUTHORIZATION_TYPE_URL, spend_limit: coinsToProto(coins), allow_list: allow };
    }
    case STAKE_AUTHORIZATION_TYPE_URL: {
      const type = json.authorization_type;
      if (typeof type !== 'string' || STAKE_MSG_TYPE_URLS[type] === undefined)
        throw ainError(
          ErrUnknownAuthorizationType,
          `${field}.authorization_type is ${String(type)}; expected one of ${Object.keys(STAKE_MSG_TYPE_URLS).join(', ')}`,
          { field: `${field}.authorization_type` },
        );
      let maxTokens: CoinJson | null = null;
      if (json.max_tokens !== null && json.max_tokens !== undefined) {
        const tokens = json.max_tokens as CoinJson;
        if (
          typeof tokens !== 'object' ||
          typeof tokens.amount !== 'string' ||
          !/^[0-9]+$/.test(tokens.amount) ||
          BigInt(tokens.amount) <= 0n
        )
          throw ainError(ErrNegativeMaxTokens, `${field}.max_tokens is ${JSON.stringify(tokens)}; expected a positive coin`, {
            field: `${field}.max_tokens`,
          });
        const [coin] = coinsFromProto([tokens], `${field}.max_tokens`);
        maxTokens = { denom: coin!.denom, amount: coin!.amount.toString() };
      }
      const allow = json.allow_list as { address?: unknown } | undefined;
      const deny = json.deny_list as { address?: unknown } | undefined;
      const allowed = allow ? checkList(allow.address ?? [], `${field}.allow_list.address`, checkValoper) : [];
      const denied = deny ? checkList(deny.address ?? [], `${field}.deny_list.address`, checkValoper) : [];
      if (allowed.length > 0 && denied.length > 0)
        throw ainError(ErrInvalidRequest, `${field} has both allow_list and deny_list; expected one of them`, { field });
      const base = { '@type': STAKE_AUTHORIZATION_TYPE_URL, max_tokens: maxTokens, authorization_type: type } as const;
      if (denied.length > 0) return { ...base, deny_list: { address: denied } };
      return { ...base, allow_list: { address: allowed } };
    }
    default:
      throw ainError(
        ErrUnknownAuthorizationType,
        `${field} has type ${String(json['@type'])}; expected one of ${GENERIC_AUTHORIZATION_TYPE_URL}, ${SEND_AUTHORIZATION_TYPE_URL}, ${STAKE_AUTHORIZATION_TYPE_URL}`,
        { field },
      );
  }
}

/** The authorization inside a MsgGrant's `Any`, decoded and checked. */
export function authorizationFromAny(any: Any | undefined, field: string): AuthorizationJson {
  if (!any) throw ainError(ErrInvalidRequest, `${field} is missing; expected an authorization`, { field });
  let decoded: Record<string, unknown>;
  try {
    switch (any.typeUrl) {
      case GENERIC_AUTHORIZATION_TYPE_URL:
        decoded = { '@type': any.typeUrl, msg: GenericAuthorization.decode(any.value).msg };
        break;
      case SEND_AUTHORIZATION_TYPE_URL: {
        const send = SendAuthorization.decode(any.value);
        decoded = { '@type': any.typeUrl, spend_limit: send.spendLimit, allow_list: send.allowList };
        break;
      }
      case STAKE_AUTHORIZATION_TYPE_URL: {
        const stake = StakeAuthorization.decode(any.value);
        decoded = {
          '@type': any.typeUrl,
          max_tokens: stake.maxTokens ?? null,
          allow_list: stake.allowList,
          deny_list: stake.denyList,
          authorization_type: AuthorizationType[stake.authorizationType] ?? String(stake.authorizationType),
        };
        break;
      }
      default:
        decoded = { '@type': any.typeUrl };
    }
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `${field} (${any.typeUrl}) does not decode: ${(cause as Error).message}`, { field });
  }
  return checkAuthorization(decoded, field);
}

/** An authorization as the protobuf `Any` queries and MsgGrant carry. */
export function authorizationToAny(authorization: AuthorizationJson): Any {
  switch (authorization['@type']) {
    case GENERIC_AUTHORIZATION_TYPE_URL:
      return { typeUrl: authorization['@type'], value: GenericAuthorization.encode({ msg: authorization.msg }).finish() };
    case SEND_AUTHORIZATION_TYPE_URL:
      return {
        typeUrl: authorization['@type'],
        value: SendAuthorization.encode({ spendLimit: authorization.spend_limit, allowList: authorization.allow_list }).finish(),
      };
    case STAKE_AUTHORIZATION_TYPE_URL:
      return {
        typeUrl: authorization['@type'],
        value: StakeAuthorization.encode(
          StakeAuthorization.fromPartial({
            ...(authorization.max_tokens ? { maxTokens: authorization.max_tokens } : {}),
            ...(authorization.allow_list ? { allowList: { address: [...authorization.allow_list.address] } } : {}),
            ...(authorization.deny_list ? { denyList: { address: [...authorization.deny_list.address] } } : {}),
            authorizationType: AuthorizationType[authorization.authorization_type as keyof typeof AuthorizationType],
          }),
        ).finish(),
      };
  }
}

/** Whether `address` is in `list`, at the SDK's gas per entry compared. */
function listHas(gas: GasMeter, list: readonly string[], address: string): boolean {
  for (const entry of list) {
    gas.consume(GAS_PER_LIST_ENTRY, 'authorization list entry');
    if (entry === address) return true;
  }
  return false;
}

/** The fields `accept` reads of the messages the typed authorizations grant (cosmjs-types' shapes). */
interface SendFields {
  readonly toAddress: string;
  readonly amount: CoinJson[];
}
interface StakeFields {
  readonly validatorAddress?: string;
  readonly validatorDstAddress?: string;
  readonly amount?: CoinJson;
}

/**
 * Whether `msg` (of `typeUrl`, which the grant's key matched) may run under `authorization`, and
 * what is left of it. A refusal throws.
 * @throws AinError sdk/5 over the spend limit or max tokens, sdk/4 a recipient or validator the lists do not allow
 */
export function acceptMsg(gas: GasMeter, authorization: AuthorizationJson, typeUrl: string, msg: unknown): AcceptResult {
  switch (authorization['@type']) {
    case GENERIC_AUTHORIZATION_TYPE_URL:
      return { delete: false, updated: undefined };
    case SEND_AUTHORIZATION_TYPE_URL: {
      const send = msg as SendFields;
      const limit = coinsFromProto(authorization.spend_limit, 'spend_limit');
      const left = subtractCoins(limit, coinsFromProto(send.amount, 'amount'));
      if (!left)
        throw ainError(
          ErrInsufficientFunds,
          `requested amount ${send.amount.map((c) => `${c.amount}${c.denom}`).join(',')} is more than the spend limit ${authorization.spend_limit.map((c) => `${c.amount}${c.denom}`).join(',')}`,
          { field: 'spend_limit' },
        );
      // The allow list is checked before a spend that uses the limit up, so the last spend cannot go elsewhere.
      if (authorization.allow_list.length > 0 && !listHas(gas, authorization.allow_list, send.toAddress))
        throw ainError(
          ErrUnauthorized,
          `cannot send to ${send.toAddress}; expected one of allow_list ${authorization.allow_list.join(', ')}`,
          {
            field: 'allow_list',
          },
        );
      if (left.length === 0) return { delete: true, updated: undefined };
      return { delete: false, updated: { ...authorization, spend_limit: coinsToProto(left) } };
    }
    case STAKE_AUTHORIZATION_TYPE_URL: {
      if (typeUrl !== msgTypeUrlOf(authorization))
        throw ainError(ErrInvalidRequest, `message ${typeUrl} is not granted by ${authorization.authorization_type}`, {
          field: 'authorization_type',
        });
      const stake = msg as StakeFields;
      const validator = stake.validatorDstAddress ?? stake.validatorAddress ?? '';
      const allowed = authorization.allow_list?.address ?? [];
      const denied = authorization.deny_list?.address ?? [];
      if (allowed.length > 0 && !listHas(gas, allowed, validator))
        throw ainError(ErrUnauthorized, `cannot delegate/undelegate to ${validator}; expected one of allow_list ${allowed.join(', ')}`, {
          field: 'allow_list',
        });
      if (denied.length > 0 && listHas(gas, denied, validator))
        throw ainError(ErrUnauthorized, `cannot delegate/undelegate to ${validator}: it is in deny_list`, { field: 'deny_list' });
      if (authorization.max_tokens === null) return { delete: false, updated: undefined };
      const amount = stake.amount ?? { denom: '', amount: '0' };
      const max = authorization.max_tokens;
      if (amount.denom !== max.denom || BigInt(amount.amount) > BigInt(max.amount))
        throw ainError(ErrInsufficientFunds, `amount ${amount.amount}${amount.denom} is more than max_tokens ${max.amount}${max.denom}`, {
          field: 'max_tokens',
        });
      const left = BigInt(max.amount) - BigInt(amount.amount);
      if (left === 0n) return { delete: true, updated: undefined };
      return { delete: false, updated: { ...authorization, max_tokens: { denom: max.denom, amount: left.toString() } } };
    }
  }
}
