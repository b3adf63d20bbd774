/**
 * `aind tx feegrant grant|revoke`: the MsgGrantAllowance / MsgRevokeAllowance of the command's flags
 * (checked here, as the chain checks them, before the node is contacted), then signed, broadcast and
 * awaited with `sendMessages`.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import { MsgGrantAllowance, MsgRevokeAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import { ainError, ErrInvalidRequest, parseAddress, parseCoins, parseTimestamp } from '../../../core/index.ts';
import { allowanceToAny, type FeeAllowance, validateAllowance } from '../../../modules/feegrant/index.ts';
import { type BroadcastOutcome, type SendOptions, sendMessages } from '../../common/index.ts';

/** The allowance flags of `tx feegrant grant`, as commander hands them over. */
export interface GrantFlags {
  readonly spendLimit?: string | undefined;
  readonly expiration?: string | undefined;
  readonly period?: string | undefined;
  readonly periodLimit?: string | undefined;
  readonly allowedMessages?: string | undefined;
}

const NANOS = 1_000_000_000n;

/**
 * The allowance the flags describe: basic (`--spend-limit`, `--expiration`), periodic with `--period`
 * seconds and `--period-limit` (its first period ends `--period` after `nowSeconds`, as simd sets it),
 * wrapped in an AllowedMsgAllowance with `--allowed-messages`.
 * @throws AinError naming the flag that is wrong
 * @example grantAllowance({ spendLimit: '1000000uain', period: '3600', periodLimit: '10000uain' }, 1_700_000_000n)
 */
export function grantAllowance(flags: GrantFlags, nowSeconds: bigint): FeeAllowance {
  let expiration: bigint | undefined;
  if (flags.expiration !== undefined) {
    const parsed = parseTimestamp(flags.expiration);
    if (!parsed)
      throw ainError(ErrInvalidRequest, `--expiration "${flags.expiration}" must be an RFC 3339 time such as 2030-01-01T00:00:00Z`);
    expiration = parsed.seconds * NANOS + BigInt(parsed.nanos);
  }
  const basic = {
    kind: 'basic' as const,
    spendLimit: flags.spendLimit === undefined ? [] : parseCoins(flags.spendLimit, '--spend-limit'),
    expiration,
  };
  let allowance: FeeAllowance = basic;
  if (flags.period !== undefined || flags.periodLimit !== undefined) {
    if (flags.period === undefined || flags.periodLimit === undefined)
      throw ainError(ErrInvalidRequest, 'a periodic allowance needs both --period (seconds) and --period-limit (coins)');
    if (!/^[1-9][0-9]{0,11}$/.test(flags.period))
      throw ainError(ErrInvalidRequest, `--period "${flags.period}" must be a positive number of seconds`);
    const period = BigInt(flags.period) * NANOS;
    const periodLimit = parseCoins(flags.periodLimit, '--period-limit');
    const periodReset = nowSeconds * NANOS + period;
    if (expiration !== undefined && periodReset > expiration)
      throw ainError(ErrInvalidRequest, `--period ${flags.period} cannot reset after --expiration ${flags.expiration}`);
    allowance = { kind: 'periodic', basic, period, periodSpendLimit: periodLimit, periodCanSpend: periodLimit, periodReset };
  }
  if (flags.allowedMessages !== undefined) {
    const allowedMessages = flags.allowedMessages
      .split(',')
      .map((url) => url.trim())
      .filter((url) => url !== '');
    allowance = { kind: 'allowed_msg', allowance, allowedMessages };
  }
  validateAllowance(allowance);
  return allowance;
}

/** `tx feegrant grant GRANTER GRANTEE`: the granter (the signer) gives the grantee an allowance. */
export function sendGrant(options: SendOptions, grantee: string, flags: GrantFlags, nowSeconds: bigint): Promise<BroadcastOutcome> {
  parseAddress(grantee, 'GRANTEE');
  const allowance = allowanceToAny(grantAllowance(flags, nowSeconds));
  return sendMessages(options, (granter): EncodeObject[] => [
    { typeUrl: MsgGrantAllowance.typeUrl, value: MsgGrantAllowance.fromPartial({ granter, grantee, allowance }) },
  ]);
}

/** `tx feegrant revoke GRANTER GRANTEE`: the granter (the signer) ends the grantee's allowance. */
export function sendRevoke(options: SendOptions, grantee: string): Promise<BroadcastOutcome> {
  parseAddress(grantee, 'GRANTEE');
  return sendMessages(options, (granter): EncodeObject[] => [
    { typeUrl: MsgRevokeAllowance.typeUrl, value: MsgRevokeAllowance.fromPartial({ granter, grantee }) },
  ]);
}
