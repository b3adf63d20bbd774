import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { type AnteContext, type AnteServices, runAnte, type SignatureJob, signatureJobs, signerInfoPubkey } from './ante.ts';
import type { ExecMode, MsgRouter, ReadableState } from '../core/index.ts';
import {
  AinError,
  ainError,
  ErrPanic,
  ErrUnauthorized,
  EventCollector,
  type TypedEvent,
  GasMeter,
  GasMeteredState,
} from '../core/index.ts';
import type { ChainParams } from './params.ts';
import type { Overlay } from '../tree/index.ts';
import { decodeTx, txHash } from './tx/decode.ts';
import type { CheckedTx, CheckedTxCache } from './txCache.ts';

/** What a block (or the mempool's view of the next one) tells a tx: never the local clock. */
export interface BlockEnv {
  readonly chainId: string;
  readonly height: bigint;
  readonly blockTimeSeconds: bigint;
  readonly params: ChainParams;
}

export interface TxServices extends AnteServices {
  readonly router: MsgRouter;
  readonly checkedTxs: CheckedTxCache;
}

/** Decodes, routes and validates a tx statelessly; throws AinError for anything malformed. */
function checkStateless(router: MsgRouter, bytes: Uint8Array, maxTxBytes: number): CheckedTx {
  const tx = decodeTx(bytes, maxTxBytes);
  const routed = tx.messages.map((any, i) => router.route(any, i));
  const signers: string[] = [];
  for (const { handler, msg } of routed) {
    for (const signer of handler.signers(msg)) if (!signers.includes(signer)) signers.push(signer);
  }
  if (tx.authInfo.signerInfos.length !== signers.length) {
    throw ainError(
      ErrUnauthorized,
      `wrong number of signers; expected ${signers.length}, got ${tx.authInfo.signerInfos.length} signer infos`,
    );
  }
  const pubkeys = signers.map((signer, index) => signerInfoPubkey(tx, index, signer));
  return { tx, routed, signers, pubkeys };
}

/**
 * The stateless result for these bytes: from the cache when CheckTx already did the work (rechecks
 * and FinalizeBlock), else computed; CheckTx stores it, FinalizeBlock consumes it.
 */
function checkedTx(services: TxServices, bytes: Uint8Array, mode: ExecMode, maxTxBytes: number): CheckedTx {
  if (mode === 'simulate' || bytes.length > maxTxBytes) return checkStateless(services.router, bytes, maxTxBytes);
  const hash = txHash(bytes);
  const cached = services.checkedTxs.get(hash);
  if (cached) {
    if (mode === 'deliver') services.checkedTxs.delete(hash);
    return cached;
  }
  // A copy, so the cache never pins the socket buffer the request was read from.
  const checked = checkStateless(services.router, mode === 'deliver' ? bytes : bytes.slice(), maxTxBytes);
  if (mode !== 'deliver') services.checkedTxs.set(hash, checked);
  return checked;
}

/**
 * The signatures a new tx's CheckTx would verify on `state` (`signatureJobs`), decoding it into the
 * cache its CheckTx then reads; none for bytes that do not decode or route (CheckTx says why).
 */
export function pendingSignatureJobs(
  services: TxServices,
  state: ReadableState,
  bytes: Uint8Array,
  chainId: string,
  maxTxBytes: number,
): SignatureJob[] {
  try {
    return signatureJobs(state, checkedTx(services, bytes, 'check', maxTxBytes), chainId, services);
  } catch {
    return [];
  }
}

/** The outcome of one tx, whether it succeeded or not. */
export interface TxOutcome {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly gasWanted: bigint;
  readonly gasUsed: bigint;
  readonly events: readonly TypedEvent[];
  /** Encoded `TxMsgData` (the message responses) on success. */
  readonly data: Uint8Array;
  readonly msgResponses: readonly Any[];
  /** The tx hash, when the bytes decoded. */
  readonly hash: string | undefined;
}

function failure(error: unknown, gasWanted: bigint, gasUsed: bigint, events: readonly TypedEvent[], hash: string | undefined): TxOutcome {
  const known =
    error instanceof AinError ? error : new AinError(ErrPanic, `unexpected error: ${(error as Error)?.message ?? String(error)}`);
  return {
    code: known.code,
    codespace: known.codespace,
    log: known.message,
    gasWanted,
    gasUsed,
    events,
    data: new Uint8Array(),
    msgResponses: [],
    hash,
  };
}

/**
 * Runs one tx on `base`: decode, route and validate the messages, the ante pipeline, then each
 * message. A failure in decoding or ante leaves `base` untouched. A message failure in `deliver`
 * keeps the ante's effects (fee paid, sequence used) as the Cosmos SDK does; in every other mode a
 * failed tx changes nothing. Never throws for anything a user sent.
 */
export function runTx(services: TxServices, base: Overlay, bytes: Uint8Array, mode: ExecMode, block: BlockEnv): TxOutcome {
  let hash: string | undefined;
  let gasWanted = 0n;
  const gas = new GasMeter(0);
  let meter = gas;
  const anteEvents = new EventCollector();
  try {
    const { tx, routed, signers, pubkeys } = checkedTx(services, bytes, mode, block.params.auth.maxTxBytes);
    hash = tx.hash;
    gasWanted = tx.authInfo.fee!.gasLimit;
    meter = new GasMeter(mode === 'simulate' ? 0 : Number(gasWanted <= BigInt(Number.MAX_SAFE_INTEGER) ? gasWanted : 0n));
    const anteState = base.child();
    // One object shape for the ante's and the messages' contexts (the messages' carry the auth params
    // unused), so the keepers' property reads stay monomorphic.
    const context = (state: Overlay, events: EventCollector): AnteContext => ({
      state: new GasMeteredState(state, meter),
      gas: meter,
      events,
      chainId: block.chainId,
      height: block.height,
      blockTimeSeconds: block.blockTimeSeconds,
      mode,
      params: block.params.auth,
    });
    runAnte(context(anteState, anteEvents), { tx, signers, pubkeys, gasLimit: gasWanted }, services);

    const msgState = anteState.child();
    const msgEvents = new EventCollector();
    const msgResponses: Any[] = [];
    try {
      routed.forEach(({ handler, msg, typeUrl }, index) => {
        const events = new EventCollector();
        const response = handler.handle(context(msgState, events), msg);
        msgResponses.push(response);
        msgEvents.emit({
          type: 'message',
          attributes: [
            ['action', typeUrl],
            ['sender', handler.signers(msg)[0] ?? ''],
            ['module', handler.module],
            ['msg_index', String(index)],
          ],
        });
        msgEvents.append(events.events, [['msg_index', String(index)]]);
      });
    } catch (error) {
      if (mode === 'deliver') anteState.mergeInto(base);
      return failure(error, gasWanted, BigInt(meter.consumed), mode === 'deliver' ? anteEvents.events : [], hash);
    }
    msgState.mergeInto(anteState);
    anteState.mergeInto(base);
    return {
      code: 0,
      codespace: '',
      log: '',
      gasWanted,
      gasUsed: BigInt(meter.consumed),
      events: [...anteEvents.events, ...msgEvents.events],
      data: TxMsgData.encode({ data: [], msgResponses }).finish(),
      msgResponses,
      hash,
    };
  } catch (error) {
    return failure(error, gasWanted, BigInt(meter.consumed), [], hash);
  }
}
