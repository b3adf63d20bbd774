/**
 * Builds the application's module set from the module definitions: creates each module once (after
 * the modules it requires), routes their messages and queries, collects their REST routes and JSON
 * types, and runs their genesis (in list order) and end-of-block hooks (in declared order).
 */
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import {
  moduleAddress,
  AinError,
  ainError,
  ErrInvalidRequest,
  MsgRouter,
  type AnyTypes,
  defaultAnyTypes,
  type JsonCodec,
  QueryRouter,
} from '../core/index.ts';
import type {
  BlockContext,
  BlockHook,
  BlockInfo,
  GenesisContext,
  ModuleDefinition,
  ModuleDescriptor,
  RestRoute,
  ReadableState,
} from '../core/index.ts';
import { registerLegacyParamsQueries } from './legacyParams.ts';

/** `app_state` as the modules see it: one section per module name. */
export type AppStateJson = Record<string, unknown>;

export class ModuleManager {
  /** The modules in genesis order (the order of the definitions). */
  readonly modules: readonly ModuleDescriptor[];
  readonly msgRouter = new MsgRouter();
  readonly queryRouter = new QueryRouter();
  /** Addresses of every module's module accounts (MsgSend may not pay them). */
  readonly moduleAccountAddresses: ReadonlySet<string>;
  /** Every module's REST routes, in module order. */
  readonly restRoutes: readonly RestRoute[];
  /** The `Any` types REST prints unpacked: the defaults and every module's. */
  readonly anyTypes: AnyTypes;
  private readonly endBlockHooks: ReadonlyArray<readonly [string, BlockHook]>;

  constructor(definitions: readonly ModuleDefinition[]) {
    const created = new Map<string, ModuleDescriptor>();
    const accounts = new Set<string>();
    const accountNames = new Set<string>();
    const registry = {
      keeper<T>(name: string): T {
        const module = created.get(name);
        if (!module) throw new Error(`module ${name} is asked for before it is created; list it in requires`);
        return module.keeper as T;
      },
      moduleAccountAddresses: accounts,
      moduleAccountNames: accountNames,
      msgRouter: this.msgRouter,
    };
    for (const definition of creationOrder(definitions)) created.set(definition.name, definition.create(registry));
    this.modules = definitions.map((definition) => created.get(definition.name)!);
    for (const module of this.modules) {
      for (const name of module.moduleAccounts) {
        accounts.add(moduleAddress(name));
        accountNames.add(name);
      }
    }
    this.moduleAccountAddresses = accounts;
    for (const module of this.modules) {
      for (const handler of module.msgHandlers) this.msgRouter.register(handler);
      for (const query of module.queries) this.queryRouter.register(query.path, query.handler);
    }
    // Every module's params under the SDK's legacy x/params paths (explorers' parameters pages).
    registerLegacyParamsQueries(this.queryRouter, this.modules);
    this.restRoutes = this.modules.flatMap((module) => module.restRoutes);
    this.anyTypes = new Map<string, JsonCodec<unknown>>([...defaultAnyTypes, ...this.modules.flatMap((module) => module.jsonTypes)]);
    this.endBlockHooks = this.modules
      .flatMap((module): Array<readonly [string, BlockHook]> => (module.endBlock ? [[module.name, module.endBlock]] : []))
      .sort(([a, x], [b, y]) => x.order - y.order || (a < b ? -1 : 1));
  }

  /** The keeper of a module, for the app's own steps (the ante handler's auth and bank). */
  keeper<T>(name: string): T {
    const module = this.modules.find((m) => m.name === name);
    if (!module) throw new Error(`no module ${name}`);
    return module.keeper as T;
  }

  /** Every module's default section, in genesis order. */
  defaultGenesis(): AppStateJson {
    return Object.fromEntries(this.modules.map((module) => [module.name, module.genesis.defaultGenesis()]));
  }

  /**
   * InitChain: each module's section in genesis order (a missing one is the module's to default or
   * refuse). Unknown sections are refused, so a typo is not silently ignored. Returns the genesis
   * validator set when a module gives one. `ctx.chainId`: the request's (genesis.json's `chain_id`).
   */
  initGenesis(ctx: GenesisContext, appState: AppStateJson): readonly ValidatorUpdate[] {
    if (typeof appState !== 'object' || appState === null || Array.isArray(appState))
      throw ainError(ErrInvalidRequest, 'genesis app_state must be an object with one section per module');
    const known = new Set(this.modules.map((module) => module.name));
    const unknown = Object.keys(appState).filter((name) => !known.has(name));
    if (unknown.length > 0)
      throw ainError(ErrInvalidRequest, `genesis app_state has unknown sections ${unknown.join(', ')}; expected ${[...known].join(', ')}`);
    let validators: readonly ValidatorUpdate[] = [];
    for (const module of this.modules) {
      const updates = inGenesisSection(module.name, () => module.genesis.init(ctx, appState[module.name]));
      if (updates) validators = updates;
    }
    return validators;
  }

  /** What InitChain checks of each present section before it writes anything (`aind genesis validate`). */
  validateGenesis(appState: AppStateJson): void {
    for (const module of this.modules) {
      if (appState[module.name] !== undefined) inGenesisSection(module.name, () => module.genesis.validate(appState[module.name] as never));
    }
  }

  /** The whole state as `app_state`: every module's exported section. */
  exportGenesis(state: ReadableState): AppStateJson {
    return Object.fromEntries(this.modules.map((module) => [module.name, module.genesis.exportGenesis(state)]));
  }

  /** The end of a block: every module's hook in its declared order; the validator updates one of them returns. */
  endBlock(ctx: BlockContext, block: BlockInfo): readonly ValidatorUpdate[] {
    let validatorUpdates: readonly ValidatorUpdate[] = [];
    for (const [, hook] of this.endBlockHooks) {
      const updates = hook.run(ctx, block);
      if (updates) validatorUpdates = updates;
    }
    return validatorUpdates;
  }
}

/**
 * Runs a module's genesis step. A section of the wrong shape that a module's checks miss (a field of
 * the wrong JSON type reaching code that expects another) is refused as an AinError naming the
 * section, like any other bad genesis, rather than as the engine's TypeError.
 */
function inGenesisSection<T>(name: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof AinError) throw error;
    throw ainError(ErrInvalidRequest, `genesis ${name} section is malformed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Definitions ordered so that each comes after the modules it requires (list order otherwise). */
function creationOrder(definitions: readonly ModuleDefinition[]): ModuleDefinition[] {
  const names = new Set(definitions.map((d) => d.name));
  const done = new Set<string>();
  const ordered: ModuleDefinition[] = [];
  while (ordered.length < definitions.length) {
    const next = definitions.find((d) => !done.has(d.name) && d.requires.every((r) => done.has(r)));
    if (!next) {
      const stuck = definitions.filter((d) => !done.has(d.name));
      const missing = stuck.flatMap((d) => d.requires.filter((r) => !names.has(r)));
      throw new Error(
        missing.length > 0
          ? `modules require unknown modules: ${missing.join(', ')}`
          : `modules require each other: ${stuck.map((d) => d.name).join(', ')}`,
      );
    }
    ordered.push(next);
    done.add(next.name);
  }
  return ordered;
}
