/** `aind query feegrant ...`: the `cosmos.feegrant.v1beta1` queries, printed as the SDK's CLI prints them. */
import { QueryClient } from '@cosmjs/stargate';
import { AllowedMsgAllowance, BasicAllowance, PeriodicAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import {
  QueryAllowanceRequest,
  QueryAllowanceResponse,
  QueryAllowancesByGranterRequest,
  QueryAllowancesByGranterResponse,
  QueryAllowancesRequest,
  QueryAllowancesResponse,
} from 'cosmjs-types/cosmos/feegrant/v1beta1/query';
import { type AnyTypes, defaultAnyTypes, type JsonCodec, type JsonValue, parseAddress } from '../../../core/index.ts';
import { askJson, connectCometClient } from '../../common/index.ts';

export const FEEGRANT_QUERIES = ['grant', 'grants-by-grantee', 'grants-by-granter'] as const;

const SERVICE = 'cosmos.feegrant.v1beta1.Query';

/** The allowance types, so grants print unpacked (`{"@type", "spend_limit", ...}`). */
const ALLOWANCE_TYPES: AnyTypes = new Map<string, JsonCodec<unknown>>([
  ...defaultAnyTypes,
  [BasicAllowance.typeUrl, BasicAllowance as JsonCodec<unknown>],
  [PeriodicAllowance.typeUrl, PeriodicAllowance as JsonCodec<unknown>],
  [AllowedMsgAllowance.typeUrl, AllowedMsgAllowance as JsonCodec<unknown>],
]);

/**
 * One feegrant query against `node`: `grant GRANTER GRANTEE`, `grants-by-grantee GRANTEE`,
 * `grants-by-granter GRANTER` (the first 100; the REST routes page further).
 * @example await queryFeegrant('tcp://127.0.0.1:26657', 'grant', ['ain1...', 'ain1...'])
 */
export async function queryFeegrant(node: string, what: string, args: readonly string[]): Promise<JsonValue> {
  for (const [i, address] of args.entries()) parseAddress(address, i === 0 && what !== 'grants-by-grantee' ? 'GRANTER' : 'GRANTEE');
  const { comet } = await connectCometClient(node);
  const client = new QueryClient(comet);
  const types = () => ALLOWANCE_TYPES;
  try {
    if (what === 'grant')
      return await askJson(
        client,
        SERVICE,
        'Allowance',
        QueryAllowanceRequest,
        { granter: args[0]!, grantee: args[1]! },
        QueryAllowanceResponse,
        types,
      );
    if (what === 'grants-by-grantee')
      return await askJson(client, SERVICE, 'Allowances', QueryAllowancesRequest, { grantee: args[0]! }, QueryAllowancesResponse, types);
    return await askJson(
      client,
      SERVICE,
      'AllowancesByGranter',
      QueryAllowancesByGranterRequest,
      { granter: args[0]! },
      QueryAllowancesByGranterResponse,
      types,
    );
  } finally {
    comet.disconnect();
  }
}
