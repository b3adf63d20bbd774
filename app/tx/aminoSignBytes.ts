/**
 * SIGN_MODE_LEGACY_AMINO_JSON: the bytes a Ledger, or a wallet's amino signer (CosmJS
 * `Secp256k1HdWallet`, Keplr's `signAmino`), signs: the StdSignDoc as sorted JSON. The standard Cosmos
 * messages (bank, staking, distribution) have an amino JSON form, taken from CosmJS's converters so
 * the bytes match what those clients sign (feegrant's, which CosmJS lacks, from `feegrantAmino.ts`);
 * AIN's own messages have none and must be signed with
 * SIGN_MODE_DIRECT.
 */
import { makeSignDoc, serializeSignDoc } from '@cosmjs/amino';
import { Registry } from '@cosmjs/proto-signing';
import { AminoTypes, createDefaultAminoConverters, defaultRegistryTypes } from '@cosmjs/stargate';
import { MsgPruneAllowances } from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import { ainError, ErrNotSupported } from '../../core/index.ts';
import type { DecodedTx } from './decode.ts';
import { feegrantAminoConverters } from './feegrantAmino.ts';

const registry = new Registry([...defaultRegistryTypes, [MsgPruneAllowances.typeUrl, MsgPruneAllowances]]);
const aminoTypes = new AminoTypes({ ...createDefaultAminoConverters(), ...feegrantAminoConverters() });

/**
 * The signed bytes of one signer of `tx` in legacy amino JSON mode.
 * @throws AinError sdk/… (not supported) naming the first message with no amino JSON form
 */
export function legacyAminoSignBytes(tx: DecodedTx, chainId: string, accountNumber: bigint, sequence: bigint): Uint8Array {
  const msgs = tx.messages.map((message, index) => {
    try {
      return aminoTypes.toAmino({ typeUrl: message.typeUrl, value: registry.decode(message) });
    } catch {
      throw ainError(ErrNotSupported, `messages[${index}] (${message.typeUrl}) has no amino JSON form; sign it with SIGN_MODE_DIRECT`);
    }
  });
  const fee = tx.authInfo.fee!;
  const doc = makeSignDoc(
    msgs,
    {
      amount: fee.amount.map((c) => ({ denom: c.denom, amount: c.amount })),
      gas: fee.gasLimit.toString(),
      // The SDK's StdFee prints granter and payer only when set (omitempty), as CosmJS signs them.
      ...(fee.granter ? { granter: fee.granter } : {}),
      ...(fee.payer ? { payer: fee.payer } : {}),
    },
    chainId,
    tx.body.memo,
    accountNumber,
    sequence.toString(),
    tx.body.timeoutHeight > 0n ? tx.body.timeoutHeight : undefined,
  );
  return serializeSignDoc(doc);
}
