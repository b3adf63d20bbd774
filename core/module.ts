/**
 * The module contract. Every module exports one `ModuleDefinition`; `app/` builds the application
 * from the list of them (`app/modules.ts`): it creates each module once (dependencies first), routes
 * its messages and queries, serves its REST routes, runs its genesis and its end-of-block hook in the
 * declared order. Adding a module is adding its folder and one line to that list.
 */
import type { Misbehavior, ValidatorUpdate, VoteInfo } from 'cosmjs-types/tendermint/abci/types';
import type { BlockContext, GenesisContext } from './context.ts';
import type { JsonValue } from './json.ts';
import type { MsgHandler, MsgRouter } from './msgRouter.ts';
import type { JsonCodec } from './protoJson.ts';
import type { QueryRoute } from './queryRouter.ts';
import type { RestRoute } from './rest.ts';
import type { ReadableState } from './state.ts';

/** What the end of a block hands a hook besides the block's context: the header's commit and evidence. */
export interface BlockInfo {
  /** Votes of the last commit (`decided_last_commit`): who signed the previous block, with their power. */
  readonly votes: readonly VoteInfo[];
  /** Evidence of misbehaviour (double signs) in this block. */
  readonly misbehavior: readonly Misbehavior[];
  /** The chain's id (messages a hook runs on the chain's behalf, such as a passed proposal's, may read it). */
  readonly chainId: string;
}

/** A hook run once per block after its transactions, in ascending `order` (ties: module name). */
export interface BlockHook {
  readonly order: number;
  /** May return validator updates for CometBFT (applied at height + 2); at most one module does. */
  run(ctx: BlockContext, block: BlockInfo): readonly ValidatorUpdate[] | undefined;
}

/**
 * A module's part of genesis.json (`app_state.<name>`). `init` runs inside InitChain on an unmetered
 * context; `export` writes the module's whole state back as a section `init` reproduces exactly, so a
 * chain started from an exported genesis has the same app hash.
 */
export interface ModuleGenesis<G> {
  /** The section a new genesis.json starts with. */
  defaultGenesis(): G;
  /** Stateless checks of a section (field-level errors); `init` runs them too. */
  validate(genesis: G): void;
  /** Writes the section into the state; may return the genesis validator set (staking). */
  init(ctx: GenesisContext, genesis: G | undefined): readonly ValidatorUpdate[] | undefined;
  /** The module's state as a genesis section. */
  exportGenesis(state: ReadableState): G;
}

/** A module once created: the parts the app wires. */
export interface ModuleDescriptor<K = unknown, G = unknown> {
  readonly name: string;
  /** The keeper: the only code that touches the module's subtrees; other modules use it through their expected keepers. */
  readonly keeper: K;
  /** The state subtrees the module owns (`/accounts/<addr>/balance` is bank's, `/apps` the state module's). */
  readonly subtrees: readonly string[];
  /** Names of the module accounts it holds coins in (their addresses are refused as MsgSend recipients). */
  readonly moduleAccounts: readonly string[];
  readonly msgHandlers: readonly MsgHandler<unknown>[];
  readonly queries: readonly QueryRoute[];
  readonly restRoutes: readonly RestRoute[];
  /** Codecs of the module's messages (and responses) by type URL, so REST prints them inside a tx as JSON. */
  readonly jsonTypes: ReadonlyArray<readonly [string, JsonCodec<unknown>]>;
  readonly genesis: ModuleGenesis<G>;
  /** The module's params as genesis JSON (what governance would change). */
  readonly params: ((state: ReadableState) => JsonValue) | undefined;
  readonly endBlock: BlockHook | undefined;
}

/** What a module can get from the app while it is created. */
export interface ModuleRegistry {
  /** The keeper of a module created before this one (named in `requires`). */
  keeper<T>(module: string): T;
  /**
   * Addresses of every module account of the app. Filled once all modules are created: read it while
   * running (in a handler or hook), not while creating.
   */
  readonly moduleAccountAddresses: ReadonlySet<string>;
  /** The names of those module accounts (`fee_collector`, `gov`, ...), filled at the same time. */
  readonly moduleAccountNames: ReadonlySet<string>;
  /**
   * The app's message router, with every module's handlers once all are created: read it while
   * running (gov runs passed proposals' messages through it, authz its MsgExec's), not while creating.
   */
  readonly msgRouter: Pick<MsgRouter, 'route' | 'typeUrls'>;
}

/** A module as the app's module list names it. */
export interface ModuleDefinition<K = unknown, G = unknown> {
  readonly name: string;
  /** Modules whose keepers `create` asks for. */
  readonly requires: readonly string[];
  create(registry: ModuleRegistry): ModuleDescriptor<K, G>;
}

/** Fills the optional parts of a descriptor with their empty values. */
export function defineModule<K, G>(
  descriptor: Pick<ModuleDescriptor<K, G>, 'name' | 'keeper' | 'subtrees' | 'genesis'> & Partial<ModuleDescriptor<K, G>>,
): ModuleDescriptor<K, G> {
  return {
    moduleAccounts: [],
    msgHandlers: [],
    queries: [],
    restRoutes: [],
    jsonTypes: [],
    params: undefined,
    endBlock: undefined,
    ...descriptor,
  };
}
