/** `aind query authz ...`: the `cosmos.authz.v1beta1` grants queries, printed as proto3 JSON (authorizations unpacked). */
import { QueryClient } from '@cosmjs/stargate';
import { GenericAuthorization } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import * as q from 'cosmjs-types/cosmos/authz/v1beta1/query';
import { SendAuthorization } from 'cosmjs-types/cosmos/bank/v1beta1/authz';
import { StakeAuthorization } from 'cosmjs-types/cosmos/staking/v1beta1/authz';
import { ainError, defaultAnyTypes, ErrInvalidRequest, type JsonCodec, type JsonValue, parseAddress } from '../../../core/index.ts';
import { askJson, withCometClient } from '../../common/index.ts';

export const AUTHZ_QUERIES = ['grants', 'grants-by-granter', 'grants-by-grantee'] as const;
export type AuthzQuery = (typeof AUTHZ_QUERIES)[number];

export interface AuthzQueryFlags {
  readonly limit?: string | undefined;
  readonly pageKey?: string | undefined;
}

/** The authorizations' codecs beside the default Any types, so they print unpacked. */
const AUTHORIZATION_TYPES = new Map<string, JsonCodec<unknown>>([
  ...defaultAnyTypes,
  ...[GenericAuthorization, SendAuthorization, StakeAuthorization].map((codec) => [codec.typeUrl, codec as JsonCodec<unknown>] as const),
]);

function pageOf(flags: AuthzQueryFlags) {
  const limit = flags.limit ?? '';
  if (limit !== '' && !/^[0-9]{1,20}$/.test(limit)) throw ainError(ErrInvalidRequest, `--limit "${limit}" must be a non-negative integer`);
  return {
    key: new Uint8Array(Buffer.from(flags.pageKey ?? '', 'base64')),
    offset: 0n,
    limit: BigInt(limit || '0'),
    countTotal: false,
    reverse: false,
  };
}

/**
 * One authz query against `node`: `grants GRANTER GRANTEE [MSG_TYPE]`, `grants-by-granter GRANTER`,
 * `grants-by-grantee GRANTEE` (lists paged with --limit and --page-key).
 * @example await queryAuthz('tcp://127.0.0.1:26657', 'grants', ['ain1...', 'ain1...'], {})
 */
export function queryAuthz(node: string, what: AuthzQuery, args: readonly string[], flags: AuthzQueryFlags): Promise<JsonValue> {
  for (const [i, name] of (what === 'grants' ? ['GRANTER', 'GRANTEE'] : [what === 'grants-by-granter' ? 'GRANTER' : 'GRANTEE']).entries())
    parseAddress(args[i] ?? '', name);
  return withCometClient(node, async (comet) => {
    const client = new QueryClient(comet);
    const ask = <Req>(method: string, request: { encode(m: Req): { finish(): Uint8Array } }, message: Req, response: unknown) =>
      askJson(client, 'cosmos.authz.v1beta1.Query', method, request, message, response, () => AUTHORIZATION_TYPES);
    const pagination = pageOf(flags);
    switch (what) {
      case 'grants':
        return ask(
          'Grants',
          q.QueryGrantsRequest,
          { granter: args[0]!, grantee: args[1]!, msgTypeUrl: args[2] ?? '', pagination },
          q.QueryGrantsResponse,
        );
      case 'grants-by-granter':
        return ask('GranterGrants', q.QueryGranterGrantsRequest, { granter: args[0]!, pagination }, q.QueryGranterGrantsResponse);
      case 'grants-by-grantee':
        return ask('GranteeGrants', q.QueryGranteeGrantsRequest, { grantee: args[0]!, pagination }, q.QueryGranteeGrantsResponse);
    }
  });
}
