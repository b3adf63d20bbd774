/**
 * The authz messages' stateless checks (`MsgGrant`, `MsgExec`, `MsgRevoke`, `cosmos.authz.v1beta1`):
 * addresses, the authorization's own checks, the expiration's range and MsgExec's nesting depth.
 */
import { MsgExec, MsgGrant, MsgRevoke } from 'cosmjs-types/cosmos/authz/v1beta1/tx';
import { ainError, ErrInvalidRequest, formatTimestamp, parseAddress } from '../../core/index.ts';
import { type AuthorizationJson, authorizationFromAny } from './authorizations.ts';
import { ErrExecTooDeep, ErrGranteeIsGranter } from './errors.ts';
import { MAX_TYPE_URL_LENGTH } from './keys.ts';

export const MSG_GRANT_TYPE_URL = '/cosmos.authz.v1beta1.MsgGrant';
export const MSG_EXEC_TYPE_URL = '/cosmos.authz.v1beta1.MsgExec';
export const MSG_REVOKE_TYPE_URL = '/cosmos.authz.v1beta1.MsgRevoke';

/** Most messages one MsgExec carries (at each level). */
export const MAX_EXEC_MSGS = 64;

function checkPair(granter: string, grantee: string): void {
  parseAddress(granter, 'granter');
  parseAddress(grantee, 'grantee');
  if (granter === grantee) throw ainError(ErrGranteeIsGranter, `granter and grantee are both ${granter}`, { field: 'grantee' });
}

/**
 * MsgGrant: two different valid addresses, a known authorization that passes its own checks, an
 * expiration (if any) that is a valid timestamp. Returns the authorization in its JSON form.
 * @throws AinError sdk/7 an address, authz/7 granter = grantee, authz/4 unknown authorization, sdk/18 malformed
 */
export function validateMsgGrant(msg: MsgGrant): AuthorizationJson {
  checkPair(msg.granter, msg.grantee);
  if (!msg.grant) throw ainError(ErrInvalidRequest, 'grant is missing; expected {authorization, expiration}', { field: 'grant' });
  const authorization = authorizationFromAny(msg.grant.authorization, 'grant.authorization');
  const expiration = msg.grant.expiration;
  if (expiration && (expiration.nanos < 0 || expiration.nanos > 999_999_999 || formatTimestamp(expiration) === ''))
    throw ainError(ErrInvalidRequest, 'grant.expiration is out of range; expected a time between years 1 and 9999', {
      field: 'grant.expiration',
    });
  return authorization;
}

/**
 * MsgExec: a valid grantee, 1 to MAX_EXEC_MSGS messages at each level, and MsgExecs inside it at most
 * `maxDepth` levels deep in all (each inner message's own checks run when it is routed).
 * @throws AinError sdk/7 grantee, sdk/18 no or too many messages, authz/100 nested too deep
 */
export function validateMsgExec(msg: MsgExec, maxDepth: number, depth = 1): void {
  parseAddress(msg.grantee, 'grantee');
  if (msg.msgs.length === 0) throw ainError(ErrInvalidRequest, 'msgs is empty; expected at least one message', { field: 'msgs' });
  if (msg.msgs.length > MAX_EXEC_MSGS)
    throw ainError(ErrInvalidRequest, `msgs has ${msg.msgs.length} messages; expected at most ${MAX_EXEC_MSGS}`, { field: 'msgs' });
  msg.msgs.forEach((any, i) => {
    if (any.typeUrl !== MSG_EXEC_TYPE_URL) return;
    if (depth >= maxDepth)
      throw ainError(ErrExecTooDeep, `msgs[${i}] is a MsgExec at depth ${depth + 1}; expected at most ${maxDepth} levels`, {
        field: `msgs[${i}]`,
      });
    let inner: MsgExec;
    try {
      inner = MsgExec.decode(any.value);
    } catch (cause) {
      throw ainError(ErrInvalidRequest, `msgs[${i}] (MsgExec) does not decode: ${(cause as Error).message}`, { field: `msgs[${i}]` });
    }
    validateMsgExec(inner, maxDepth, depth + 1);
  });
}

/**
 * MsgRevoke: two different valid addresses and a message type URL.
 * @throws AinError sdk/7 an address, authz/7 granter = grantee, sdk/18 no type URL
 */
export function validateMsgRevoke(msg: MsgRevoke): void {
  checkPair(msg.granter, msg.grantee);
  if (!msg.msgTypeUrl.startsWith('/') || msg.msgTypeUrl.length > MAX_TYPE_URL_LENGTH)
    throw ainError(ErrInvalidRequest, `msg_type_url "${msg.msgTypeUrl}" is not a message type URL such as /cosmos.bank.v1beta1.MsgSend`, {
      field: 'msg_type_url',
    });
}

export { MsgExec, MsgGrant, MsgRevoke };
