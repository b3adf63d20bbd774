import {
  QueryClient,
  type DistributionExtension,
  type StakingExtension,
  setupDistributionExtension,
  setupSlashingExtension,
  setupStakingExtension,
} from '@cosmjs/stargate';
import {
  QueryCommunityPoolResponse,
  QueryDelegationRewardsResponse,
  QueryDelegationTotalRewardsResponse,
  QueryValidatorCommissionResponse,
} from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import {
  QuerySigningInfoResponse,
  QuerySigningInfosResponse,
  QueryParamsResponse as SlashingParamsResponse,
} from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import {
  QueryDelegationResponse,
  QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsResponse,
  QueryPoolResponse,
  QueryRedelegationsResponse,
  QueryParamsResponse as StakingParamsResponse,
  QueryValidatorResponse,
  QueryValidatorsResponse,
} from 'cosmjs-types/cosmos/staking/v1beta1/query';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { ainError, ErrInvalidRequest, type JsonCodec, toProtoJson, parseAddress } from '../../../core/index.ts';
import {
  stakingGatewayJson,
  consAddressBech32,
  consAddressHex,
  parseValcons,
  parseValoper,
  VALCONS_PREFIX,
  VALOPER_PREFIX,
} from '../../../modules/staking/index.ts';
import { connectCometClient, parseConsensusPubkey } from '../../common/index.ts';
import type { JsonValue } from '../../../core/index.ts';

/** CosmJS exports the slashing extension's setup but not its type. */
type SlashingExtension = ReturnType<typeof setupSlashingExtension>;
type PosQueryClient = QueryClient & StakingExtension & DistributionExtension & SlashingExtension;

/** `--status` of `query staking validators`. */
export const VALIDATOR_STATUSES = {
  bonded: 'BOND_STATUS_BONDED',
  unbonding: 'BOND_STATUS_UNBONDING',
  unbonded: 'BOND_STATUS_UNBONDED',
} as const;

/** A response printed as the SDK's CLI and gateway print it: proto3 JSON, snake_case, LegacyDec with 18 digits. */
const print = <T>(codec: JsonCodec<T>, message: T): JsonValue => stakingGatewayJson(toProtoJson(codec, message));

async function withClient<T>(node: string, run: (client: PosQueryClient) => Promise<T>): Promise<T> {
  const { comet } = await connectCometClient(node);
  try {
    return await run(QueryClient.withExtensions(comet, setupStakingExtension, setupDistributionExtension, setupSlashingExtension));
  } finally {
    comet.disconnect();
  }
}

/**
 * `query staking validators [--status bonded|unbonding|unbonded]`, `validator`, `delegation`,
 * `delegations`, `unbonding-delegations`, `redelegations`, `pool`, `params`.
 * @example await queryStaking('tcp://127.0.0.1:26657', 'delegations', ['ain1...'])
 */
export async function queryStaking(node: string, what: string, args: readonly string[], status?: string): Promise<JsonValue> {
  const address = (i: number, field: string) => {
    parseAddress(args[i] ?? '', field);
    return args[i]!;
  };
  const valoper = (i: number, field: string) => {
    parseValoper(args[i] ?? '', field);
    return args[i]!;
  };
  return withClient(node, async (client) => {
    switch (what) {
      case 'validators': {
        if (status !== undefined && !(status in VALIDATOR_STATUSES)) {
          throw ainError(ErrInvalidRequest, `--status "${status}" must be one of ${Object.keys(VALIDATOR_STATUSES).join(', ')}`);
        }
        const filter = status === undefined ? '' : VALIDATOR_STATUSES[status as keyof typeof VALIDATOR_STATUSES];
        return print(QueryValidatorsResponse, await client.staking.validators(filter));
      }
      case 'validator':
        return print(QueryValidatorResponse, await client.staking.validator(valoper(0, 'VALIDATOR')));
      case 'delegation':
        return print(QueryDelegationResponse, await client.staking.delegation(address(0, 'DELEGATOR'), valoper(1, 'VALIDATOR')));
      case 'delegations':
        return print(QueryDelegatorDelegationsResponse, await client.staking.delegatorDelegations(address(0, 'DELEGATOR')));
      case 'unbonding-delegations':
        return print(
          QueryDelegatorUnbondingDelegationsResponse,
          await client.staking.delegatorUnbondingDelegations(address(0, 'DELEGATOR')),
        );
      case 'redelegations':
        return print(QueryRedelegationsResponse, await client.staking.redelegations(address(0, 'DELEGATOR'), '', ''));
      case 'pool':
        return print(QueryPoolResponse, await client.staking.pool());
      case 'params':
        return print(StakingParamsResponse, await client.staking.params());
      default:
        throw ainError(ErrInvalidRequest, `unknown staking query ${what}`);
    }
  });
}

/**
 * `query distribution rewards DELEGATOR [VALIDATOR]`, `commission VALIDATOR`, `community-pool`.
 * @example await queryDistribution('tcp://127.0.0.1:26657', 'rewards', ['ain1...'])
 */
export async function queryDistribution(node: string, what: string, args: readonly string[]): Promise<JsonValue> {
  return withClient(node, async (client) => {
    switch (what) {
      case 'rewards': {
        parseAddress(args[0] ?? '', 'DELEGATOR');
        if (args[1] === undefined)
          return print(QueryDelegationTotalRewardsResponse, await client.distribution.delegationTotalRewards(args[0]!));
        parseValoper(args[1], 'VALIDATOR');
        return print(QueryDelegationRewardsResponse, await client.distribution.delegationRewards(args[0]!, args[1]));
      }
      case 'commission':
        parseValoper(args[0] ?? '', 'VALIDATOR');
        return print(QueryValidatorCommissionResponse, await client.distribution.validatorCommission(args[0]!));
      case 'community-pool':
        return print(QueryCommunityPoolResponse, await client.distribution.communityPool());
      default:
        throw ainError(ErrInvalidRequest, `unknown distribution query ${what}`);
    }
  });
}

/**
 * `query slashing signing-info KEY` (KEY: an `ainvalcons1...` address, a validator's `ainvaloper1...`,
 * or its ed25519 consensus key in base64 or simd's JSON), `signing-infos`, `params`.
 * @example await querySlashing('tcp://127.0.0.1:26657', 'signing-info', ['ainvaloper1...'])
 */
export async function querySlashing(node: string, what: string, args: readonly string[]): Promise<JsonValue> {
  return withClient(node, async (client) => {
    switch (what) {
      case 'signing-info':
        return print(QuerySigningInfoResponse, await client.slashing.signingInfo(await consAddressOf(client, args[0] ?? '')));
      case 'signing-infos':
        return print(QuerySigningInfosResponse, await client.slashing.signingInfos());
      case 'params':
        return print(SlashingParamsResponse, await client.slashing.params());
      default:
        throw ainError(ErrInvalidRequest, `unknown slashing query ${what}`);
    }
  });
}

async function consAddressOf(client: PosQueryClient, key: string): Promise<string> {
  if (key.startsWith(`${VALCONS_PREFIX}1`)) {
    parseValcons(key, 'KEY');
    return key;
  }
  if (key.startsWith(`${VALOPER_PREFIX}1`)) {
    parseValoper(key, 'KEY');
    const { validator } = await client.staking.validator(key);
    const pubkey = validator.consensusPubkey;
    if (!pubkey) throw ainError(ErrInvalidRequest, `validator ${key} has no consensus key`);
    return consAddressBech32(consAddressHex(Ed25519PubKey.decode(pubkey.value).key));
  }
  return consAddressBech32(consAddressHex(parseConsensusPubkey(key)));
}
