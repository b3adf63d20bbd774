/**
 * The CosmJS type registry of AIN Chain: the default Cosmos types plus every `ain.state.v1` and
 * `ain.triggers.v1` message.
 * This file is the one place client code lists our type URLs.
 */
import { type GeneratedType, Registry } from '@cosmjs/proto-signing';
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

/**
 * A fresh CosmJS `Registry` with the default Cosmos types (bank, staking, ...) and every AIN Chain
 * message, for `SigningStargateClient` or `decodeTxRaw`.
 * @example
 * const client = await SigningStargateClient.connectWithSigner(rpcUrl, wallet, { registry: ainRegistry(), gasPrice });
 * await client.signAndBroadcast(address, [{ typeUrl: STATE_TYPE_URLS.setValue, value: { signer: address, path, value: '1' } }], 'auto');
 */
export function ainRegistry(): Registry {
  return new Registry([...defaultRegistryTypes, ...ainStateTypes, ...ainTriggersTypes]);
}
