import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import {
  CheckTxType,
  type RequestCheckTx,
  type RequestFinalizeBlock,
  type RequestInfo,
  type RequestInitChain,
  type RequestQuery,
  ResponseCheckTx,
  ResponseCommit,
  type ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseQuery,
  type ExecTxResult,
  ValidatorUpdate,
} from 'cosmjs-types/tendermint/abci/types';
import type { AbciApplication } from './abci/application.ts';
import {
  decodeQueryRequest,
  AinError,
  ainError,
  ErrInvalidHeight,
  ErrInvalidRequest,
  ErrLogic,
  ErrTxDecode,
  EventCollector,
  type EventIndexFilter,
  toAbciEvents,
  GasMeter,
  moduleAddress,
} from '../core/index.ts';
import type { BlockContext, ReadableState } from '../core/index.ts';
import type { AuthKeeper } from '../modules/auth/index.ts';
import { FEE_COLLECTOR } from '../modules/auth/index.ts';
import type { BankKeeper } from '../modules/bank/index.ts';
import type { FeegrantKeeper } from '../modules/feegrant/index.ts';
import { type AppStateJson, ModuleManager } from './moduleManager.ts';
import { MODULES } from './modules.ts';
import { type ChainParams, readChainParams } from './params.ts';
import { genesisContext, genesisStartOfRequest } from './genesisStart.ts';
import { type BlockEnv, pendingSignatureJobs, runTx, type TxOutcome, type TxServices } from './runTx.ts';
import type { SignatureJob } from './ante.ts';
import { SignatureCache } from './signatureCache.ts';
import { useLeanProtobufCodecs } from './tx/protobufCodecs.ts';
import { txHash } from './tx/decode.ts';
import { CheckedTxCache } from './txCache.ts';
import { checkUpgradesKnown, runDueUpgrade, UPGRADE_HANDLERS, type UpgradeHandler } from './upgrades.ts';
import { APP_PROTOCOL_VERSION, APP_VERSION, APP_VERSION_META, checkStateVersion } from './version.ts';
import type { UpgradeKeeper } from '../modules/upgrade/index.ts';
import type { CommittedState, PreparedBlock } from '../tree/lmdb/index.ts';
import { Overlay, PROOF_OP_TYPE, encodeProof, encodeValue } from '../tree/index.ts';

export const APP_NAME = 'ain';
export { APP_PROTOCOL_VERSION, APP_VERSION } from './version.ts';
const CHAIN_ID_META = 'chain_id';
/** Header time (seconds) of the last committed block: the best guess of "now" for CheckTx and simulate. */
const LAST_BLOCK_TIME_META = 'last_block_time';
/** Tx simulation, answered by the app itself (it runs the tx). */
const SIMULATE_QUERY = '/cosmos.tx.v1beta1.Service/Simulate';
/**
 * CometBFT-style raw store query: data = a state path (UTF-8); value = the leaf's encoded value (see
 * tree/valueCodec.ts; empty when there is none); with `prove`, its proof. For light clients.
 */
export const STORE_KEY_QUERY = '/store/state/key';

/** How an `AinApplication` is built beyond its store. */
export interface AinApplicationOptions {
  /**
   * The software upgrade handlers by plan name (`app/upgrades.ts`); default: this build's
   * `UPGRADE_HANDLERS`. Tests and `test/helpers/aindUpgraded.ts` pass their own.
   */
  readonly upgradeHandlers?: ReadonlyMap<string, UpgradeHandler>;
  /** The event attributes CometBFT indexes (app.toml `index-events`); default: all. */
  readonly indexEvents?: EventIndexFilter | undefined;
  /**
   * Commit hands the block to lmdb's writer thread (`commitAsync`) and answers before it is durable
   * (default false: durable on return). A crash then leaves the store behind CometBFT's last block,
   * which CometBFT's start-up handshake replays. One block at most is in flight: a Commit that finds
   * the previous block not yet durable answers once it is.
   */
  readonly pipelinedCommit?: boolean;
}

/** The block being built: genesis writes and/or one block's txs, with its prepared commit. */
interface PendingBlock {
  readonly state: Overlay;
  height: bigint;
  timeSeconds: bigint;
  finalized: boolean;
  prepared: PreparedBlock | undefined;
}

/**
 * AIN Chain's ABCI application. It keeps three views of the state: the committed lmdb tree, the
 * block being finalized (an overlay, persisted only by Commit) and the mempool's check state (an
 * overlay over committed state, reset after every Commit).
 */
export class AinApplication implements AbciApplication {
  readonly signatureCache = new SignatureCache();
  readonly checkedTxs = new CheckedTxCache();
  /** The modules, built from `MODULES`: their routers, genesis, end-of-block hooks, REST routes. */
  readonly modules = new ModuleManager(MODULES);
  readonly feeCollector = moduleAddress(FEE_COLLECTOR);
  private readonly services: TxServices;
  private chainId: string;
  private lastBlockTimeSeconds: bigint;
  private pending: PendingBlock | undefined;
  private checkState: Overlay;
  private checkParams: ChainParams | undefined;
  private readonly upgradeHandlers: ReadonlyMap<string, UpgradeHandler>;
  private readonly indexEvents: EventIndexFilter | undefined;
  private readonly pipelinedCommit: boolean;

  /**
   * @throws AinError sdk/36 when a newer major version wrote the store; upgrade/100 when the state
   * needs an upgrade handler this build lacks (`app/upgrades.ts`)
   */
  constructor(
    private readonly committed: CommittedState,
    options: AinApplicationOptions = {},
  ) {
    checkStateVersion(committed.getMeta(APP_VERSION_META), APP_VERSION, committed.dir);
    this.upgradeHandlers = options.upgradeHandlers ?? UPGRADE_HANDLERS;
    this.indexEvents = options.indexEvents;
    this.pipelinedCommit = options.pipelinedCommit ?? false;
    if (committed.height > 0n)
      checkUpgradesKnown(committed, committed.height, this.modules.keeper<UpgradeKeeper>('upgrade'), this.upgradeHandlers);
    useLeanProtobufCodecs();
    this.services = {
      auth: this.modules.keeper<AuthKeeper>('auth'),
      bank: this.modules.keeper<BankKeeper>('bank'),
      feegrant: this.modules.keeper<FeegrantKeeper>('feegrant'),
      feeCollector: this.feeCollector,
      signatureCache: this.signatureCache,
      router: this.modules.msgRouter,
      checkedTxs: this.checkedTxs,
    };
    this.chainId = committed.getMeta(CHAIN_ID_META) ?? '';
    this.lastBlockTimeSeconds = BigInt(committed.getMeta(LAST_BLOCK_TIME_META) ?? '0');
    this.checkState = new Overlay(committed);
    this.checkParams = committed.height > 0n ? readChainParams(committed) : undefined;
  }

  /** A module's keeper (tests and the CLI read state through keepers). */
  keeper<T>(module: string): T {
    return this.modules.keeper<T>(module);
  }

  /**
   * The committed state (or `state`, e.g. a retained height's) as genesis `app_state` (every module's
   * export); `aind genesis export` writes it.
   */
  exportGenesis(state: ReadableState = this.committed): AppStateJson {
    return this.modules.exportGenesis(state);
  }

  info(_request: RequestInfo): ResponseInfo {
    return ResponseInfo.fromPartial({
      data: APP_NAME,
      version: APP_VERSION,
      appVersion: APP_PROTOCOL_VERSION,
      lastBlockHeight: this.committed.height,
      lastBlockAppHash: this.committed.height > 0n ? this.committed.appHash : new Uint8Array(),
    });
  }

  /** Genesis: module state goes into the pending block, persisted with block 1 by Commit. */
  initChain(request: RequestInitChain): ResponseInitChain {
    if (this.committed.height > 0n) throw new Error(`InitChain at committed height ${this.committed.height}`);
    const start = genesisStartOfRequest(request);
    this.chainId = start.chainId;
    const state = new Overlay(this.committed);
    const appState = JSON.parse(Buffer.from(request.appStateBytes).toString('utf8') || '{}') as AppStateJson;
    const validators = this.modules.initGenesis(genesisContext(state, start), appState);
    this.pending = {
      state,
      height: start.height,
      timeSeconds: start.blockTimeSeconds,
      finalized: false,
      prepared: undefined,
    };
    const prepared = this.committed.prepare(state.writes());
    return ResponseInitChain.fromPartial({ appHash: prepared.appHash, validators: [...validators] });
  }

  checkTx(request: RequestCheckTx): ResponseCheckTx {
    const params = this.checkParams;
    if (!params)
      return ResponseCheckTx.fromPartial({ code: ErrLogic.code, codespace: ErrLogic.codespace, log: 'chain has no committed block yet' });
    const mode = request.type === CheckTxType.RECHECK ? 'recheck' : 'check';
    const outcome = runTx(this.services, this.checkState, request.tx, mode, {
      chainId: this.chainId,
      height: this.committed.height + 1n,
      blockTimeSeconds: this.lastBlockTimeSeconds,
      params,
    });
    return ResponseCheckTx.fromPartial({
      code: outcome.code,
      codespace: outcome.codespace,
      log: outcome.log,
      gasWanted: outcome.gasWanted,
      gasUsed: outcome.gasUsed,
    });
  }

  /**
   * The signatures new txs' CheckTx would verify, for another thread to verify first (the ABCI
   * server's `beforeCheckTx`); none before the first block.
   */
  pendingSignatures(txs: readonly Uint8Array[]): SignatureJob[] {
    return this.#signatureJobs(txs, false);
  }

  /**
   * The signatures FinalizeBlock would verify for those of a block's txs no CheckTx decoded (a block
   * replayed or synced, a proposal with txs this node's mempool lacked), for other threads to verify
   * first (the ABCI server's `beforeBlock`); none before the first block.
   */
  unseenSignatures(txs: readonly Uint8Array[]): SignatureJob[] {
    return this.#signatureJobs(txs, true);
  }

  /**
   * `pendingSignatureJobs` of each tx on the check state; with `unseenOnly`, none for a tx waiting
   * decoded in the checked-tx cache (its CheckTx verified its signatures, or an earlier pass over the
   * block handed them to the workers).
   */
  #signatureJobs(txs: readonly Uint8Array[], unseenOnly: boolean): SignatureJob[] {
    const params = this.checkParams;
    if (!params) return [];
    return txs.flatMap((tx) =>
      unseenOnly && this.services.checkedTxs.get(txHash(tx)) !== undefined
        ? []
        : pendingSignatureJobs(this.services, this.checkState, tx, this.chainId, params.auth.maxTxBytes),
    );
  }

  /** Results of `pendingSignatures` verified elsewhere: a true one's CheckTx does not verify it again. */
  addVerifiedSignatures(results: ReadonlyArray<{ readonly key: string; readonly valid: boolean }>): void {
    this.services.signatureCache.recordVerified(results);
  }

  finalizeBlock(request: RequestFinalizeBlock): ResponseFinalizeBlock {
    const expected = this.committed.height + 1n;
    if (request.height !== expected && !(this.pending && !this.pending.finalized && request.height === this.pending.height)) {
      throw new Error(`FinalizeBlock for height ${request.height}; expected ${expected}`);
    }
    // A replay of a block finalized but never committed (CometBFT restarted) starts over.
    if (!this.pending || this.pending.finalized) {
      this.pending = { state: new Overlay(this.committed), height: request.height, timeSeconds: 0n, finalized: false, prepared: undefined };
    }
    const block = this.pending;
    block.height = request.height;
    block.timeSeconds = request.time?.seconds ?? 0n;
    const blockEvents = new EventCollector();
    // A software upgrade due at this height runs before the txs; without its handler the block is
    // refused (upgrade/100): nothing is staged, the node stops, CometBFT re-delivers it on restart.
    runDueUpgrade(
      { ...blockContext(block.state, request.height, block.timeSeconds), events: blockEvents },
      this.modules.keeper<UpgradeKeeper>('upgrade'),
      this.upgradeHandlers,
      this.modules,
    );
    const env: BlockEnv = {
      chainId: this.chainId,
      height: request.height,
      blockTimeSeconds: request.time?.seconds ?? 0n,
      params: readChainParams(block.state),
    };
    const txResults = request.txs.map((tx) => toExecTxResult(runTx(this.services, block.state, tx, 'deliver', env), this.indexEvents));
    // End of block, after the txs: the modules' hooks in their declared order. A failure here is a broken invariant.
    const validatorUpdates = this.modules.endBlock(
      { ...blockContext(block.state, request.height, env.blockTimeSeconds), events: blockEvents },
      { votes: request.decidedLastCommit?.votes ?? [], misbehavior: request.misbehavior, chainId: this.chainId },
    );
    block.prepared = this.committed.prepare(block.state.writes());
    block.finalized = true;
    // Built as is, not through fromPartial: that would copy every tx result's events once more.
    return {
      txResults,
      events: toAbciEvents(blockEvents.events, this.indexEvents),
      validatorUpdates: validatorUpdates.map((update) => ValidatorUpdate.fromPartial(update)),
      appHash: block.prepared.appHash,
    };
  }

  commit(): ResponseCommit | Promise<ResponseCommit> {
    const block = this.pending;
    const prepared = block?.finalized ? block.prepared : undefined;
    if (!block || !prepared) throw new Error('Commit without a finalized block');
    if (this.pipelinedCommit && this.committed.durableHeight < this.committed.height) {
      // The previous block's write is still going: answer once it is durable, so a crash loses one block at most.
      return this.committed.flushed().then(() => {
        // A CometBFT that reconnected meanwhile replays the block itself.
        if (this.pending !== block) throw new Error(`Commit of block ${block.height} abandoned: CometBFT reconnected`);
        return this.commitBlock(block, prepared);
      });
    }
    return this.commitBlock(block, prepared);
  }

  private commitBlock(block: PendingBlock, prepared: PreparedBlock): ResponseCommit {
    const meta = new Map([
      [CHAIN_ID_META, this.chainId],
      [LAST_BLOCK_TIME_META, block.timeSeconds.toString()],
      [APP_VERSION_META, APP_VERSION],
    ]);
    if (this.pipelinedCommit) {
      // A failed write is not lost: the store then throws on every later call, which stops the node.
      this.committed.commitAsync(prepared, block.height, meta).catch(() => undefined);
    } else {
      this.committed.commit(prepared, block.height, meta);
    }
    this.lastBlockTimeSeconds = block.timeSeconds;
    this.pending = undefined;
    this.resetCheckState();
    return ResponseCommit.fromPartial({ retainHeight: 0n });
  }

  /** After a commit or a CometBFT restart the mempool's view starts again from committed state. */
  resetCheckState(): void {
    this.checkState = new Overlay(this.committed);
    this.checkParams = this.committed.height > 0n ? readChainParams(this.committed) : undefined;
  }

  /**
   * After state sync wrote a snapshot's state into the committed store: reads back the app's metadata
   * it brought (chain id, last block time; a newer major version, or an upgrade this build has no
   * handler for, is refused) and starts the mempool's view from it.
   */
  restored(): void {
    checkStateVersion(this.committed.getMeta(APP_VERSION_META), APP_VERSION, this.committed.dir);
    checkUpgradesKnown(this.committed, this.committed.height, this.modules.keeper<UpgradeKeeper>('upgrade'), this.upgradeHandlers);
    this.chainId = this.committed.getMeta(CHAIN_ID_META) ?? '';
    this.lastBlockTimeSeconds = BigInt(this.committed.getMeta(LAST_BLOCK_TIME_META) ?? '0');
    this.pending = undefined;
    this.resetCheckState();
  }

  /**
   * A new ABCI connection means CometBFT (re)started: whatever it had in flight (an unfinished block,
   * the mempool) is gone, so ours goes too.
   */
  onConnection(): void {
    if (this.pending?.finalized) this.pending = undefined;
    this.resetCheckState();
  }

  /**
   * Answers at the latest height (`height` 0) or any height the store keeps (the last `keep_recent`
   * of app.toml; others fail with store/15 naming the oldest kept). `ResponseQuery.height` is the
   * height read; a proof in `proofOps` (type `ain:state`) verifies against the app hash of that
   * state, which CometBFT puts in the header of the NEXT block (`app_hash` of height + 1).
   */
  query(request: RequestQuery): ResponseQuery {
    const latest = this.committed.height;
    let height = latest;
    try {
      if (request.height < 0n) throw ainError(ErrInvalidHeight, `height ${request.height} is negative`);
      if (latest === 0n) throw ainError(ErrInvalidHeight, 'no block committed yet');
      if (request.height !== 0n) height = request.height;
      // A view at the height (store/15 when it is not kept); module handlers read it unchanged.
      const state: ReadableState = height === latest ? this.committed : this.committed.stateAt(height);
      if (request.path === STORE_KEY_QUERY) return this.queryStoreKey(request, height);
      if (request.path === SIMULATE_QUERY)
        return ResponseQuery.fromPartial({ code: 0, value: this.simulate(request.data, state, height), height });
      const answer = this.modules.queryRouter.handle(request.path, state, request.data, {
        height,
        ...(height === latest ? { blockTimeSeconds: this.lastBlockTimeSeconds } : {}),
        prove: request.prove,
        proofOf: (path) => encodeProof(this.committed.proveAt(path, height)),
      });
      const response = ResponseQuery.fromPartial({ code: 0, value: answer.value, height });
      if (answer.proofOps) response.proofOps = { ops: answer.proofOps.ops.map((op) => ({ ...op })) };
      return response;
    } catch (error) {
      const known = error instanceof AinError ? error : ainError(ErrInvalidRequest, (error as Error).message);
      return ResponseQuery.fromPartial({ code: known.code, codespace: known.codespace, log: known.message, height });
    }
  }

  /** {@link STORE_KEY_QUERY}: the raw leaf at a path, with its proof when asked. */
  private queryStoreKey(request: RequestQuery, height: bigint): ResponseQuery {
    const path = Buffer.from(request.data).toString('utf8');
    const leaf = this.committed.getAt(path, height);
    const value = leaf === undefined ? new Uint8Array() : encodeValue(leaf);
    const response = ResponseQuery.fromPartial({ code: 0, key: request.data, value, height });
    if (request.prove)
      response.proofOps = { ops: [{ type: PROOF_OP_TYPE, key: request.data, data: encodeProof(this.committed.proveAt(path, height)) }] };
    return response;
  }

  /**
   * `cosmos.tx.v1beta1.Service/Simulate`: runs the tx on a throwaway view of the state at `height`
   * (as the next block would), no signature check.
   */
  private simulate(data: Uint8Array, state: ReadableState, height: bigint): Uint8Array {
    const request = decodeQueryRequest(SimulateRequest, data);
    // CosmJS sends tx_bytes; the deprecated `tx` field is accepted too.
    let txBytes = request.txBytes;
    if (txBytes.length === 0 && request.tx?.body && request.tx.authInfo) {
      txBytes = TxRaw.encode({
        bodyBytes: TxBody.encode(request.tx.body).finish(),
        authInfoBytes: AuthInfo.encode(request.tx.authInfo).finish(),
        signatures: request.tx.signatures,
      }).finish();
    }
    if (txBytes.length === 0) throw ainError(ErrTxDecode, 'simulate request has no tx_bytes');
    const outcome = runTx(this.services, new Overlay(state), txBytes, 'simulate', {
      chainId: this.chainId,
      height: height + 1n,
      blockTimeSeconds: this.lastBlockTimeSeconds,
      params: readChainParams(state),
    });
    if (outcome.code !== 0) throw new AinError({ codespace: outcome.codespace, code: outcome.code, description: outcome.log });
    return SimulateResponse.encode({
      gasInfo: { gasWanted: outcome.gasWanted, gasUsed: outcome.gasUsed },
      result: { data: outcome.data, log: '', events: toAbciEvents(outcome.events), msgResponses: [...outcome.msgResponses] },
    }).finish();
  }
}

function toExecTxResult(outcome: TxOutcome, indexEvents: EventIndexFilter | undefined): ExecTxResult {
  return {
    code: outcome.code,
    codespace: outcome.codespace,
    log: outcome.log,
    info: '',
    data: outcome.data,
    gasWanted: outcome.gasWanted,
    gasUsed: outcome.gasUsed,
    events: toAbciEvents(outcome.events, indexEvents),
  };
}

/** The context of a block phase (genesis, end of block): unmetered gas, fresh events. */
function blockContext(state: Overlay, height: bigint, blockTimeSeconds: bigint): BlockContext {
  return { state, gas: new GasMeter(0), events: new EventCollector(), height, blockTimeSeconds };
}
