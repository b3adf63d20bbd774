/**
 * The CosmJS type registry of AIN Chain: the default Cosmos types plus every `ain.state.v1`,
 * `ain.triggers.v1`, `ain.jobs.v1`, `ain.ainft.v1` and `ain.storage.v1` message.
 * This file is the one place client code lists our type URLs.
 */
import { type GeneratedType, Registry } from '@cosmjs/proto-signing';
import { MsgUpdateParams as AuthMsgUpdateParams } from 'cosmjs-types/cosmos/auth/v1beta1/tx';
import { MsgUpdateParams as ComputeMsgUpdateParams } from '../proto/gen/ain/compute/v1/tx.ts';
import { MsgUpdateParams as DistributionMsgUpdateParams } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { MsgCancelProposal, MsgExecLegacyContent } from 'cosmjs-types/cosmos/gov/v1/tx';
import { MsgUnjail, MsgUpdateParams as SlashingMsgUpdateParams } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { MsgUpdateParams as StakingMsgUpdateParams } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { MsgCancelUpgrade, MsgSoftwareUpgrade } from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import {
  MsgBatch,
  MsgCreateApp,
  MsgDecValue,
  MsgDeleteValue,
  MsgIncValue,
  MsgSetFunction,
  MsgSetOwner,
  MsgSetRule,
  MsgSetValue,
} from '../proto/gen/ain/state/v1/tx.ts';
import { MsgRegisterExecutor, MsgSubmitResult, MsgSubmitResults } from '../proto/gen/ain/triggers/v1/tx.ts';
import * as jobsTx from '../proto/gen/ain/jobs/v1/tx.ts';
import * as ainftTx from '../proto/gen/ain/ainft/v1/tx.ts';
import * as storageTx from '../proto/gen/ain/storage/v1/tx.ts';
import { ainStorageTypes } from './storageMessages.ts';
import { ainShardsTypes } from './shardsMessages.ts';
import { ainChannelsTypes } from './channelsMessages.ts';
import { ainCommitteeTypes } from './committeeMessages.ts';

/** Type URLs of the state module's messages, `/${X.$type}`. */
export const STATE_TYPE_URLS = {
  setValue: `/${MsgSetValue.$type}`,
  incValue: `/${MsgIncValue.$type}`,
  decValue: `/${MsgDecValue.$type}`,
  deleteValue: `/${MsgDeleteValue.$type}`,
  setRule: `/${MsgSetRule.$type}`,
  setOwner: `/${MsgSetOwner.$type}`,
  setFunction: `/${MsgSetFunction.$type}`,
  batch: `/${MsgBatch.$type}`,
  createApp: `/${MsgCreateApp.$type}`,
} as const;

/** Each state message's type URL with its ts-proto codec (the shape CosmJS's `Registry` takes). */
export const ainStateTypes: ReadonlyArray<[string, GeneratedType]> = [
  [STATE_TYPE_URLS.setValue, MsgSetValue],
  [STATE_TYPE_URLS.incValue, MsgIncValue],
  [STATE_TYPE_URLS.decValue, MsgDecValue],
  [STATE_TYPE_URLS.deleteValue, MsgDeleteValue],
  [STATE_TYPE_URLS.setRule, MsgSetRule],
  [STATE_TYPE_URLS.setOwner, MsgSetOwner],
  [STATE_TYPE_URLS.setFunction, MsgSetFunction],
  [STATE_TYPE_URLS.batch, MsgBatch],
  [STATE_TYPE_URLS.createApp, MsgCreateApp],
];

/** Type URLs of the triggers module's messages (executors register and submit results). */
export const TRIGGERS_TYPE_URLS = {
  registerExecutor: `/${MsgRegisterExecutor.$type}`,
  submitResult: `/${MsgSubmitResult.$type}`,
  submitResults: `/${MsgSubmitResults.$type}`,
} as const;

/** Each triggers message's type URL with its codec. */
export const ainTriggersTypes: ReadonlyArray<[string, GeneratedType]> = [
  [TRIGGERS_TYPE_URLS.registerExecutor, MsgRegisterExecutor],
  [TRIGGERS_TYPE_URLS.submitResult, MsgSubmitResult],
  [TRIGGERS_TYPE_URLS.submitResults, MsgSubmitResults],
];

/** Type URLs of the jobs module's messages (the job market: register, apply, approve, ..., resolve). */
export const JOBS_TYPE_URLS = {
  registerJob: `/${jobsTx.MsgRegisterJob.$type}`,
  applyJob: `/${jobsTx.MsgApplyJob.$type}`,
  approveNode: `/${jobsTx.MsgApproveNode.$type}`,
  dropNode: `/${jobsTx.MsgDropNode.$type}`,
  requestJob: `/${jobsTx.MsgRequestJob.$type}`,
  acceptJob: `/${jobsTx.MsgAcceptJob.$type}`,
  submitResult: `/${jobsTx.MsgSubmitResult.$type}`,
  revealResult: `/${jobsTx.MsgRevealResult.$type}`,
  revealTestData: `/${jobsTx.MsgRevealTestData.$type}`,
  rank: `/${jobsTx.MsgRank.$type}`,
  acceptResult: `/${jobsTx.MsgAcceptResult.$type}`,
  challenge: `/${jobsTx.MsgChallenge.$type}`,
  resolveChallenge: `/${jobsTx.MsgResolveChallenge.$type}`,
} as const;

/** Each jobs message's type URL with its codec. */
export const ainJobsTypes: ReadonlyArray<[string, GeneratedType]> = [
  [JOBS_TYPE_URLS.registerJob, jobsTx.MsgRegisterJob],
  [JOBS_TYPE_URLS.applyJob, jobsTx.MsgApplyJob],
  [JOBS_TYPE_URLS.approveNode, jobsTx.MsgApproveNode],
  [JOBS_TYPE_URLS.dropNode, jobsTx.MsgDropNode],
  [JOBS_TYPE_URLS.requestJob, jobsTx.MsgRequestJob],
  [JOBS_TYPE_URLS.acceptJob, jobsTx.MsgAcceptJob],
  [JOBS_TYPE_URLS.submitResult, jobsTx.MsgSubmitResult],
  [JOBS_TYPE_URLS.revealResult, jobsTx.MsgRevealResult],
  [JOBS_TYPE_URLS.revealTestData, jobsTx.MsgRevealTestData],
  [JOBS_TYPE_URLS.rank, jobsTx.MsgRank],
  [JOBS_TYPE_URLS.acceptResult, jobsTx.MsgAcceptResult],
  [JOBS_TYPE_URLS.challenge, jobsTx.MsgChallenge],
  [JOBS_TYPE_URLS.resolveChallenge, jobsTx.MsgResolveChallenge],
];

/** Type URLs of the ainft module's messages (collections, tokens, composition, re-runs, payments). */
export const AINFT_TYPE_URLS = {
  createClass: `/${ainftTx.MsgCreateClass.$type}`,
  setMinters: `/${ainftTx.MsgSetMinters.$type}`,
  mint: `/${ainftTx.MsgMint.$type}`,
  transfer: `/${ainftTx.MsgTransfer.$type}`,
  approve: `/${ainftTx.MsgApprove.$type}`,
  setApprovalForAll: `/${ainftTx.MsgSetApprovalForAll.$type}`,
  revoke: `/${ainftTx.MsgRevoke.$type}`,
  burn: `/${ainftTx.MsgBurn.$type}`,
  setComposition: `/${ainftTx.MsgSetComposition.$type}`,
  requestRerun: `/${ainftTx.MsgRequestRerun.$type}`,
  pay: `/${ainftTx.MsgPay.$type}`,
} as const;

/** Each ainft message's type URL with its codec. */
export const ainAinftTypes: ReadonlyArray<[string, GeneratedType]> = [
  [AINFT_TYPE_URLS.createClass, ainftTx.MsgCreateClass],
  [AINFT_TYPE_URLS.setMinters, ainftTx.MsgSetMinters],
  [AINFT_TYPE_URLS.mint, ainftTx.MsgMint],
  [AINFT_TYPE_URLS.transfer, ainftTx.MsgTransfer],
  [AINFT_TYPE_URLS.approve, ainftTx.MsgApprove],
  [AINFT_TYPE_URLS.setApprovalForAll, ainftTx.MsgSetApprovalForAll],
  [AINFT_TYPE_URLS.revoke, ainftTx.MsgRevoke],
  [AINFT_TYPE_URLS.burn, ainftTx.MsgBurn],
  [AINFT_TYPE_URLS.setComposition, ainftTx.MsgSetComposition],
  [AINFT_TYPE_URLS.requestRerun, ainftTx.MsgRequestRerun],
  [AINFT_TYPE_URLS.pay, ainftTx.MsgPay],
];

/**
 * Standard Cosmos messages the chain serves that CosmJS's `defaultRegistryTypes` lacks (its staking and
 * distribution messages are there already): slashing's MsgUnjail, the MsgUpdateParams a governance
 * proposal carries (signed by the gov authority), gov's MsgExecLegacyContent and MsgCancelProposal, the upgrade module's
 * MsgSoftwareUpgrade and MsgCancelUpgrade (also the gov authority's).
 */
export const cosmosExtraTypes: ReadonlyArray<[string, GeneratedType]> = [
  ['/cosmos.slashing.v1beta1.MsgUnjail', MsgUnjail],
  ['/cosmos.auth.v1beta1.MsgUpdateParams', AuthMsgUpdateParams],
  ['/cosmos.staking.v1beta1.MsgUpdateParams', StakingMsgUpdateParams],
  ['/cosmos.distribution.v1beta1.MsgUpdateParams', DistributionMsgUpdateParams],
  ['/cosmos.slashing.v1beta1.MsgUpdateParams', SlashingMsgUpdateParams],
  ['/cosmos.gov.v1.MsgExecLegacyContent', MsgExecLegacyContent],
  ['/cosmos.gov.v1.MsgCancelProposal', MsgCancelProposal],
  ['/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade', MsgSoftwareUpgrade],
  ['/cosmos.upgrade.v1beta1.MsgCancelUpgrade', MsgCancelUpgrade],
];

/** The AIN modules' MsgUpdateParams, which only a governance proposal carries (signed by the gov authority). */
export const ainParamsTypes: ReadonlyArray<[string, GeneratedType]> = [
  [`/${jobsTx.MsgUpdateParams.$type}`, jobsTx.MsgUpdateParams],
  [`/${ainftTx.MsgUpdateParams.$type}`, ainftTx.MsgUpdateParams],
  [`/${storageTx.MsgUpdateParams.$type}`, storageTx.MsgUpdateParams],
  [`/${ComputeMsgUpdateParams.$type}`, ComputeMsgUpdateParams],
];

/**
 * A fresh CosmJS `Registry` with the default Cosmos types (bank, staking, ...) and every AIN Chain
 * message, for `SigningStargateClient` or `decodeTxRaw`.
 * @example
 * const client = await SigningStargateClient.connectWithSigner(rpcUrl, wallet, { registry: ainRegistry(), gasPrice });
 * await client.signAndBroadcast(address, [{ typeUrl: STATE_TYPE_URLS.setValue, value: { signer: address, path, value: '1' } }], 'auto');
 */
export function ainRegistry(): Registry {
  return new Registry([
    ...defaultRegistryTypes,
    ...ainStateTypes,
    ...ainTriggersTypes,
    ...ainJobsTypes,
    ...ainAinftTypes,
    ...(ainStorageTypes as unknown as ReadonlyArray<[string, GeneratedType]>),
    ...ainShardsTypes,
    ...(ainChannelsTypes as unknown as ReadonlyArray<[string, GeneratedType]>),
    ...(ainCommitteeTypes as unknown as ReadonlyArray<[string, GeneratedType]>),
    ...cosmosExtraTypes,
    ...ainParamsTypes,
  ]);
}
