/**
 * Fee allowances between their three forms: the protobuf `Any` of messages and queries
 * (`cosmos.feegrant.v1beta1.BasicAllowance` ...), the model `allowance.ts` judges, and the SDK's
 * genesis JSON (`{"@type", "spend_limit", "expiration": RFC 3339 | null, ...}`), which is also how an
 * allowance is stored in the state tree.
 */
import {
  AllowedMsgAllowance,
  BasicAllowance as BasicAllowanceProto,
  PeriodicAllowance as PeriodicAllowanceProto,
} from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { ainError, coinsFromProto, coinsToProto, ErrInvalidRequest, parseTimestamp } from '../../core/index.ts';
import {
  ALLOWED_MSG_ALLOWANCE_TYPE_URL,
  BASIC_ALLOWANCE_TYPE_URL,
  type BasicAllowance,
  type FeeAllowance,
  formatDuration,
  formatTime,
  fromNanos,
  nonNegativeCoins,
  PERIODIC_ALLOWANCE_TYPE_URL,
  type PeriodicAllowance,
  parseDuration,
  toNanos,
} from './allowance.ts';

type CoinJson = { denom: string; amount: string };

/** An allowance in the SDK's JSON shape (genesis, the stored record). */
export type AllowanceJson =
  | { '@type': typeof BASIC_ALLOWANCE_TYPE_URL; spend_limit: CoinJson[]; expiration: string | null }
  | {
      '@type': typeof PERIODIC_ALLOWANCE_TYPE_URL;
      basic: { spend_limit: CoinJson[]; expiration: string | null };
      period: string;
      period_spend_limit: CoinJson[];
      period_can_spend: CoinJson[];
      period_reset: string;
    }
  | { '@type': typeof ALLOWED_MSG_ALLOWANCE_TYPE_URL; allowance: AllowanceJson; allowed_messages: string[] };

/** One grant in the SDK's JSON shape. */
export interface GrantJson {
  granter: string;
  grantee: string;
  allowance: AllowanceJson;
}

const ALLOWANCE_TYPES = `${BASIC_ALLOWANCE_TYPE_URL}, ${PERIODIC_ALLOWANCE_TYPE_URL} or ${ALLOWED_MSG_ALLOWANCE_TYPE_URL}`;

function decodeProto<T>(codec: { decode(bytes: Uint8Array): T }, any: Any, field: string): T {
  try {
    return codec.decode(any.value);
  } catch {
    throw ainError(ErrInvalidRequest, `${field} (${any.typeUrl}) does not decode`);
  }
}

function basicFromProto(proto: BasicAllowanceProto, field: string): BasicAllowance {
  return {
    kind: 'basic',
    spendLimit: coinsFromProto(proto.spendLimit, `${field}.spend_limit`, true),
    expiration: proto.expiration ? toNanos(proto.expiration) : undefined,
  };
}

/**
 * The allowance an `Any` carries; an AllowedMsgAllowance may wrap a basic or periodic one only.
 * @throws AinError sdk/18 (invalid request) for another type URL or bytes that do not decode
 */
export function allowanceFromAny(any: Any | undefined, field = 'allowance', nested = false): FeeAllowance {
  if (!any) throw ainError(ErrInvalidRequest, `${field} is missing; expected an ${ALLOWANCE_TYPES}`);
  if (any.typeUrl === BASIC_ALLOWANCE_TYPE_URL) return basicFromProto(decodeProto(BasicAllowanceProto, any, field), field);
  if (any.typeUrl === PERIODIC_ALLOWANCE_TYPE_URL) {
    const proto = decodeProto(PeriodicAllowanceProto, any, field);
    return {
      kind: 'periodic',
      basic: basicFromProto(proto.basic, `${field}.basic`),
      period: toNanos(proto.period),
      periodSpendLimit: nonNegativeCoins(proto.periodSpendLimit, `${field}.period_spend_limit`),
      periodCanSpend: nonNegativeCoins(proto.periodCanSpend, `${field}.period_can_spend`),
      periodReset: toNanos(proto.periodReset),
    };
  }
  if (any.typeUrl === ALLOWED_MSG_ALLOWANCE_TYPE_URL && !nested) {
    const proto = decodeProto(AllowedMsgAllowance, any, field);
    const inner = allowanceFromAny(proto.allowance, `${field}.allowance`, true) as BasicAllowance | PeriodicAllowance;
    return { kind: 'allowed_msg', allowance: inner, allowedMessages: [...proto.allowedMessages] };
  }
  const expected = nested ? `${BASIC_ALLOWANCE_TYPE_URL} or ${PERIODIC_ALLOWANCE_TYPE_URL}` : ALLOWANCE_TYPES;
  throw ainError(ErrInvalidRequest, `${field} has type ${any.typeUrl}; expected ${expected}`);
}

const basicToProto = (allowance: BasicAllowance): BasicAllowanceProto => ({
  spendLimit: coinsToProto(allowance.spendLimit),
  ...(allowance.expiration === undefined ? {} : { expiration: fromNanos(allowance.expiration) }),
});

/** The allowance as the `Any` queries answer with. */
export function allowanceToAny(allowance: FeeAllowance): Any {
  if (allowance.kind === 'basic')
    return { typeUrl: BASIC_ALLOWANCE_TYPE_URL, value: BasicAllowanceProto.encode(basicToProto(allowance)).finish() };
  if (allowance.kind === 'periodic') {
    const proto: PeriodicAllowanceProto = {
      basic: basicToProto(allowance.basic),
      period: fromNanos(allowance.period),
      periodSpendLimit: coinsToProto(allowance.periodSpendLimit),
      periodCanSpend: coinsToProto(allowance.periodCanSpend),
      periodReset: fromNanos(allowance.periodReset),
    };
    return { typeUrl: PERIODIC_ALLOWANCE_TYPE_URL, value: PeriodicAllowanceProto.encode(proto).finish() };
  }
  return {
    typeUrl: ALLOWED_MSG_ALLOWANCE_TYPE_URL,
    value: AllowedMsgAllowance.encode({
      allowance: allowanceToAny(allowance.allowance),
      allowedMessages: [...allowance.allowedMessages],
    }).finish(),
  };
}

const basicToJson = (allowance: BasicAllowance) => ({
  spend_limit: coinsToProto(allowance.spendLimit),
  expiration: allowance.expiration === undefined ? null : formatTime(allowance.expiration),
});

/** The allowance in the SDK's JSON shape. */
export function allowanceToJson(allowance: FeeAllowance): AllowanceJson {
  if (allowance.kind === 'basic') return { '@type': BASIC_ALLOWANCE_TYPE_URL, ...basicToJson(allowance) };
  if (allowance.kind === 'periodic')
    return {
      '@type': PERIODIC_ALLOWANCE_TYPE_URL,
      basic: basicToJson(allowance.basic),
      period: formatDuration(allowance.period),
      period_spend_limit: coinsToProto(allowance.periodSpendLimit),
      period_can_spend: coinsToProto(allowance.periodCanSpend),
      period_reset: formatTime(allowance.periodReset),
    };
  return {
    '@type': ALLOWED_MSG_ALLOWANCE_TYPE_URL,
    allowance: allowanceToJson(allowance.allowance),
    allowed_messages: [...allowance.allowedMessages],
  };
}

function timeFromJson(value: unknown, field: string): bigint {
  const parsed = typeof value === 'string' ? parseTimestamp(value) : undefined;
  if (!parsed) throw ainError(ErrInvalidRequest, `${field} must be an RFC 3339 time such as "2030-01-01T00:00:00Z"`);
  return toNanos(parsed);
}

function basicFromJson(json: Record<string, unknown>, field: string): BasicAllowance {
  const expiration = json['expiration'];
  return {
    kind: 'basic',
    spendLimit: coinsFromProto((json['spend_limit'] ?? []) as CoinJson[], `${field}.spend_limit`, true),
    expiration: expiration === null || expiration === undefined ? undefined : timeFromJson(expiration, `${field}.expiration`),
  };
}

const objectAt = (value: unknown, field: string): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ainError(ErrInvalidRequest, `${field} must be an object`);
  return value as Record<string, unknown>;
};

/**
 * An allowance from the SDK's JSON shape (genesis, the stored record).
 * @throws AinError naming the field that is not of that shape
 */
export function allowanceFromJson(value: unknown, field = 'allowance', nested = false): FeeAllowance {
  const json = objectAt(value, field);
  const type = json['@type'];
  if (type === BASIC_ALLOWANCE_TYPE_URL) return basicFromJson(json, field);
  if (type === PERIODIC_ALLOWANCE_TYPE_URL) {
    const period = typeof json['period'] === 'string' ? parseDuration(json['period']) : undefined;
    if (period === undefined) throw ainError(ErrInvalidRequest, `${field}.period must be a duration such as "3600s"`);
    return {
      kind: 'periodic',
      basic: basicFromJson(objectAt(json['basic'], `${field}.basic`), `${field}.basic`),
      period,
      periodSpendLimit: nonNegativeCoins((json['period_spend_limit'] ?? []) as CoinJson[], `${field}.period_spend_limit`),
      periodCanSpend: nonNegativeCoins((json['period_can_spend'] ?? []) as CoinJson[], `${field}.period_can_spend`),
      periodReset: json['period_reset'] === undefined ? 0n : timeFromJson(json['period_reset'], `${field}.period_reset`),
    };
  }
  if (type === ALLOWED_MSG_ALLOWANCE_TYPE_URL && !nested) {
    const messages = json['allowed_messages'] ?? [];
    if (!Array.isArray(messages) || messages.some((m) => typeof m !== 'string'))
      throw ainError(ErrInvalidRequest, `${field}.allowed_messages must be a list of type URLs`);
    const inner = allowanceFromJson(json['allowance'], `${field}.allowance`, true) as BasicAllowance | PeriodicAllowance;
    return { kind: 'allowed_msg', allowance: inner, allowedMessages: [...(messages as string[])] };
  }
  throw ainError(
    ErrInvalidRequest,
    `${field}["@type"] is ${JSON.stringify(type) ?? 'missing'}; expected ${nested ? `${BASIC_ALLOWANCE_TYPE_URL} or ${PERIODIC_ALLOWANCE_TYPE_URL}` : ALLOWANCE_TYPES}`,
  );
}
