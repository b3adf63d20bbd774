import { type MsgHandler, signerMsgHandler, updateParamsHandler } from '../../core/index.ts';
import {
  MsgCancelReservation,
  MsgCancelReservationResponse,
  MsgClaimPayment,
  MsgClaimPaymentResponse,
  MsgGrant,
  MsgGrantResponse,
  MsgRegisterProvider,
  MsgRegisterProviderResponse,
  MsgReserve,
  MsgReserveResponse,
  MsgRevealKey,
  MsgRevealKeyResponse,
  MsgRevoke,
  MsgRevokeResponse,
  MsgSetAccess,
  MsgSetAccessResponse,
  MsgShareKeys,
  MsgShareKeysResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from '../../proto/gen/ain/storage/v1/tx.ts';
import { STORAGE_MODULE, type StorageKeeper } from './keeper.ts';
import {
  validateMsgCancelReservation,
  validateMsgClaimPayment,
  validateMsgGrant,
  validateMsgRegisterProvider,
  validateMsgReserve,
  validateMsgRevealKey,
  validateMsgRevoke,
  validateMsgSetAccess,
  validateMsgShareKeys,
} from './msgs.ts';
import { storageParamsFromProto, writeStorageParams, storageParamsToJson } from './params.ts';

const handler = signerMsgHandler(STORAGE_MODULE);

/** Every message handler of the storage module, for `MsgRouter.register`. */
export function storageMsgHandlers(keeper: StorageKeeper): MsgHandler<unknown>[] {
  const handlers = [
    handler(MsgRegisterProvider, MsgRegisterProviderResponse, validateMsgRegisterProvider, (ctx, msg) => keeper.registerProvider(ctx, msg)),
    handler(MsgReserve, MsgReserveResponse, validateMsgReserve, (ctx, msg) => keeper.reserve(ctx, msg)),
    handler(MsgCancelReservation, MsgCancelReservationResponse, validateMsgCancelReservation, (ctx, msg) =>
      keeper.cancelReservation(ctx, msg),
    ),
    handler(MsgClaimPayment, MsgClaimPaymentResponse, validateMsgClaimPayment, (ctx, msg) => keeper.claimPayment(ctx, msg)),
    handler(MsgSetAccess, MsgSetAccessResponse, validateMsgSetAccess, (ctx, msg) => keeper.setAccess(ctx, msg)),
    handler(MsgGrant, MsgGrantResponse, validateMsgGrant, (ctx, msg) => keeper.grant(ctx, msg)),
    handler(MsgRevoke, MsgRevokeResponse, validateMsgRevoke, (ctx, msg) => keeper.revoke(ctx, msg)),
    handler(MsgShareKeys, MsgShareKeysResponse, validateMsgShareKeys, (ctx, msg) => keeper.shareKeys(ctx, msg)),
    handler(MsgRevealKey, MsgRevealKeyResponse, validateMsgRevealKey, (ctx, msg) => keeper.revealKey(ctx, msg)),
    // Only governance changes the params: the authority is the gov module account.
    updateParamsHandler({
      module: 'storage',
      msg: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      parse: storageParamsFromProto,
      write: (state, params) => writeStorageParams(state, storageParamsToJson(params)),
    }),
  ];
  return handlers as MsgHandler<unknown>[];
}

/** The JSON codecs of the messages and responses, for REST. */
export const storageJsonTypes = [
  MsgRegisterProvider,
  MsgRegisterProviderResponse,
  MsgReserve,
  MsgReserveResponse,
  MsgCancelReservation,
  MsgCancelReservationResponse,
  MsgClaimPayment,
  MsgClaimPaymentResponse,
  MsgSetAccess,
  MsgSetAccessResponse,
  MsgGrant,
  MsgGrantResponse,
  MsgRevoke,
  MsgRevokeResponse,
  MsgShareKeys,
  MsgShareKeysResponse,
  MsgRevealKey,
  MsgRevealKeyResponse,
] as const;
