/**
 * The governance authority: the one address allowed to sign a module's `MsgUpdateParams` (and any
 * other message only governance may send). It is the gov module account's address, as in the Cosmos
 * SDK (`authtypes.NewModuleAddress("gov")`); a passed proposal's messages run with it as their signer.
 * Modules check it here rather than importing the gov module, which depends on them.
 */
import { moduleAddress } from './address.ts';
import { ainError, registerError } from './errors.ts';
import { type MsgCodec, type MsgHandler, msgHandler } from './msgRouter.ts';
import type { WritableState } from './state.ts';

/** The gov module's name, whose module account is the authority. */
export const GOV_MODULE_NAME = 'gov';

/** The SDK's `gov/13`, raised by every module when a message names another authority. */
export const ErrInvalidSigner = registerError(GOV_MODULE_NAME, 13, 'expected gov account as only signer for proposal message');

/** The address of the governance authority (`ain1...`, the gov module account). */
export function govAuthority(): string {
  return moduleAddress(GOV_MODULE_NAME);
}

/**
 * Refuses a message whose `authority` is not the governance authority.
 * @throws AinError gov/13 naming the field and both addresses
 * @example requireGovAuthority(msg.authority, 'authority')
 */
export function requireGovAuthority(authority: string, field = 'authority'): void {
  const expected = govAuthority();
  if (authority !== expected)
    throw ainError(ErrInvalidSigner, `invalid ${field}; expected ${expected}, got ${authority}`, { field, expected, got: authority });
}

/**
 * The one way a module defines its `MsgUpdateParams` handler: the gov authority as the only signer
 * (checked statelessly too), the params parsed and checked by `parse` (which names the field it
 * refuses) and stored whole by `write`.
 * @example updateParamsHandler({ module: 'jobs', msg: MsgUpdateParams, response: MsgUpdateParamsResponse, parse: jobsParamsFromProto, write: writeJobsParams })
 */
export function updateParamsHandler<T extends { authority: string; params?: P | undefined }, P, V>(spec: {
  readonly module: string;
  readonly msg: MsgCodec<T>;
  readonly response: MsgCodec<unknown>;
  readonly parse: (params: P | undefined) => V;
  readonly write: (state: WritableState, value: V) => void;
}): MsgHandler<T> {
  return msgHandler({
    module: spec.module,
    msg: spec.msg,
    response: spec.response,
    validateBasic: (msg) => {
      requireGovAuthority(msg.authority);
      spec.parse(msg.params);
    },
    signers: (msg) => [msg.authority],
    handle: (ctx, msg) => spec.write(ctx.state, spec.parse(msg.params)),
  });
}

/** A params message's fields by their snake_case names (`max_children` <- `maxChildren`), as text. */
export function paramsFieldsOf(proto: object | undefined, names: readonly string[]): Record<string, string> | undefined {
  if (proto === undefined) return undefined;
  const fields = proto as Record<string, unknown>;
  return Object.fromEntries(names.map((name) => [name, String(fields[name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())])]));
}
