import { type MsgHandler, signerMsgHandler, updateParamsHandler } from '../../core/index.ts';
import {
  MsgApprove,
  MsgApproveResponse,
  MsgBurn,
  MsgBurnResponse,
  MsgCreateClass,
  MsgCreateClassResponse,
  MsgMint,
  MsgMintResponse,
  MsgPay,
  MsgPayResponse,
  MsgRequestRerun,
  MsgRequestRerunResponse,
  MsgRevoke,
  MsgRevokeResponse,
  MsgSetApprovalForAll,
  MsgSetApprovalForAllResponse,
  MsgSetComposition,
  MsgSetCompositionResponse,
  MsgSetMinters,
  MsgSetMintersResponse,
  MsgTransfer,
  MsgTransferResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from '../../proto/gen/ain/ainft/v1/tx.ts';
import { AINFT_MODULE, type AinftKeeper } from './keeper.ts';
import {
  validateMsgApprove,
  validateMsgBurn,
  validateMsgCreateClass,
  validateMsgMint,
  validateMsgPay,
  validateMsgRequestRerun,
  validateMsgRevoke,
  validateMsgSetApprovalForAll,
  validateMsgSetComposition,
  validateMsgSetMinters,
  validateMsgTransfer,
} from './msgs.ts';
import { ainftParamsFromProto, writeAinftParams, ainftParamsToJson } from './params.ts';

const handler = signerMsgHandler(AINFT_MODULE);

/** Every message handler of the ainft module, for `MsgRouter.register`. */
export function ainftMsgHandlers(keeper: AinftKeeper): MsgHandler<unknown>[] {
  const handlers = [
    handler(MsgCreateClass, MsgCreateClassResponse, validateMsgCreateClass, (ctx, msg) => keeper.createClass(ctx, msg)),
    handler(MsgSetMinters, MsgSetMintersResponse, validateMsgSetMinters, (ctx, msg) => keeper.setMinters(ctx, msg)),
    handler(MsgMint, MsgMintResponse, validateMsgMint, (ctx, msg) => keeper.mint(ctx, msg)),
    handler(MsgTransfer, MsgTransferResponse, validateMsgTransfer, (ctx, msg) => keeper.transfer(ctx, msg)),
    handler(MsgApprove, MsgApproveResponse, validateMsgApprove, (ctx, msg) => keeper.approve(ctx, msg)),
    handler(MsgSetApprovalForAll, MsgSetApprovalForAllResponse, validateMsgSetApprovalForAll, (ctx, msg) =>
      keeper.setApprovalForAll(ctx, msg),
    ),
    handler(MsgRevoke, MsgRevokeResponse, validateMsgRevoke, (ctx, msg) => keeper.revoke(ctx, msg)),
    handler(MsgBurn, MsgBurnResponse, validateMsgBurn, (ctx, msg) => keeper.burn(ctx, msg)),
    handler(MsgSetComposition, MsgSetCompositionResponse, validateMsgSetComposition, (ctx, msg) => keeper.setComposition(ctx, msg)),
    handler(MsgRequestRerun, MsgRequestRerunResponse, validateMsgRequestRerun, (ctx, msg) => ({
      requestId: keeper.requestRerun(ctx, msg),
    })),
    handler(MsgPay, MsgPayResponse, validateMsgPay, (ctx, msg) => ({ payouts: keeper.pay(ctx, msg) })),
    // Only governance changes the params: the authority is the gov module account.
    updateParamsHandler({
      module: 'ainft',
      msg: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      parse: ainftParamsFromProto,
      write: (state, params) => writeAinftParams(state, ainftParamsToJson(params)),
    }),
  ];
  return handlers as MsgHandler<unknown>[];
}

/** The JSON codecs of the messages and responses, and of the `Any` payloads of NFT.data and Class.data, for REST. */
export const ainftJsonTypes = [
  MsgCreateClass,
  MsgCreateClassResponse,
  MsgSetMinters,
  MsgSetMintersResponse,
  MsgMint,
  MsgMintResponse,
  MsgTransfer,
  MsgTransferResponse,
  MsgApprove,
  MsgApproveResponse,
  MsgSetApprovalForAll,
  MsgSetApprovalForAllResponse,
  MsgRevoke,
  MsgRevokeResponse,
  MsgBurn,
  MsgBurnResponse,
  MsgSetComposition,
  MsgSetCompositionResponse,
  MsgRequestRerun,
  MsgRequestRerunResponse,
  MsgPay,
  MsgPayResponse,
] as const;
