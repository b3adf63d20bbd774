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
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseQuery,
} from 'cosmjs-types/tendermint/abci/types';
import { AuthKeeper } from '../modules/auth/keeper.ts';
import { initAuthGenesis } from '../modules/auth/genesis.ts';
import { registerAuthQueries } from '../modules/auth/query.ts';
import { moduleAddress } from '../core/address.ts';
import { initBankGenesis } from '../modules/bank/genesis.ts';
import { BankKeeper } from '../modules/bank/keeper.ts';
import { msgSendHandler } from '../modules/bank/msg_server.ts';
import { registerBankQueries } from '../modules/bank/query.ts';
import { initStateGenesis } from '../modules/state/genesis.ts';
import { StateKeeper } from '../modules/state/keeper.ts';
import { stateMsgHandlers } from '../modules/state/msg_server.ts';
import { registerStateQueries } from '../modules/state/query.ts';
import { initTriggersGenesis } from '../modules/triggers/genesis.ts';
import { TriggersKeeper } from '../modules/triggers/keeper.ts';
import { triggersMsgHandlers } from '../modules/triggers/msg_server.ts';
import { registerTriggersQueries } from '../modules/triggers/query.ts';
import { initJobsGenesis } from '../modules/jobs/genesis.ts';
import { JobsKeeper } from '../modules/jobs/keeper.ts';
import { jobsMsgHandlers } from '../modules/jobs/msg_server.ts';
import { registerJobsQueries } from '../modules/jobs/query.ts';
import { initDistributionGenesis } from '../modules/distribution/genesis.ts';
import { DISTRIBUTION_MODULE, DistributionKeeper } from '../modules/distribution/keeper.ts';
import { distributionMsgHandlers } from '../modules/distribution/msg_server.ts';
import { registerDistributionQueries, registerMintQueries } from '../modules/distribution/query.ts';
import { initSlashingGenesis } from '../modules/slashing/genesis.ts';
import { SlashingKeeper } from '../modules/slashing/keeper.ts';
import { slashingMsgHandlers } from '../modules/slashing/msg_server.ts';
import { registerSlashingQueries } from '../modules/slashing/query.ts';
import { initStakingGenesis } from '../modules/staking/genesis.ts';
import { BONDED_POOL_NAME, NOT_BONDED_POOL_NAME, StakingKeeper } from '../modules/staking/keeper.ts';
import { stakingMsgHandlers } from '../modules/staking/msg_server.ts';
import { registerStakingQueries } from '../modules/staking/query.ts';
import type { AbciApplication } from './abci/application.ts';
import { AinError, ainError, ErrInvalidHeight, ErrInvalidRequest, ErrLogic, ErrTxDecode } from '../core/errors.ts';
import { EventCollector, toAbciEvents } from '../core/events.ts';
import { GasMeter } from '../core/gas.ts';
import type { AppState } from './genesis.ts';
import { type ChainParams, readChainParams } from './params.ts';
import { QueryRouter } from '../core/queryRouter.ts';
import { MsgRouter } from '../core/msgRouter.ts';
import { type BlockEnv, runTx, type TxOutcome, type TxServices } from './runTx.ts';
import { SignatureCache } from './signatureCache.ts';
import { useExactSizeProtobufBuffers } from './tx/protobufAlloc.ts';
import { CheckedTxCache } from './txCache.ts';
import type { CommittedState, PreparedBlock } from '../tree/lmdb/committedState.ts';
import { Overlay } from '../tree/overlay.ts';
import { QueryGetRequest, QueryGetResponse } from '../proto/gen/ain/state/v1/query.ts';
import { PROOF_OP_TYPE, encodeProof } from '../tree/proof.ts';
import type { ReadableState } from '../core/state.ts';
import { encodeValue } from '../tree/valueCodec.ts';

export const APP_NAME = 'ain';
export const APP_VERSION = '0.1.0';
/** The ABCI app protocol version reported in Info and block headers. */
export const APP_PROTOCOL_VERSION = 1n;
const CHAIN_ID_META = 'chain_id';
/** Header time (seconds) of the last committed block: the best guess of "now" for CheckTx and simulate. */
const LAST_BLOCK_TIME_META = 'last_block_time';
/** The state module's Get query: with `prove`, the app adds the proof of the requested path. */
export const STATE_GET_QUERY = '/ain.state.v1.Query/Get';
/**
 * CometBFT-style raw store query: data = a state path (UTF-8); value = the leaf's encoded value (see
 * tree/valueCodec.ts; empty when there is none); with `prove`, its proof. For light clients.
 */
export const STORE_KEY_QUERY = '/store/state/key';

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
  readonly auth = new AuthKeeper();
  readonly bank = new BankKeeper(this.auth);
  readonly stateKeeper = new StateKeeper();
  readonly feeCollector = moduleAddress('fee_collector');
  /** Off-chain function calls, executors, native functions; hooked into the state keeper's value writes. */
  readonly triggers = new TriggersKeeper(
    this.bank,
    this.stateKeeper,
    new Set([
      this.feeCollector,
      moduleAddress('triggers'),
      moduleAddress('jobs'),
      moduleAddress(BONDED_POOL_NAME),
      moduleAddress(NOT_BONDED_POOL_NAME),
      moduleAddress(DISTRIBUTION_MODULE),
    ]),
  );
  /** The job market: jobs, reputation trees, requests and their escrow, end-of-block deadlines. */
  readonly jobs = new JobsKeeper(this.bank);
  /** Module accounts MsgSend may not pay. */
  private readonly blockedAddresses = new Set([this.feeCollector, this.triggers.moduleAddress, this.jobs.moduleAddress]);
  /** Proof of stake: validators, delegations, unbonding, and the active set sent to CometBFT. */
  readonly staking = new StakingKeeper(this.bank);
  /** Double-sign evidence, liveness over a window of blocks, jail and unjail. */
  readonly slashing = new SlashingKeeper(this.staking);
  /** Block rewards (minted + fees) to validators and delegators, commission, the community pool. */
  readonly distribution = new DistributionKeeper(this.bank, this.staking, this.feeCollector, this.blockedAddresses);
  private readonly msgRouter = new MsgRouter();
  private readonly queryRouter = new QueryRouter();
  private readonly services: TxServices;
  private chainId: string;
  private lastBlockTimeSeconds: bigint;
  private pending: PendingBlock | undefined;
  private checkState: Overlay;
  private checkParams: ChainParams | undefined;

  constructor(private readonly committed: CommittedState) {
    useExactSizeProtobufBuffers();
    this.stateKeeper.setHooks(this.triggers);
    this.staking.setHooks([this.distribution, this.slashing]);
    // The stake pools and the distribution account hold what their modules account for: MsgSend may not pay them.
    for (const address of [this.staking.bondedPool, this.staking.notBondedPool, this.distribution.moduleAddress])
      this.blockedAddresses.add(address);
    this.msgRouter.register(msgSendHandler(this.bank, this.blockedAddresses));
    for (const handler of stateMsgHandlers(this.stateKeeper)) this.msgRouter.register(handler);
    for (const handler of triggersMsgHandlers(this.triggers)) this.msgRouter.register(handler);
    for (const handler of stakingMsgHandlers(this.staking)) this.msgRouter.register(handler);
    for (const handler of distributionMsgHandlers(this.distribution)) this.msgRouter.register(handler);
    for (const handler of slashingMsgHandlers(this.slashing)) this.msgRouter.register(handler);
    for (const handler of jobsMsgHandlers(this.jobs)) this.msgRouter.register(handler);
    registerAuthQueries(this.queryRouter, this.auth);
    registerBankQueries(this.queryRouter, this.bank);
    registerStateQueries(this.queryRouter, this.stateKeeper, () => this.committed.height);
    registerTriggersQueries(this.queryRouter, this.triggers);
    registerStakingQueries(this.queryRouter, this.staking);
    registerDistributionQueries(this.queryRouter, this.distribution, this.staking);
    registerMintQueries(
      this.queryRouter,
      this.distribution,
      (state) => this.staking.params(state).bondDenom,
      (state, denom) => this.bank.getSupply(state, denom),
    );
    registerSlashingQueries(this.queryRouter, this.slashing);
    registerJobsQueries(this.queryRouter, this.jobs);
    this.services = {
      auth: this.auth,
      bank: this.bank,
      feeCollector: this.feeCollector,
      signatureCache: this.signatureCache,
      router: this.msgRouter,
      checkedTxs: this.checkedTxs,
    };
    this.chainId = committed.getMeta(CHAIN_ID_META) ?? '';
    this.lastBlockTimeSeconds = BigInt(committed.getMeta(LAST_BLOCK_TIME_META) ?? '0');
    this.checkState = new Overlay(committed);
    this.checkParams = committed.height > 0n ? readChainParams(committed) : undefined;
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
    this.chainId = request.chainId;
    const state = new Overlay(this.committed);
    const appState = JSON.parse(Buffer.from(request.appStateBytes).toString('utf8') || '{}') as AppState;
    if (!appState.auth || !appState.bank) throw ainError(ErrInvalidRequest, 'genesis app_state needs "auth" and "bank" sections');
    initAuthGenesis(state, this.auth, appState.auth);
    this.auth.hasAccount(state, this.feeCollector) || this.auth.createAccount(state, this.feeCollector);
    initBankGenesis(state, this.bank, this.auth, appState.bank);
    initStateGenesis(state, this.stateKeeper, appState.state);
    initTriggersGenesis(state, this.triggers, appState.triggers);
    initDistributionGenesis(state, appState.distribution);
    initSlashingGenesis(state, appState.slashing);
    // The genesis validator set, when app_state.staking has validators (else CometBFT keeps genesis.json's).
    const genesisCtx = {
      state,
      events: new EventCollector(),
      height: request.initialHeight,
      blockTimeSeconds: request.time?.seconds ?? 0n,
    };
    const validators = initStakingGenesis(genesisCtx, this.staking, this.bank, appState.staking);
    initJobsGenesis(state, appState.jobs);
    this.pending = {
      state,
      height: request.initialHeight,
      timeSeconds: request.time?.seconds ?? 0n,
      finalized: false,
      prepared: undefined,
    };
    const prepared = this.committed.prepare(state.writes());
    return ResponseInitChain.fromPartial({ appHash: prepared.appHash, validators });
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
    const env: BlockEnv = {
      chainId: this.chainId,
      height: request.height,
      blockTimeSeconds: request.time?.seconds ?? 0n,
      params: readChainParams(block.state),
    };
    const txResults = request.txs.map((tx) => toExecTxResult(runTx(this.services, block.state, tx, 'deliver', env)));
    // End of block, after the txs: expire pending off-chain calls (refunds). A failure here is a broken invariant.
    const blockEvents = new EventCollector();
    this.triggers.endBlock({
      state: block.state,
      gas: new GasMeter(0),
      events: blockEvents,
      height: request.height,
      blockTimeSeconds: env.blockTimeSeconds,
    });
    // Then move job requests past their deadlines (refunds, reveals, rankings, auto-accepts, escalations).
    this.jobs.endBlock({
      state: block.state,
      gas: new GasMeter(0),
      events: blockEvents,
      height: request.height,
      blockTimeSeconds: env.blockTimeSeconds,
    });
    // Proof of stake, last: rewards for the last commit's validators, liveness and evidence, then the active set.
    const stakingCtx = { state: block.state, events: blockEvents, height: request.height, blockTimeSeconds: env.blockTimeSeconds };
    const votes = request.decidedLastCommit?.votes ?? [];
    this.distribution.allocateRewards(stakingCtx, votes);
    this.slashing.processBlock(stakingCtx, votes, request.misbehavior);
    const validatorUpdates = this.staking.endBlock(stakingCtx);
    block.prepared = this.committed.prepare(block.state.writes());
    block.finalized = true;
    return ResponseFinalizeBlock.fromPartial({
      txResults,
      events: toAbciEvents(blockEvents.events),
      validatorUpdates,
      appHash: block.prepared.appHash,
    });
  }

  commit(): ResponseCommit {
    const block = this.pending;
    if (!block?.finalized || !block.prepared) throw new Error('Commit without a finalized block');
    const meta = new Map([
      [CHAIN_ID_META, this.chainId],
      [LAST_BLOCK_TIME_META, block.timeSeconds.toString()],
    ]);
    this.committed.commit(block.prepared, block.height, meta);
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
      let value =
        request.path === '/cosmos.tx.v1beta1.Service/Simulate'
          ? this.simulate(request.data, state, height)
          : this.queryRouter.handle(request.path, state, request.data);
      let proofOps: ResponseQuery['proofOps'];
      if (request.path === STATE_GET_QUERY) {
        const get = QueryGetRequest.decode(request.data);
        if (request.prove || get.prove) {
          const proof = encodeProof(this.committed.proveAt(get.path, height));
          proofOps = { ops: [{ type: PROOF_OP_TYPE, key: Buffer.from(get.path, 'utf8'), data: proof }] };
          // The proof is of the leaf stored at the path (its absence when the path holds an object).
          value = QueryGetResponse.encode({ ...QueryGetResponse.decode(value), proof, height }).finish();
        }
      }
      return ResponseQuery.fromPartial({ code: 0, value, height, ...(proofOps && { proofOps }) });
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
    const request = SimulateRequest.decode(data);
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

function toExecTxResult(outcome: TxOutcome) {
  return {
    code: outcome.code,
    codespace: outcome.codespace,
    log: outcome.log,
    info: '',
    data: outcome.data,
    gasWanted: outcome.gasWanted,
    gasUsed: outcome.gasUsed,
    events: toAbciEvents(outcome.events),
  };
}
