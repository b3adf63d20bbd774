/**
 * The consensus validator set at a height, as the SDK's `cosmos.base.tendermint.v1beta1` service
 * answers it from CometBFT's `validators` RPC (which keeps every height's set as long as the node keeps
 * its block history): addresses as `ainvalcons1...`, public keys as `Any` ed25519 keys, voting power
 * and proposer priority, paged as the SDK pages it (`pagination.offset`/`.limit`, default and at most
 * 100 a page, `total` always given, no `next_key`).
 */
import { toBech32 } from '@cosmjs/encoding';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { GetLatestValidatorSetResponse, GetValidatorSetByHeightResponse } from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import {
  ADDRESS_PREFIX,
  ainError,
  DEFAULT_PAGE_LIMIT,
  ErrInvalidHeight,
  ErrInvalidRequest,
  pageRequestOf,
  toProtoJson,
  type RestContext,
  type RestHandler,
  type RestRequest,
} from '../../core/index.ts';
import { base64Bytes, field, hexBytes, int, list, str } from '../../client/index.ts';

/** CometBFT's `validators` page size bound. */
const MAX_VALIDATORS_PER_PAGE = 100;

/** The SDK's `ParsePagination`: limit (default 100) and the 1-based page holding `offset`. */
function pageOf(request: RestRequest): { page: bigint; limit: bigint } {
  const pagination = pageRequestOf(request);
  let limit = pagination.limit || BigInt(DEFAULT_PAGE_LIMIT);
  if (limit > BigInt(MAX_VALIDATORS_PER_PAGE)) limit = BigInt(MAX_VALIDATORS_PER_PAGE);
  return { page: pagination.offset / limit + 1n, limit };
}

async function validatorSet(context: RestContext, request: RestRequest, height: bigint | undefined) {
  const { page, limit } = pageOf(request);
  const result = await context.comet('validators', {
    ...(height === undefined ? {} : { height: height.toString() }),
    page: page.toString(),
    per_page: limit.toString(),
  });
  return {
    blockHeight: int(result, 'block_height'),
    validators: list(result, 'validators').map((v) => {
      const key = base64Bytes(field(v, 'pub_key'), 'value');
      const type = str(field(v, 'pub_key'), 'type');
      return {
        address: toBech32(`${ADDRESS_PREFIX}valcons`, hexBytes(v, 'address')),
        ...(type === 'tendermint/PubKeyEd25519'
          ? { pubKey: { typeUrl: '/cosmos.crypto.ed25519.PubKey', value: Ed25519PubKey.encode({ key }).finish() } }
          : {}),
        votingPower: int(v, 'voting_power'),
        proposerPriority: int(v, 'proposer_priority'),
      };
    }),
    pagination: { nextKey: new Uint8Array(), total: int(result, 'total') },
  };
}

/** `GET /cosmos/base/tendermint/v1beta1/validatorsets/latest` */
export const getLatestValidatorSet: RestHandler = async (context, request) => {
  const message = GetLatestValidatorSetResponse.fromPartial(await validatorSet(context, request, undefined));
  return { body: toProtoJson(GetLatestValidatorSetResponse, message, context.anyTypes), height: message.blockHeight };
};

/** `GET /cosmos/base/tendermint/v1beta1/validatorsets/{height}`: refused above the chain's height, as the SDK does. */
export const getValidatorSetByHeight: RestHandler = async (context, request) => {
  const text = request.params[0] ?? '';
  if (!/^[0-9]{1,19}$/.test(text) || BigInt(text) === 0n || BigInt(text) > 0x7fffffffffffffffn)
    throw ainError(ErrInvalidHeight, `block height "${text}" is not a positive integer`);
  const height = BigInt(text);
  const latest = int(field(await context.comet('status', {}), 'sync_info'), 'latest_block_height');
  if (height > latest) throw ainError(ErrInvalidRequest, 'requested block height is bigger then the chain length');
  const message = GetValidatorSetByHeightResponse.fromPartial(await validatorSet(context, request, height));
  return { body: toProtoJson(GetValidatorSetByHeightResponse, message, context.anyTypes), height: message.blockHeight };
};
