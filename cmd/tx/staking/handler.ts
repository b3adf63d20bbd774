import type { EncodeObject } from '@cosmjs/proto-signing';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { MsgWithdrawDelegatorReward, MsgWithdrawValidatorCommission } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { MsgUnjail } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import {
  MsgBeginRedelegate,
  MsgCreateValidator,
  MsgDelegate,
  MsgEditValidator,
  MsgUndelegate,
} from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { ainError, ErrInvalidRequest, parseCoins, decFromText, decToAtomics } from '../../../core/index.ts';
import { parseValoper, toValoper, DO_NOT_MODIFY, ED25519_PUBKEY_TYPE_URL } from '../../../modules/staking/index.ts';
import { privValidatorPubkey } from '../../../home/index.ts';
import { type BroadcastOutcome, parseConsensusPubkey, type SendOptions, sendMessages } from '../../common/index.ts';

/** The proof-of-stake tx commands: `aind tx staking ...`, `aind tx distribution ...`, `aind tx slashing ...`. */
export const POS_TX_COMMANDS = [
  'create-validator',
  'edit-validator',
  'delegate',
  'unbond',
  'redelegate',
  'withdraw-rewards',
  'unjail',
] as const;
export type PosTxCommand = (typeof POS_TX_COMMANDS)[number];

/** The options of those commands (simd's flag names), unparsed. */
export interface PosTxFlags {
  readonly amount?: string | undefined;
  readonly pubkey?: string | undefined;
  readonly moniker?: string | undefined;
  readonly identity?: string | undefined;
  readonly website?: string | undefined;
  readonly securityContact?: string | undefined;
  readonly details?: string | undefined;
  readonly commissionRate?: string | undefined;
  readonly commissionMaxRate?: string | undefined;
  readonly commissionMaxChangeRate?: string | undefined;
  readonly minSelfDelegation?: string | undefined;
  /** withdraw-rewards: also the validator's commission (the signer must be its operator). */
  readonly commission?: boolean | undefined;
}

/** One coin of CLI coin syntax ("1000000uain"); `sdk/10`/`sdk/18` naming the field. */
function oneCoin(text: string | undefined, field: string): { denom: string; amount: string } {
  if (text === undefined || text === '') throw ainError(ErrInvalidRequest, `${field} is missing; expected a coin such as 1000000uain`);
  const coins = parseCoins(text, field);
  if (coins.length !== 1) throw ainError(ErrInvalidRequest, `${field} "${text}" must be one coin, e.g. 1000000uain`);
  return { denom: coins[0]!.denom, amount: coins[0]!.amount.toString() };
}

/** A decimal flag ("0.10") in protobuf LegacyDec form (atomics). */
const dec = (text: string, field: string): string => decToAtomics(decFromText(text, field));

/**
 * The messages of a proof-of-stake tx command for `signer` (checked here, before the node is
 * contacted). Decimals are given as "0.10" and sent as LegacyDec atomics.
 * @example posTxMessages('delegate', ['ainvaloper1...', '1000000uain'], 'ain1...', {}, home)
 */
export function posTxMessages(
  command: PosTxCommand,
  args: readonly string[],
  signer: string,
  flags: PosTxFlags,
  home: string,
): EncodeObject[] {
  const valoper = (text: string | undefined, field: string) => {
    parseValoper(text ?? '', field);
    return text!;
  };
  switch (command) {
    case 'create-validator':
      return [
        {
          typeUrl: '/cosmos.staking.v1beta1.MsgCreateValidator',
          value: MsgCreateValidator.fromPartial({
            description: {
              moniker: flags.moniker ?? '',
              identity: flags.identity ?? '',
              website: flags.website ?? '',
              securityContact: flags.securityContact ?? '',
              details: flags.details ?? '',
            },
            commission: {
              rate: dec(flags.commissionRate ?? '0.10', '--commission-rate'),
              maxRate: dec(flags.commissionMaxRate ?? '0.20', '--commission-max-rate'),
              maxChangeRate: dec(flags.commissionMaxChangeRate ?? '0.01', '--commission-max-change-rate'),
            },
            minSelfDelegation: flags.minSelfDelegation ?? '1',
            delegatorAddress: '',
            validatorAddress: toValoper(signer),
            pubkey: {
              typeUrl: ED25519_PUBKEY_TYPE_URL,
              value: Ed25519PubKey.encode({ key: parseConsensusPubkey(flags.pubkey ?? privValidatorPubkey(home)) }).finish(),
            },
            value: oneCoin(flags.amount, '--amount'),
          }),
        },
      ];
    case 'edit-validator':
      return [
        {
          typeUrl: '/cosmos.staking.v1beta1.MsgEditValidator',
          value: MsgEditValidator.fromPartial({
            description: {
              moniker: flags.moniker ?? DO_NOT_MODIFY,
              identity: flags.identity ?? DO_NOT_MODIFY,
              website: flags.website ?? DO_NOT_MODIFY,
              securityContact: flags.securityContact ?? DO_NOT_MODIFY,
              details: flags.details ?? DO_NOT_MODIFY,
            },
            validatorAddress: toValoper(signer),
            commissionRate: flags.commissionRate === undefined ? '' : dec(flags.commissionRate, '--commission-rate'),
            minSelfDelegation: flags.minSelfDelegation ?? '',
          }),
        },
      ];
    case 'delegate':
    case 'unbond': {
      const msg = {
        delegatorAddress: signer,
        validatorAddress: valoper(args[0], 'VALIDATOR'),
        amount: oneCoin(args[1], 'AMOUNT'),
      };
      return command === 'delegate'
        ? [{ typeUrl: '/cosmos.staking.v1beta1.MsgDelegate', value: MsgDelegate.fromPartial(msg) }]
        : [{ typeUrl: '/cosmos.staking.v1beta1.MsgUndelegate', value: MsgUndelegate.fromPartial(msg) }];
    }
    case 'redelegate':
      return [
        {
          typeUrl: '/cosmos.staking.v1beta1.MsgBeginRedelegate',
          value: MsgBeginRedelegate.fromPartial({
            delegatorAddress: signer,
            validatorSrcAddress: valoper(args[0], 'SRC_VALIDATOR'),
            validatorDstAddress: valoper(args[1], 'DST_VALIDATOR'),
            amount: oneCoin(args[2], 'AMOUNT'),
          }),
        },
      ];
    case 'withdraw-rewards': {
      const validatorAddress = valoper(args[0], 'VALIDATOR');
      const messages: EncodeObject[] = [
        {
          typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward',
          value: MsgWithdrawDelegatorReward.fromPartial({ delegatorAddress: signer, validatorAddress }),
        },
      ];
      if (flags.commission) {
        if (validatorAddress !== toValoper(signer)) {
          throw ainError(ErrInvalidRequest, `--commission: ${signer} does not operate ${validatorAddress}`);
        }
        messages.push({
          typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission',
          value: MsgWithdrawValidatorCommission.fromPartial({ validatorAddress }),
        });
      }
      return messages;
    }
    case 'unjail':
      return [{ typeUrl: '/cosmos.slashing.v1beta1.MsgUnjail', value: MsgUnjail.fromPartial({ validatorAddr: toValoper(signer) }) }];
  }
}

/**
 * A proof-of-stake tx command: builds its messages for the `--from` key, signs, broadcasts and waits
 * for the block (`sendMessages`). A refusal comes back as `ok: false` with code, codespace and log.
 * @example await sendPosTx({ home, from: 'alice', node, gas: 'auto' }, 'delegate', ['ainvaloper1...', '1000000uain'], {})
 */
export function sendPosTx(
  options: SendOptions,
  command: PosTxCommand,
  args: readonly string[],
  flags: PosTxFlags,
): Promise<BroadcastOutcome> {
  return sendMessages(options, (signer) => posTxMessages(command, args, signer, flags, options.home));
}
