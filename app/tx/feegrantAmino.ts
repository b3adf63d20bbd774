/**
 * Legacy amino JSON of the feegrant messages (`cosmos-sdk/MsgGrantAllowance`, `MsgRevokeAllowance`,
 * `MsgPruneAllowances`, allowances `cosmos-sdk/BasicAllowance` ...), which CosmJS's default converters
 * lack, so a Ledger can sign them. Written as the SDK's aminojson encoder prints them: coin lists with
 * `dont_omitempty` as `[]` when empty, an absent expiration left out, durations as quoted nanoseconds,
 * times as Go's RFC3339Nano (the fraction without trailing zeros). The node only turns messages into
 * amino JSON (to check signatures), so `fromAmino` is refused.
 */
import type { AminoConverters } from '@cosmjs/stargate';
import { AllowedMsgAllowance, BasicAllowance, PeriodicAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import type { MsgGrantAllowance, MsgPruneAllowances, MsgRevokeAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { ainError, ErrNotSupported } from '../../core/index.ts';

type AminoJson = Record<string, unknown>;

/** Go's `time.RFC3339Nano` in UTC: `2030-01-01T00:00:00Z`, `2030-01-01T00:00:00.5Z`. */
function goTime(timestamp: { seconds: bigint; nanos: number }): string {
  const base = new Date(Number(timestamp.seconds) * 1000).toISOString().slice(0, 19);
  const fraction = timestamp.nanos === 0 ? '' : `.${String(timestamp.nanos).padStart(9, '0').replace(/0+$/, '')}`;
  return `${base}${fraction}Z`;
}

const coins = (list: readonly { denom: string; amount: string }[]) => list.map((c) => ({ amount: c.amount, denom: c.denom }));

function basicJson(allowance: BasicAllowance): AminoJson {
  return { spend_limit: coins(allowance.spendLimit), ...(allowance.expiration ? { expiration: goTime(allowance.expiration) } : {}) };
}

/** An allowance `Any` as amino's `{type, value}`. */
export function allowanceAmino(any: Any | undefined): AminoJson | undefined {
  if (!any) return undefined;
  if (any.typeUrl === BasicAllowance.typeUrl)
    return { type: 'cosmos-sdk/BasicAllowance', value: basicJson(BasicAllowance.decode(any.value)) };
  if (any.typeUrl === PeriodicAllowance.typeUrl) {
    const periodic = PeriodicAllowance.decode(any.value);
    return {
      type: 'cosmos-sdk/PeriodicAllowance',
      value: {
        basic: basicJson(periodic.basic),
        period: String(periodic.period.seconds * 1_000_000_000n + BigInt(periodic.period.nanos)),
        period_spend_limit: coins(periodic.periodSpendLimit),
        period_can_spend: coins(periodic.periodCanSpend),
        period_reset: goTime(periodic.periodReset),
      },
    };
  }
  if (any.typeUrl === AllowedMsgAllowance.typeUrl) {
    const filtered = AllowedMsgAllowance.decode(any.value);
    const inner = allowanceAmino(filtered.allowance);
    return {
      type: 'cosmos-sdk/AllowedMsgAllowance',
      value: {
        ...(inner ? { allowance: inner } : {}),
        ...(filtered.allowedMessages.length > 0 ? { allowed_messages: filtered.allowedMessages } : {}),
      },
    };
  }
  throw ainError(ErrNotSupported, `allowance type ${any.typeUrl} has no amino JSON form`);
}

/** Strings the encoder omits when empty. */
const nonEmpty = (fields: Record<string, string>): AminoJson => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ''));

const noFromAmino = (): never => {
  throw ainError(ErrNotSupported, 'the node reads feegrant messages from protobuf only');
};

/** The converters, for CosmJS's `AminoTypes`. */
export function feegrantAminoConverters(): AminoConverters {
  return {
    '/cosmos.feegrant.v1beta1.MsgGrantAllowance': {
      aminoType: 'cosmos-sdk/MsgGrantAllowance',
      toAmino: (msg: MsgGrantAllowance) => {
        const allowance = allowanceAmino(msg.allowance);
        return { ...nonEmpty({ granter: msg.granter, grantee: msg.grantee }), ...(allowance ? { allowance } : {}) };
      },
      fromAmino: noFromAmino,
    },
    '/cosmos.feegrant.v1beta1.MsgRevokeAllowance': {
      aminoType: 'cosmos-sdk/MsgRevokeAllowance',
      toAmino: (msg: MsgRevokeAllowance) => nonEmpty({ granter: msg.granter, grantee: msg.grantee }),
      fromAmino: noFromAmino,
    },
    '/cosmos.feegrant.v1beta1.MsgPruneAllowances': {
      aminoType: 'cosmos-sdk/MsgPruneAllowances',
      toAmino: (msg: MsgPruneAllowances) => nonEmpty({ pruner: msg.pruner }),
      fromAmino: noFromAmino,
    },
  };
}
