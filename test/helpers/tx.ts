import { createHash } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { pubkeyToAddress } from '../../core/address.ts';
import { MsgSetValue } from '../../proto/gen/ain/state/v1/tx.ts';
import { legacyAminoSignBytes } from '../../app/tx/aminoSignBytes.ts';
import { decodeTx } from '../../app/tx/decode.ts';
import { directSignBytes } from '../../app/tx/signature.ts';

/** A deterministic key for tests and benchmarks (private key = sha256 of the seed). */
export interface TestKey {
  readonly privkey: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly address: string;
}

export function testKey(seed: string | number): TestKey {
  const privkey = createHash('sha256').update(`ain-test-key/${seed}`).digest();
  const pubkey = secp256k1.publicKeyCreate(privkey, true);
  return { privkey, pubkey, address: pubkeyToAddress(pubkey) };
}

export interface SignTxOptions {
  readonly key: TestKey;
  readonly messages: readonly Any[];
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  readonly fee?: { denom: string; amount: string }[];
  readonly gasLimit?: bigint;
  readonly memo?: string;
  /** `fee.granter`: the account whose fee allowance pays the fee (x/feegrant). */
  readonly feeGranter?: string;
  /** Leave the public key out of the signer info (allowed once the chain knows it). */
  readonly omitPubkey?: boolean;
  /** How the signature is made (default SIGN_MODE_DIRECT); amino JSON only for the standard messages. */
  readonly signMode?: 'direct' | 'legacy-amino-json';
}

/**
 * A protobuf message as an Any, from a cosmjs-types codec (`typeUrl`) or one of ours (ts-proto's `$type`).
 * @example anyOf(MsgSetValue, { signer, path: '/apps/a/x', value: '1' })
 */
export function anyOf<T>(
  codec: {
    readonly typeUrl?: string;
    readonly $type?: string;
    encode(message: T): { finish(): Uint8Array };
    fromPartial(object: never): T;
  },
  message: object,
): Any {
  const typeUrl = codec.typeUrl ?? `/${codec.$type}`;
  return { typeUrl, value: codec.encode(codec.fromPartial(message as never)).finish() };
}
/**
 * Builds and signs a SIGN_MODE_DIRECT tx with libsecp256k1 (fast enough to pre-sign 10^5 txs for a
 * benchmark; CosmJS's signer does the same in pure JS). Returns TxRaw bytes.
 */
export function signTx(options: SignTxOptions): Uint8Array {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: [...options.messages], memo: options.memo ?? '' })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          ...(options.omitPubkey
            ? {}
            : { publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: options.key.pubkey }).finish() } }),
          modeInfo: {
            single: { mode: options.signMode === 'legacy-amino-json' ? SignMode.SIGN_MODE_LEGACY_AMINO_JSON : SignMode.SIGN_MODE_DIRECT },
          },
          sequence: options.sequence,
        },
      ],
      fee: {
        amount: options.fee ?? [{ denom: 'uain', amount: '5000' }],
        gasLimit: options.gasLimit ?? 200_000n,
        granter: options.feeGranter ?? '',
      },
    }),
  ).finish();
  const signBytes =
    options.signMode === 'legacy-amino-json'
      ? legacyAminoSignBytes(
          decodeTx(TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array(64)] }).finish()),
          options.chainId,
          options.accountNumber,
          options.sequence,
        )
      : directSignBytes(bodyBytes, authInfoBytes, options.chainId, options.accountNumber);
  const digest = createHash('sha256').update(signBytes).digest();
  const { signature } = secp256k1.ecdsaSign(digest, options.key.privkey);
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
}

export function sendMsg(from: string, to: string, amount: string, denom = 'uain'): Any {
  return {
    typeUrl: '/cosmos.bank.v1beta1.MsgSend',
    value: MsgSend.encode({ fromAddress: from, toAddress: to, amount: [{ denom, amount }] }).finish(),
  };
}

/**
 * Pre-signed txs that write `count` values (`valueAt(i)` at `pathAt(i)`) from one account, `perTx`
 * set-value messages per tx, in sequence order from `sequence` (gas 500,000 per write, fee at 0.025
 * uain per gas): a burst of requests to broadcast at once.
 */
export function setValueTxs(options: {
  readonly key: TestKey;
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  readonly count: number;
  readonly perTx: number;
  readonly pathAt: (i: number) => string;
  readonly valueAt: (i: number) => unknown;
}): Uint8Array[] {
  const txs: Uint8Array[] = [];
  for (let first = 0; first < options.count; first += options.perTx) {
    const messages: Any[] = [];
    for (let i = first; i < Math.min(first + options.perTx, options.count); i++) {
      const msg = MsgSetValue.fromPartial({
        signer: options.key.address,
        path: options.pathAt(i),
        value: JSON.stringify(options.valueAt(i)),
      });
      messages.push({ typeUrl: `/${MsgSetValue.$type}`, value: MsgSetValue.encode(msg).finish() });
    }
    const gasLimit = 500_000n * BigInt(options.perTx);
    txs.push(
      signTx({
        key: options.key,
        messages,
        chainId: options.chainId,
        accountNumber: options.accountNumber,
        sequence: options.sequence + BigInt(txs.length),
        gasLimit,
        fee: [{ denom: 'uain', amount: ((gasLimit * 25n) / 1000n).toString() }],
      }),
    );
  }
  return txs;
}
