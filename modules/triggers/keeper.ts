import {
  AinError,
  ainError,
  ErrLogic,
  EventCollector,
  moduleAddress,
  parseAddress,
  BASE_DENOM,
  canonicalJson,
  type JsonValue,
  paginateList,
} from '../../core/index.ts';
import { Overlay } from '../../tree/index.ts';
import type { ReadableState, CoinContext, Page, PageRequest } from '../../core/index.ts';
import { FUNCTIONS_ROOT, labelsOf, readStoredConfig, VARIABLE_LABEL } from '../state/index.ts';
import type { StateContext, StateHooks, Writer, OffchainFunction } from '../state/index.ts';
import type { Call } from '../../proto/gen/ain/triggers/v1/query.ts';
import { type Executor, executorRecord, MAX_EXECUTORS_LISTED, parseExecutor, whyNobodyServes } from './executors.ts';
import type { MsgRegisterExecutor, MsgSubmitResult, MsgSubmitResults } from '../../proto/gen/ain/triggers/v1/tx.ts';
import {
  ErrCallNotFound,
  ErrCallNotPending,
  ErrDeadlinePassed,
  ErrExecutorNotAllowed,
  ErrExecutorNotRegistered,
  ErrNativeFunctionFailed,
  ErrNoExecutor,
  ErrTooManyCalls,
  TRIGGERS,
} from './errors.ts';
import {
  callExpiredEvent,
  executorRegisteredEvent,
  functionCalledEvent,
  nativeFunctionRunEvent,
  resultRefusedEvent,
  resultSkippedEvent,
  resultSubmittedEvent,
} from './events.ts';
import type { BankKeeper, StateWriter, TriggersHooks } from './expected_keepers.ts';
import { MAX_ERROR_LENGTH } from './msgs.ts';
import {
  CALLS_ROOT,
  callPath,
  EXECUTORS_ROOT,
  executorPath,
  NEXT_CALL_ID_PATH,
  PENDING_ROOT,
  parsePendingPath,
  pendingPath,
} from './keys.ts';
import { type FunctionMatch, matchFunction, substituteVars } from './match.ts';

export const TRIGGERS_MODULE = 'triggers';
/** Most off-chain calls one tx may fire. */
export const MAX_CALLS_PER_TX = 8;
/** Most pending calls expired at the end of one block; the rest wait for the next. */
export const MAX_EXPIRED_PER_BLOCK = 1000;
/** Most calls / executors one query lists. */
export const MAX_CALLS_LISTED = 100;
/** Most pending-index entries a Calls query reads to find its page. */
export const MAX_CALLS_SCANNED = 10_000;

/** A call record as stored (canonical JSON text at `/triggers/calls/<id>`). */
export interface StoredCall {
  id: string;
  function_path: string;
  function_id: string;
  trigger_path: string;
  value: string;
  caller: string;
  price: string;
  height: string;
  deadline_height: string;
  output_path: string;
  executors: 'any' | string[];
  network: boolean;
  runtime: string;
  code_hash: string;
  status: 'pending' | 'done' | 'failed' | 'expired';
  executor?: string;
  error?: string;
}

const uain = (amount: bigint) => [{ denom: BASE_DENOM, amount }];

/**
 * The only code touching `/triggers`: off-chain calls, their escrow, executors; and the state
 * module's value-write hook that runs native functions and fires off-chain ones.
 */
export class TriggersKeeper implements StateHooks {
  /** The module account holding escrowed prices. */
  readonly moduleAddress = moduleAddress(TRIGGERS_MODULE);
  /** Off-chain calls fired so far per tx, keyed by the tx's gas meter (one per tx in runTx). */
  private readonly callsPerTx = new WeakMap<object, number>();
  private hooks: readonly TriggersHooks[] = [];

  constructor(
    private readonly bank: BankKeeper,
    private readonly values: StateWriter,
    /** Module accounts a native transfer may not pay (they would skew escrow and fee accounting). */
    private readonly blockedAddresses: ReadonlySet<string>,
  ) {}

  /** Adds another module's hooks (compute's measurement); called in the order added. */
  addHooks(hooks: TriggersHooks): void {
    this.hooks = [...this.hooks, hooks];
  }

  /**
   * The state hook: after a user's value write passed its rules, the function matching the path
   * (if any) runs (NATIVE) or is called (OFFCHAIN). Deletes and writes by a function (`fid` set:
   * results of calls) fire nothing, so results never chain or spend escrow.
   */
  onValueWritten(ctx: StateContext, path: string, value: JsonValue, writer: Writer): void {
    if (value === null || writer.fid !== null) return;
    const match = matchFunction(ctx.state, labelsOf(path));
    if (!match) return;
    if (match.config.function_type === 'NATIVE') this.runTransfer(ctx, path, value, writer, match);
    else this.fireOffchain(ctx, path, value, writer, match, match.config);
  }

  /** `_transfer`: `$from` (the writer) pays `$to` the written amount of uain. */
  private runTransfer(ctx: StateContext, path: string, value: JsonValue, writer: Writer, match: FunctionMatch): void {
    const from = match.vars['$from']!;
    const to = match.vars['$to']!;
    const fail = (detail: string): never => {
      throw ainError(ErrNativeFunctionFailed, `_transfer at ${path}: ${detail}`, { path, function: match.pattern });
    };
    if (writer.addr !== from) fail(`the writer ${writer.addr} is not $from ${from}`);
    let amount = 0n;
    if (typeof value === 'number' && Number.isSafeInteger(value)) amount = BigInt(value);
    else if (typeof value === 'string' && /^[0-9]{1,30}$/.test(value)) amount = BigInt(value);
    else fail(`the value ${JSON.stringify(value)} is not an integer amount of uain`);
    if (amount <= 0n) fail(`the amount ${amount} is not positive`);
    try {
      parseAddress(to, '$to');
    } catch {
      fail(`$to ${to} is not an address`);
    }
    if (this.blockedAddresses.has(to)) fail(`$to ${to} is a module account`);
    this.bank.sendCoins(ctx as CoinContext, from, to, uain(amount));
    ctx.events.emit(nativeFunctionRunEvent({ functionId: '_transfer', triggerPath: path, functionPath: match.pattern, caller: from }));
  }

  /** Records a pending call, escrows its price from the writer and emits EventFunctionCalled. */
  private fireOffchain(
    ctx: StateContext,
    path: string,
    value: JsonValue,
    writer: Writer,
    match: FunctionMatch,
    fn: OffchainFunction,
  ): void {
    const fired = (this.callsPerTx.get(ctx.gas) ?? 0) + 1;
    if (fired > MAX_CALLS_PER_TX)
      throw ainError(ErrTooManyCalls, `the write at ${path} would be off-chain call ${fired} of this tx; at most ${MAX_CALLS_PER_TX}`, {
        path,
      });
    this.callsPerTx.set(ctx.gas, fired);
    const nobody = whyNobodyServes(ctx.state, fn);
    if (nobody !== undefined)
      throw ainError(
        ErrNoExecutor,
        `the write at ${path} calls ${fn.function_id} (runtime ${fn.runtime}${fn.requires?.length ? `, requires ${fn.requires.join(' ')}` : ''}${fn.resources.gpus > 0 ? `, ${fn.resources.gpus} GPU` : ''}), which no registered executor can run: ${nobody}`,
        { path, function: match.pattern },
      );
    const next = ctx.state.get(NEXT_CALL_ID_PATH);
    const id = typeof next === 'string' ? BigInt(next) : 1n;
    ctx.state.set(NEXT_CALL_ID_PATH, (id + 1n).toString());
    const price = BigInt(fn.price);
    const deadline = ctx.height + BigInt(fn.timeout_blocks);
    const call: StoredCall = {
      id: id.toString(),
      function_path: match.pattern,
      function_id: fn.function_id,
      trigger_path: path,
      value: JSON.stringify(value),
      caller: writer.addr,
      price: fn.price,
      height: ctx.height.toString(),
      deadline_height: deadline.toString(),
      output_path: substituteVars(fn.output_path, match.vars),
      executors: fn.executors === 'any' ? 'any' : [...fn.executors],
      network: fn.network === true,
      runtime: fn.runtime,
      code_hash: fn.code_hash,
      status: 'pending',
    };
    if (price > 0n) this.bank.sendCoins(ctx as CoinContext, writer.addr, this.moduleAddress, uain(price));
    this.putCall(ctx, call);
    ctx.state.set(pendingPath(deadline, id), true);
    ctx.events.emit(
      functionCalledEvent({
        callId: id,
        functionId: fn.function_id,
        triggerPath: path,
        functionPath: match.pattern,
        caller: writer.addr,
        price: fn.price,
        deadlineHeight: deadline,
        runtime: fn.runtime,
        codeHash: fn.code_hash,
      }),
    );
  }

  /** MsgRegisterExecutor: records (or replaces) the signer's capabilities. */
  registerExecutor(ctx: StateContext, msg: MsgRegisterExecutor): void {
    ctx.state.set(executorPath(msg.signer), executorRecord(msg));
    ctx.events.emit(executorRegisteredEvent(msg.signer, msg.runtimes));
  }

  /**
   * MsgSubmitResult: the one result of a pending call, from a registered executor the function allows,
   * at or before the deadline. Success writes `output` at the output path as the function (rules see
   * `auth.fid` = its id, `auth.addr` = the module account) and pays the executor the escrowed price;
   * `failed` refunds the caller.
   * @throws AinError triggers/4-8, or the output write's error (state/1-6: the result is refused)
   */
  submitResult(ctx: StateContext, msg: MsgSubmitResult): void {
    this.requireExecutor(ctx.state, msg.signer);
    const call = this.answerableCall(ctx, msg.signer, msg.callId);
    this.settle(ctx, call, msg.signer, msg);
  }

  /**
   * MsgSubmitResults: each result on its own. A call that cannot take this signer's answer (not
   * found, answered, past its deadline, executor not listed) is skipped with EventResultSkipped; an
   * output the chain refuses to write records the call failed, refunds the caller and emits
   * EventResultRefused. Only a signer that is not a registered executor fails the whole message.
   * @returns the call ids answered and skipped, in message order
   */
  submitResults(ctx: StateContext, msg: MsgSubmitResults): { accepted: bigint[]; skipped: bigint[] } {
    this.requireExecutor(ctx.state, msg.signer);
    const accepted: bigint[] = [];
    const skipped: bigint[] = [];
    for (const result of msg.results) {
      let call: StoredCall;
      try {
        call = this.answerableCall(ctx, msg.signer, result.callId);
      } catch (error) {
        if (!(error instanceof AinError) || error.codespace !== TRIGGERS) throw error;
        ctx.events.emit(resultSkippedEvent(result.callId, msg.signer, error.message));
        skipped.push(result.callId);
        continue;
      }
      // Each result writes into its own branch so a refused output leaves nothing half-written.
      const branch = new Overlay(ctx.state);
      const events = new EventCollector();
      try {
        this.settle({ ...ctx, state: branch, events }, call, msg.signer, result);
      } catch (error) {
        if (!(error instanceof AinError)) throw error;
        branch.discard();
        events.events.length = 0;
        const reason = `output refused: ${error.message}`.slice(0, MAX_ERROR_LENGTH);
        this.settle({ ...ctx, state: branch, events }, call, msg.signer, { failed: true, output: '', error: reason });
        events.emit(resultRefusedEvent(result.callId, msg.signer, reason));
      }
      for (const [path, write] of branch.writes()) ctx.state.set(path, write);
      ctx.events.append(events.events);
      accepted.push(result.callId);
    }
    return { accepted, skipped };
  }

  private requireExecutor(state: ReadableState, address: string): void {
    if (state.get(executorPath(address)) === undefined)
      throw ainError(ErrExecutorNotRegistered, `${address} is not a registered executor`, { executor: address });
  }

  /** The pending call `callId` if `executor` may answer it now. @throws AinError triggers/4, 5, 6, 8 */
  private answerableCall(ctx: StateContext, executor: string, callId: bigint): StoredCall {
    const call = this.requireCall(ctx.state, callId);
    if (call.status !== 'pending')
      throw ainError(ErrCallNotPending, `call ${callId} is ${call.status}; only its first result counts`, {
        callId: callId.toString(),
        status: call.status,
      });
    const deadline = BigInt(call.deadline_height);
    if (ctx.height > deadline)
      throw ainError(ErrDeadlinePassed, `call ${callId} had its deadline at height ${deadline}; this is ${ctx.height}`, {
        callId: callId.toString(),
      });
    if (call.executors !== 'any' && !call.executors.includes(executor))
      throw ainError(ErrExecutorNotAllowed, `${executor} is not among the executors of ${call.function_path}`, { executor });
    return call;
  }

  /** Records the answer: output written and executor paid, or (failed) the caller refunded. */
  private settle(ctx: StateContext, call: StoredCall, executor: string, result: { output: string; failed: boolean; error: string }): void {
    const id = BigInt(call.id);
    const price = BigInt(call.price);
    const done: StoredCall = { ...call, executor };
    if (result.failed) {
      if (price > 0n) this.bank.sendCoins(ctx as CoinContext, this.moduleAddress, call.caller, uain(price));
      done.status = 'failed';
      done.error = result.error;
    } else {
      this.values.setValue(ctx, { addr: this.moduleAddress, fid: call.function_id }, call.output_path, result.output);
      if (price > 0n) this.bank.sendCoins(ctx as CoinContext, this.moduleAddress, executor, uain(price));
      done.status = 'done';
    }
    this.putCall(ctx, done);
    ctx.state.set(pendingPath(BigInt(call.deadline_height), id), null);
    ctx.events.emit(resultSubmittedEvent(id, executor, result.failed));
    if (!result.failed) {
      const settled = {
        id,
        executor,
        functionPath: call.function_path,
        functionId: call.function_id,
        resources: () => declaredResources(ctx.state, call),
      };
      for (const hooks of this.hooks) hooks.afterCallDone?.(ctx, settled);
    }
  }

  /**
   * End of block: refunds pending calls whose deadline is below the block's height, oldest deadline
   * first, at most {@link MAX_EXPIRED_PER_BLOCK} (the rest in the next block).
   */
  endBlock(ctx: StateContext): void {
    for (const [path] of ctx.state.list(PENDING_ROOT, MAX_EXPIRED_PER_BLOCK)) {
      const { deadline, id } = parsePendingPath(path);
      if (deadline >= ctx.height) break;
      const call = this.getStoredCall(ctx.state, id);
      if (call?.status !== 'pending') throw ainError(ErrLogic, `pending index ${path} names no pending call`);
      const price = BigInt(call.price);
      if (price > 0n) this.bank.sendCoins(ctx as CoinContext, this.moduleAddress, call.caller, uain(price));
      call.status = 'expired';
      this.putCall(ctx, call);
      ctx.state.set(path, null);
      ctx.events.emit(callExpiredEvent(id, call.caller, call.price));
    }
  }

  /** uain the triggers account holds (genesis checks it against the pending calls it imports). */
  escrowBalance(state: ReadableState): bigint {
    return this.bank.getBalance(state, this.moduleAddress, BASE_DENOM);
  }

  /** A call by id, or undefined. */
  getCall(state: ReadableState, id: bigint): Call | undefined {
    const call = this.getStoredCall(state, id);
    return call && toCall(call);
  }

  /** One page of the pending calls, earliest deadline first (key `<deadline>/<id>`; queries). */
  pendingCallsPage(state: ReadableState, page: PageRequest | undefined): Page<Call> {
    const listed = paginateList(state, PENDING_ROOT, page, { scan: MAX_CALLS_SCANNED, depth: 2, maxLimit: MAX_CALLS_LISTED });
    return {
      items: listed.items.map((item) => toCall(this.getStoredCall(state, parsePendingPath(item.leaves[0]![0]).id)!)),
      pagination: listed.pagination,
    };
  }

  /** One page of the registered executors in address order (queries). */
  executorsPage(state: ReadableState, page: PageRequest | undefined): Page<Executor> {
    const listed = paginateList(state, EXECUTORS_ROOT, page, { scan: MAX_EXECUTORS_LISTED, maxLimit: MAX_EXECUTORS_LISTED });
    return { items: listed.items.map((item) => parseExecutor(item.leaves[0]![1] as string)), pagination: listed.pagination };
  }

  private requireCall(state: ReadableState, id: bigint): StoredCall {
    const call = this.getStoredCall(state, id);
    if (!call) throw ainError(ErrCallNotFound, `no call ${id} at ${CALLS_ROOT}`, { callId: id.toString() });
    return call;
  }

  private getStoredCall(state: ReadableState, id: bigint): StoredCall | undefined {
    const text = state.get(callPath(id));
    return typeof text === 'string' ? (JSON.parse(text) as StoredCall) : undefined;
  }

  private putCall(ctx: StateContext, call: StoredCall): void {
    ctx.state.set(callPath(BigInt(call.id)), canonicalJson(call as unknown as JsonValue));
  }
}

function toCall(call: StoredCall): Call {
  return {
    id: BigInt(call.id),
    functionPath: call.function_path,
    functionId: call.function_id,
    triggerPath: call.trigger_path,
    value: call.value,
    caller: call.caller,
    price: call.price,
    deadlineHeight: BigInt(call.deadline_height),
    outputPath: call.output_path,
    executors: call.executors === 'any' ? [] : call.executors,
    status: call.status,
    runtime: call.runtime,
    codeHash: call.code_hash,
    executor: call.executor ?? '',
    error: call.error ?? '',
    height: BigInt(call.height),
    network: call.network,
  };
}

/** The resources a call's function declares now: its config at the `/functions` leaf of its pattern. */
function declaredResources(state: ReadableState, call: StoredCall): { cpu: number; memory_mb: number; gpus: number } | undefined {
  const node = `${FUNCTIONS_ROOT}/${labelsOf(call.function_path)
    .map((label) => (label.startsWith('$') ? VARIABLE_LABEL : label))
    .join('/')}`;
  const leaf = state.get(node);
  if (leaf === undefined) return undefined;
  const config = readStoredConfig(leaf, node).config as Partial<OffchainFunction>;
  if (config.function_type !== 'OFFCHAIN' || config.function_id !== call.function_id || !config.resources) return undefined;
  return config.resources;
}
