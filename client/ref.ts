/**
 * `StateRef`: one path of the state tree, with the reads and writes a dApp does there.
 */
import type { DeliverTxResponse } from '@cosmjs/stargate';
import { ainError, ErrInvalidRequest } from '../core/index.ts';
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { type Delta, type FunctionConfig, type JsonValue, type OwnerConfig, type RuleConfig, stateMsg, toJsonText } from './messages.ts';
import {
  type EvalRuleResult,
  type GetOptions,
  type HeightOption,
  type MatchRuleResult,
  queryEvalRule,
  queryGet,
  queryMatchRule,
  queryProof,
  type StateProofAnswer,
  type StateSnapshot,
} from './queryState.ts';
import type { StdFee } from '@cosmjs/amino';
import type { EventListener } from './onEvent.ts';
import { type OnValueOptions, watchValue } from './onValue.ts';

/** How to pay for and annotate a transaction. */
export interface TxOptions {
  /**
   * `'auto'` (default): simulate, multiply the gas by the client's gas adjustment (1.4) and price it
   * at the client's gas price; a number: the same with that multiplier; or an explicit fee.
   */
  readonly fee?: StdFee | 'auto' | number | undefined;
  readonly memo?: string | undefined;
}

/** Options of a rule dry run. */
export interface EvalRuleOptions extends HeightOption {
  /** The function id making the write (`auth.fid`), when a function writes. */
  readonly fid?: string | undefined;
}

/**
 * A path of the state tree. Reads need no signer; writes are signed by the client's address and
 * resolve once the tx is in a block (a refusal throws `TxError` with the chain's code and log).
 * @example
 * const post = client.ref(`/apps/chat/posts/${client.address}/1`);
 * await post.setValue({ text: 'hello' });
 * (await post.get()).value; // { text: 'hello' }
 */
export interface StateRef {
  readonly path: string;
  /** The ref at `subpath` below this one: `ref('/apps/a').child('x/y')` is `/apps/a/x/y`. */
  child(subpath: string): StateRef;
  /** The value (JSON; null when absent), deep by default (`depth: 1` = shallow), at the latest or a given height. */
  get(options?: GetOptions): Promise<StateSnapshot>;
  getRule(options?: GetOptions): Promise<StateSnapshot>;
  getOwner(options?: GetOptions): Promise<StateSnapshot>;
  getFunction(options?: GetOptions): Promise<StateSnapshot>;
  /** Writes a value (replacing the subtree here), if the rule that applies allows the signer. */
  setValue(value: JsonValue, options?: TxOptions): Promise<DeliverTxResponse>;
  /** Adds an integer to the number here (absent counts as 0). */
  incValue(delta: Delta, options?: TxOptions): Promise<DeliverTxResponse>;
  /** Subtracts an integer from the number here (absent counts as 0). */
  decValue(delta: Delta, options?: TxOptions): Promise<DeliverTxResponse>;
  /** Removes the value here and its subtree. */
  deleteValue(options?: TxOptions): Promise<DeliverTxResponse>;
  /** Sets (or with null, removes) the rule config here; the path may have `$var` labels. Needs `write_rule` from the owner config. */
  setRule(rule: RuleConfig | null, options?: TxOptions): Promise<DeliverTxResponse>;
  /** Sets (or with null, removes) the owner config here. Needs `write_owner` (or `branch_owner` for a new branch). */
  setOwner(owner: OwnerConfig | null, options?: TxOptions): Promise<DeliverTxResponse>;
  /** Sets (or with null, removes) the function config here. Needs `write_function`. */
  setFunction(config: FunctionConfig | null, options?: TxOptions): Promise<DeliverTxResponse>;
  /** The value (a leaf, or null when absent) with a Merkle proof; `verify()` checks it against the next block's app hash. */
  prove(options?: HeightOption): Promise<StateProofAnswer>;
  /** Dry run: would `address` be allowed to write `value` here, and if not, which rule refuses and why. */
  evalRule(value: JsonValue, address: string, options?: EvalRuleOptions): Promise<EvalRuleResult>;
  /** Which rule applies here and how its `$vars` bind. */
  matchRule(options?: HeightOption): Promise<MatchRuleResult>;
  /**
   * Listens to the value here: `callback` gets it now, then after every block in which a write touched
   * it (here, above or below), read at that height, in order and once per block, across lost
   * connections (the blocks missed are caught up). `stop()` the listener when done.
   * @example
   * const listener = client.ref('/apps/chat/posts').on('value', (s) => console.log(s.height, s.value));
   */
  on(event: 'value', callback: (snapshot: StateSnapshot) => void, options?: OnValueOptions): EventListener;
}

/** What a ref needs from its client. */
export interface RefContext {
  readonly comet: CometClient;
  /** CometBFT RPC (`http://host:port`), whose `/websocket` listeners subscribe to. */
  readonly rpcUrl: string;
  /** The signing address; throws when the client has no signer. */
  signerAddress(): string;
  signAndBroadcast(messages: readonly EncodeObject[], options?: TxOptions): Promise<DeliverTxResponse>;
}

/** Joins a base path and a relative one with exactly one `/`. */
export function joinRefPath(base: string, subpath: string): string {
  const head = base.replace(/\/+$/, '');
  const tail = subpath.replace(/^\/+/, '');
  return tail === '' ? base : `${head}/${tail}`;
}

/** A {@link StateRef} on `path` for a client. */
export function stateRef(ctx: RefContext, path: string): StateRef {
  const send = (build: (signer: string) => EncodeObject, options?: TxOptions) =>
    ctx.signAndBroadcast([build(ctx.signerAddress())], options);
  const read = (kind: 'value' | 'rule' | 'owner' | 'function', options: GetOptions = {}) => queryGet(ctx.comet, { ...options, path, kind });
  return {
    path,
    child: (subpath) => stateRef(ctx, joinRefPath(path, subpath)),
    get: (options) => read('value', options),
    getRule: (options) => read('rule', options),
    getOwner: (options) => read('owner', options),
    getFunction: (options) => read('function', options),
    setValue: (value, options) => send((signer) => stateMsg.setValue(signer, path, toJsonText(value)), options),
    incValue: (delta, options) => send((signer) => stateMsg.incValue(signer, path, delta), options),
    decValue: (delta, options) => send((signer) => stateMsg.decValue(signer, path, delta), options),
    deleteValue: (options) => send((signer) => stateMsg.deleteValue(signer, path), options),
    setRule: (rule, options) => send((signer) => stateMsg.setRule(signer, path, toJsonText(rule, 'rule')), options),
    setOwner: (owner, options) => send((signer) => stateMsg.setOwner(signer, path, toJsonText(owner, 'owner')), options),
    setFunction: (config, options) => send((signer) => stateMsg.setFunction(signer, path, toJsonText(config, 'function')), options),
    prove: (options = {}) => queryProof(ctx.comet, { ...options, path }),
    evalRule: (value, address, options = {}) => queryEvalRule(ctx.comet, { ...options, path, valueJson: toJsonText(value), address }),
    matchRule: (options = {}) => queryMatchRule(ctx.comet, { ...options, path }),
    on: (event, callback, options) => {
      if (event !== 'value') throw ainError(ErrInvalidRequest, `event "${String(event)}" is not one a ref emits; use 'value'`);
      return watchValue(ctx, path, callback, options);
    },
  };
}
