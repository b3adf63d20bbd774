/**
 * The Cosmos SDK's legacy `cosmos.params.v1beta1.Query` (x/params), which explorers still call for
 * their parameters page: `Params{subspace, key}` answers one module's param and `Subspaces` lists
 * each module's keys. A subspace is a module name; a key is the SDK's CamelCase name (`MaxValidators`)
 * or the genesis JSON name (`max_validators`); the value is the param's genesis JSON (`"1814400"` for
 * an unbonding time in seconds). As the SDK, an unknown subspace is refused and an unknown key is an
 * empty value. Served by the app, since it reads every module's params.
 */
import { QueryParamsRequest, QueryParamsResponse, QuerySubspacesResponse } from 'cosmjs-types/cosmos/params/v1beta1/query';
import { decodeQueryRequest, ainError, ErrInvalidRequest, isJsonObject, type JsonValue } from '../core/index.ts';
import type { ModuleDescriptor, QueryRegistrar, ReadableState } from '../core/index.ts';

/** `MaxValidators` -> `max_validators`; a snake_case name is left as it is. */
export function snakeCaseKey(key: string): string {
  return key.replace(/^[A-Z]/, (c) => c.toLowerCase()).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `max_validators` -> `MaxValidators`. */
const camelCaseKey = (key: string): string => key.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

export function registerLegacyParamsQueries(router: QueryRegistrar, modules: readonly ModuleDescriptor[]): void {
  const paramsOf = (state: ReadableState, subspace: string): Record<string, JsonValue> => {
    const module = modules.find((m) => m.name === subspace && m.params !== undefined);
    if (!module) throw ainError(ErrInvalidRequest, `unknown subspace: ${subspace}`);
    const params = module.params!(state);
    return isJsonObject(params) ? (params as Record<string, JsonValue>) : {};
  };
  router.register('/cosmos.params.v1beta1.Query/Params', (state, data) => {
    const { subspace, key } = decodeQueryRequest(QueryParamsRequest, data);
    const params = paramsOf(state, subspace);
    const value = params[key] ?? params[snakeCaseKey(key)];
    return QueryParamsResponse.encode({ param: { subspace, key, value: value === undefined ? '' : JSON.stringify(value) } }).finish();
  });
  router.register('/cosmos.params.v1beta1.Query/Subspaces', (state) =>
    QuerySubspacesResponse.encode({
      subspaces: modules
        .filter((m) => m.params !== undefined)
        .map((m) => ({ subspace: m.name, keys: Object.keys(paramsOf(state, m.name)).map(camelCaseKey) })),
    }).finish(),
  );
}
