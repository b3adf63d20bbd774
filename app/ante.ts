import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import {
  parseAddress,
  pubkeyToAddress,
  type Coin,
  coinsFromProto,
  formatCoins,
  ainError,
  ErrInsufficientFee,
  ErrInvalidGasLimit,
  ErrInvalidPubKey,
  ErrMemoTooLarge,
  ErrNoSignatures,
  ErrNotSupported,
  ErrTooManySignatures,
  ErrTxTimeoutHeight,
  ErrUnauthorized,
  ErrUnknownAddress,
  ErrWrongSequence,
} from '../core/index.ts';
import type { AuthKeeper } from '../modules/auth/index.ts';
import { type AuthParams, requiredFee, SECP256K1_PUBKEY_TYPE_URL } from '../modules/auth/index.ts';
import type { BankKeeper } from '../modules/bank/index.ts';
import type { FeegrantKeeper } from '../modules/feegrant/index.ts';
import type { Context, ReadableState, TypedEvent } from '../core/index.ts';
import type { SignatureCache } from './signatureCache.ts';
import type { DecodedTx } from './tx/decode.ts';
import { legacyAminoSignBytes } from './tx/aminoSignBytes.ts';
import { directSignBytes, type Secp256k1Check, secp256k1Check, verifySecp256k1 } from './tx/signature.ts';

/** Most gas one tx may ask for; bounds the work a single tx can demand. */
export const MAX_TX_GAS = 100_000_000n;
/** Extra bytes simulation charges for, since the simulated tx has an empty signature and fee. */
const SIMULATED_SIGNATURE_AND_FEE_BYTES = 64 + 24;
/** Gas of a fee transfer: three balance/account reads and two balance writes. */
const SIMULATED_FEE_TRANSFER_GAS = 12_000;

export interface AnteServices {
  readonly auth: AuthKeeper;
  readonly bank: BankKeeper;
  readonly feegrant: FeegrantKeeper;
  readonly feeCollector: string;
  readonly signatureCache: SignatureCache;
}

/** What the ante steps work on: the tx and the signers its messages require, in order. */
export interface AnteTx {
  readonly tx: DecodedTx;
  readonly signers: readonly string[];
  /** Each signer's key from its signer info, checked statelessly (see `signerInfoPubkey`). */
  readonly pubkeys: ReadonlyArray<Uint8Array | undefined>;
  readonly gasLimit: bigint;
}

/** A tx's context with the auth params the ante steps check against. */
export interface AnteContext extends Context {
  readonly params: AuthParams;
}

type AnteStep = (ctx: AnteContext, input: AnteTx, services: AnteServices) => void;

const txEvent = (attributes: ReadonlyArray<readonly [string, string]>): TypedEvent => ({ type: 'tx', attributes });

/** Stateless shape checks: signature counts, gas limit, memo, timeout height. */
const validateBasic: AnteStep = (ctx, { tx, signers, gasLimit }) => {
  const signatures = tx.raw.signatures.length;
  if (signatures === 0) throw ainError(ErrNoSignatures, 'tx has no signatures; expected one per signer');
  if (signatures > ctx.params.txSigLimit) {
    throw ainError(ErrTooManySignatures, `tx has ${signatures} signatures; expected at most ${ctx.params.txSigLimit}`);
  }
  if (tx.authInfo.signerInfos.length !== signers.length || signatures !== signers.length) {
    throw ainError(
      ErrUnauthorized,
      `wrong number of signers; expected ${signers.length}, got ${tx.authInfo.signerInfos.length} signer infos and ${signatures} signatures`,
    );
  }
  if (ctx.mode !== 'simulate' && gasLimit === 0n) throw ainError(ErrInvalidGasLimit, 'fee gas_limit is 0; expected a positive gas limit');
  if (gasLimit > MAX_TX_GAS) throw ainError(ErrInvalidGasLimit, `fee gas_limit ${gasLimit} exceeds the maximum ${MAX_TX_GAS}`);
  const memoLength = [...tx.body.memo].length;
  if (memoLength > ctx.params.maxMemoCharacters) {
    throw ainError(ErrMemoTooLarge, `memo has ${memoLength} characters; expected at most ${ctx.params.maxMemoCharacters}`);
  }
  if (tx.body.timeoutHeight > 0n && ctx.height > tx.body.timeoutHeight) {
    throw ainError(ErrTxTimeoutHeight, `block height ${ctx.height} is past the tx timeout_height ${tx.body.timeoutHeight}`);
  }
};

const consumeTxSizeGas: AnteStep = (ctx, { tx }) => {
  const bytes = tx.bytes.length + (ctx.mode === 'simulate' ? SIMULATED_SIGNATURE_AND_FEE_BYTES : 0);
  ctx.gas.consume(bytes * ctx.params.txSizeCostPerByte, 'txSize');
};

/**
 * The key a signer info carries, checked without state: a 33-byte compressed secp256k1 key whose
 * address is the signer's. Undefined when the info has none (the account's stored key is used).
 */
export function signerInfoPubkey(tx: DecodedTx, index: number, signer: string): Uint8Array | undefined {
  const info = tx.authInfo.signerInfos[index];
  if (!info?.publicKey) return undefined;
  if (info.publicKey.typeUrl !== SECP256K1_PUBKEY_TYPE_URL) {
    throw ainError(
      ErrInvalidPubKey,
      `signer_infos[${index}].public_key has type ${info.publicKey.typeUrl}; expected ${SECP256K1_PUBKEY_TYPE_URL}`,
    );
  }
  let key: Uint8Array;
  try {
    key = PubKey.decode(info.publicKey.value).key;
  } catch {
    throw ainError(ErrInvalidPubKey, `signer_infos[${index}].public_key does not decode`);
  }
  if (key.length !== 33 || (key[0] !== 2 && key[0] !== 3)) {
    throw ainError(
      ErrInvalidPubKey,
      `signer_infos[${index}].public_key is ${key.length} bytes; expected a 33-byte compressed secp256k1 key`,
    );
  }
  const derived = pubkeyToAddress(key);
  if (derived !== signer) throw ainError(ErrInvalidPubKey, `signer_infos[${index}].public_key belongs to ${derived}; expected ${signer}`);
  return key;
}

/**
 * Sequence and signature of every signer. A signature this node already verified for the same
 * bytes, key and account number (in CheckTx) is not verified again.
 */
const verifySignatures: AnteStep = (ctx, { tx, signers, pubkeys }, services) => {
  signers.forEach((signer, index) => {
    const info = tx.authInfo.signerInfos[index]!;
    const account = services.auth.getAccount(ctx.state, signer);
    if (!account) throw ainError(ErrUnknownAddress, `account ${signer} does not exist; it must receive funds before it can sign`);
    const pubkey = pubkeys[index] ?? account.pubkey;
    if (!pubkey)
      throw ainError(
        ErrInvalidPubKey,
        `signer ${index} (${signer}) has no public key on chain; expected one in signer_infos[${index}].public_key`,
      );
    if (!account.pubkey) services.auth.setPubkey(ctx.state, signer, pubkey);
    if (info.sequence !== account.sequence) {
      throw ainError(ErrWrongSequence, `account sequence mismatch, expected ${account.sequence}, got ${info.sequence}`, {
        expected: account.sequence.toString(),
        got: info.sequence.toString(),
      });
    }
    ctx.gas.consume(ctx.params.sigVerifyCostSecp256k1, 'ante verify: secp256k1');
    if (ctx.mode === 'simulate') return;
    const mode = info.modeInfo?.single?.mode;
    if (mode !== SignMode.SIGN_MODE_DIRECT && mode !== SignMode.SIGN_MODE_LEGACY_AMINO_JSON) {
      throw ainError(
        ErrNotSupported,
        `signer_infos[${index}].mode_info is ${mode === undefined ? 'not single' : SignMode[mode]}; expected SIGN_MODE_DIRECT or SIGN_MODE_LEGACY_AMINO_JSON`,
      );
    }
    const signature = tx.raw.signatures[index]!;
    const cacheKey = services.signatureCache.key(tx.hash, index, pubkey, account.accountNumber);
    if (!services.signatureCache.has(cacheKey)) {
      const signBytes = signBytesOf(tx, index, ctx.chainId, account.accountNumber)!;
      if (!services.signatureCache.verify(cacheKey, () => verifySecp256k1(pubkey, signBytes, signature))) {
        throw ainError(
          ErrUnauthorized,
          `signature verification failed; please verify account number (${account.accountNumber}), sequence (${account.sequence}) and chain-id (${ctx.chainId})`,
        );
      }
      // Remember it for FinalizeBlock and mempool rechecks; a delivered tx needs it no more.
      if (ctx.mode === 'check' || ctx.mode === 'recheck') services.signatureCache.add(cacheKey);
    } else if (ctx.mode === 'deliver') {
      services.signatureCache.delete(cacheKey);
    }
    ctx.events.emit(txEvent([['signature', Buffer.from(signature.buffer, signature.byteOffset, signature.length).toString('base64')]]));
  });
};

/** The bytes signer `index` signed in its sign mode; undefined for a mode this chain does not take. */
function signBytesOf(tx: DecodedTx, index: number, chainId: string, accountNumber: bigint): Uint8Array | undefined {
  const info = tx.authInfo.signerInfos[index]!;
  const mode = info.modeInfo?.single?.mode;
  if (mode === SignMode.SIGN_MODE_DIRECT) return directSignBytes(tx.raw.bodyBytes, tx.raw.authInfoBytes, chainId, accountNumber);
  if (mode === SignMode.SIGN_MODE_LEGACY_AMINO_JSON) return legacyAminoSignBytes(tx, chainId, accountNumber, info.sequence);
  return undefined;
}

/** A signature `verifySignatures` would check, prepared so another thread can (`SignatureWorker`). */
export interface SignatureJob {
  /** Its signature cache key: verified true, it goes in the cache and CheckTx skips the check. */
  readonly key: string;
  readonly check: Secp256k1Check;
}

/**
 * The signatures of a tx that `verifySignatures` would check on `state` and the cache does not vouch
 * for, read without writing or gas. A signer it would refuse before checking (no account, no key, a
 * sign mode we do not take, a malformed signature) has none: CheckTx refuses it as before.
 */
export function signatureJobs(
  state: ReadableState,
  input: Omit<AnteTx, 'gasLimit'>,
  chainId: string,
  services: AnteServices,
): SignatureJob[] {
  const jobs: SignatureJob[] = [];
  input.signers.forEach((signer, index) => {
    const account = services.auth.getAccount(state, signer);
    const pubkey = input.pubkeys[index] ?? account?.pubkey;
    if (!account || !pubkey) return;
    const key = services.signatureCache.key(input.tx.hash, index, pubkey, account.accountNumber);
    if (services.signatureCache.has(key)) return;
    const signBytes = signBytesOf(input.tx, index, chainId, account.accountNumber);
    const check = signBytes && secp256k1Check(pubkey, signBytes, input.tx.raw.signatures[index]!);
    if (check) jobs.push({ key, check });
  });
  return jobs;
}

/**
 * fee >= gas limit x min gas price; the whole fee moves from the payer to the fee collector. With a
 * `fee.granter`, the granter pays instead: its allowance for the payer (`x/feegrant`) must accept the
 * fee and the tx's messages, and is lowered by the fee (a granter paying its own fee needs none), as
 * the SDK's DeductFeeDecorator does.
 */
const deductFee: AnteStep = (ctx, { tx, signers, gasLimit }, services) => {
  const fee = tx.authInfo.fee!;
  const coins: Coin[] = coinsFromProto(fee.amount, 'fee amount', true);
  const payer = fee.payer || signers[0]!;
  if (!signers.includes(payer)) throw ainError(ErrUnauthorized, `fee payer ${payer} is not a signer of the tx`);
  if (ctx.mode !== 'simulate') requireMinFee(ctx, coins, gasLimit);
  let deductFrom = payer;
  if (fee.granter) {
    parseAddress(fee.granter, 'fee.granter');
    if (fee.granter !== payer)
      services.feegrant.useGrantedFees(
        ctx,
        fee.granter,
        payer,
        coins,
        tx.messages.map((message) => message.typeUrl),
      );
    deductFrom = fee.granter;
    if (!services.auth.hasAccount(ctx.state, deductFrom))
      throw ainError(ErrUnknownAddress, `fee payer address: ${deductFrom} does not exist; the fee granter must have an account`);
  }
  if (coins.length > 0) {
    services.bank.sendCoins(ctx, deductFrom, services.feeCollector, coins);
  } else if (ctx.mode === 'simulate') {
    // The simulated tx carries no fee, but the real one will: charge what its transfer costs.
    ctx.gas.consume(SIMULATED_FEE_TRANSFER_GAS, 'simulated fee transfer');
  }
  ctx.events.emit(
    txEvent([
      ['fee', formatCoins(coins)],
      ['fee_payer', deductFrom],
    ]),
  );
};

/** Refuses a fee below gas limit x min gas price (no min gas price: any fee). */
function requireMinFee(ctx: AnteContext, coins: readonly Coin[], gasLimit: bigint): void {
  const prices = ctx.params.minGasPrices;
  if (prices.length === 0) return;
  const enough = coins.some((coin) => {
    const required = requiredFee(ctx.params, coin.denom, gasLimit);
    return required !== undefined && coin.amount >= required;
  });
  if (!enough) {
    const required = prices.map((p) => `${requiredFee(ctx.params, p.denom, gasLimit)}${p.denom}`).join(' or ');
    throw ainError(ErrInsufficientFee, `insufficient fees; got: "${formatCoins(coins)}" required: "${required}" (gas limit ${gasLimit})`);
  }
}

/**
 * In CheckTx only, a fee below the minimum is refused before any signature is verified, so a flood of
 * underpaid txs costs the mempool no secp256k1 work. Blocks keep the SDK's order (signatures first),
 * so a block's results are the same as before this check existed.
 */
const checkMinFeeFirst: AnteStep = (ctx, { tx, gasLimit }) => {
  if (ctx.mode !== 'check' && ctx.mode !== 'recheck') return;
  requireMinFee(ctx, coinsFromProto(tx.authInfo.fee!.amount, 'fee amount', true), gasLimit);
};

const incrementSequences: AnteStep = (ctx, { signers }, services) => {
  for (const signer of signers) {
    const sequence = services.auth.getSequence(ctx.state, signer);
    services.auth.setSequence(ctx.state, signer, sequence + 1n);
    ctx.events.emit(txEvent([['acc_seq', `${signer}/${sequence}`]]));
  }
};

/**
 * The ante pipeline, in order. Signatures and sequences come before the fee, so nothing is paid by a
 * tx that is not authorised; a tx failing any step changes nothing. In CheckTx the cheap checks come
 * first: the shape, the fee's minimum, then the sequence, and the signature last.
 */
export const ANTE_STEPS: readonly AnteStep[] = [
  validateBasic,
  consumeTxSizeGas,
  checkMinFeeFirst,
  verifySignatures,
  deductFee,
  incrementSequences,
];

export function runAnte(ctx: AnteContext, input: AnteTx, services: AnteServices): void {
  for (const step of ANTE_STEPS) step(ctx, input, services);
}
