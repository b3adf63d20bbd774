/**
 * The Cosmos SDK x/authz events, `cosmos.authz.v1beta1.EventGrant` and `EventRevoke`. They are the
 * SDK's typed events, whose attribute values are JSON (a string is printed with its quotes), so
 * explorers that parse the SDK's typed events read them alike.
 */
import type { TypedEvent } from '../../core/index.ts';

const typedEvent = (type: string, fields: ReadonlyArray<readonly [string, string]>): TypedEvent => ({
  type,
  attributes: fields.map(([key, value]) => [key, JSON.stringify(value)] as const),
});

/** A grant was made (or replaced) for `msgTypeUrl`. */
export const grantEvent = (msgTypeUrl: string, granter: string, grantee: string): TypedEvent =>
  typedEvent('cosmos.authz.v1beta1.EventGrant', [
    ['msg_type_url', msgTypeUrl],
    ['granter', granter],
    ['grantee', grantee],
  ]);

/** A grant was revoked, or used up by MsgExec. */
export const revokeEvent = (msgTypeUrl: string, granter: string, grantee: string): TypedEvent =>
  typedEvent('cosmos.authz.v1beta1.EventRevoke', [
    ['msg_type_url', msgTypeUrl],
    ['granter', granter],
    ['grantee', grantee],
  ]);
