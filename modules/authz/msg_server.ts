/**
 * The authz message handlers: MsgGrant (signed by the granter), MsgExec (signed by the grantee; its
 * inner messages run through the app's router, see `AuthzKeeper.exec`), MsgRevoke (the granter).
 */
import { MsgExec, MsgExecResponse, MsgGrant, MsgGrantResponse, MsgRevoke, MsgRevokeResponse } from 'cosmjs-types/cosmos/authz/v1beta1/tx';
import { ainError, ErrInvalidType, type MsgHandler, type MsgRouter, msgHandler } from '../../core/index.ts';
import { msgTypeUrlOf } from './authorizations.ts';
import { type AuthzKeeper, MAX_EXEC_DEPTH, prefixed } from './keeper.ts';
import { validateMsgExec, validateMsgGrant, validateMsgRevoke } from './msgs.ts';

export const AUTHZ_MODULE = 'authz';

export function authzMsgHandlers(keeper: AuthzKeeper, router: () => Pick<MsgRouter, 'route' | 'typeUrls'>): MsgHandler<unknown>[] {
  const grant = msgHandler({
    module: AUTHZ_MODULE,
    msg: MsgGrant,
    response: MsgGrantResponse,
    validateBasic: validateMsgGrant,
    signers: (m) => [m.granter],
    handle: (ctx, m) => {
      const authorization = validateMsgGrant(m);
      const typeUrl = msgTypeUrlOf(authorization);
      // As the SDK: a grant for a message the router does not know could never be used.
      if (!router().typeUrls().includes(typeUrl))
        throw ainError(ErrInvalidType, `grant.authorization names ${typeUrl}, which is no message of this chain`, {
          field: 'grant.authorization',
        });
      keeper.saveGrant(ctx, m.granter, m.grantee, typeUrl, authorization, m.grant!.expiration);
      return {};
    },
  });
  const exec = msgHandler({
    module: AUTHZ_MODULE,
    msg: MsgExec,
    response: MsgExecResponse,
    validateBasic: (m) => {
      validateMsgExec(m, MAX_EXEC_DEPTH);
      // Each inner message decodes, is known and passes its own checks before anything runs.
      m.msgs.forEach((any, i) => {
        try {
          router().route(any, i);
        } catch (error) {
          throw prefixed(error, `msgs[${i}] (${any.typeUrl})`);
        }
      });
    },
    signers: (m) => [m.grantee],
    handle: (ctx, m) => ({ results: keeper.exec(ctx, m.grantee, m.msgs) }),
  });
  const revoke = msgHandler({
    module: AUTHZ_MODULE,
    msg: MsgRevoke,
    response: MsgRevokeResponse,
    validateBasic: validateMsgRevoke,
    signers: (m) => [m.granter],
    handle: (ctx, m) => {
      keeper.deleteGrant(ctx, m.granter, m.grantee, m.msgTypeUrl);
      return {};
    },
  });
  return [grant, exec, revoke] as MsgHandler<unknown>[];
}
