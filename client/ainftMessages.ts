/**
 * Builders of the ainft module's messages as CosmJS `EncodeObject`s (the `aind tx ainft` commands
 * and `client.ainft` build every ainft message here), and the AINFT schema in the seed article's JSON
 * form (`{data, model: {name, epoch, platform, weights_hash}, service: {api, demo}, state}`, any part
 * possibly `{"ainft": "class/id"}`) turned into the message's typed metadata, checked as the chain
 * checks it.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import { ainError, ErrInvalidRequest, isJsonObject } from '../core/index.ts';
import { validateMetadata } from '../modules/ainft/index.ts';
import {
  MsgApprove,
  MsgBurn,
  MsgCreateClass,
  MsgMint,
  MsgPay,
  MsgRequestRerun,
  MsgRevoke,
  MsgSetApprovalForAll,
  MsgSetComposition,
  MsgSetMinters,
  MsgTransfer,
} from '../proto/gen/ain/ainft/v1/tx.ts';
import type { Composition, Metadata, TokenRef } from '../proto/gen/ain/ainft/v1/types.ts';
import { AINFT_TYPE_URLS } from './registry.ts';

type Fields<T> = Omit<Partial<T>, 'signer'>;

/** An ainft message ready for `signAndBroadcast`. */
export interface AinftEncodeObject<T> extends EncodeObject {
  readonly typeUrl: string;
  readonly value: T;
}

const build =
  <T>(typeUrl: string, codec: { fromPartial(object: object): T }) =>
  (signer: string, fields: Fields<T>): AinftEncodeObject<T> => ({ typeUrl, value: codec.fromPartial({ ...fields, signer }) });

/**
 * One builder per message: `ainftMsg.<name>(signer, fields)`; missing fields take proto3 defaults.
 * @example ainftMsg.pay('ain1...', { classId: 'ainchat', id: 'chatbot', amount: '1000', kind: 'service' })
 */
export const ainftMsg = {
  createClass: build<MsgCreateClass>(AINFT_TYPE_URLS.createClass, MsgCreateClass),
  setMinters: build<MsgSetMinters>(AINFT_TYPE_URLS.setMinters, MsgSetMinters),
  mint: build<MsgMint>(AINFT_TYPE_URLS.mint, MsgMint),
  transfer: build<MsgTransfer>(AINFT_TYPE_URLS.transfer, MsgTransfer),
  approve: build<MsgApprove>(AINFT_TYPE_URLS.approve, MsgApprove),
  setApprovalForAll: build<MsgSetApprovalForAll>(AINFT_TYPE_URLS.setApprovalForAll, MsgSetApprovalForAll),
  revoke: build<MsgRevoke>(AINFT_TYPE_URLS.revoke, MsgRevoke),
  burn: build<MsgBurn>(AINFT_TYPE_URLS.burn, MsgBurn),
  setComposition: build<MsgSetComposition>(AINFT_TYPE_URLS.setComposition, MsgSetComposition),
  requestRerun: build<MsgRequestRerun>(AINFT_TYPE_URLS.requestRerun, MsgRequestRerun),
  pay: build<MsgPay>(AINFT_TYPE_URLS.pay, MsgPay),
} as const;

/** A token named as `class/id`. */
export function parseTokenRef(text: string, field: string): TokenRef {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1 || text.indexOf('/', slash + 1) >= 0)
    throw ainError(ErrInvalidRequest, `${field} ${JSON.stringify(text)} must name a token as CLASS/ID`, { field });
  return { classId: text.slice(0, slash), id: text.slice(slash + 1) };
}

/** A child of a composition, `{class_id, id, weight}` as the chain takes it. */
export interface ChildShare {
  readonly classId: string;
  readonly id: string;
  readonly weight: bigint | number;
}

/**
 * A composition from children and the owner's own weight: `total_weight` is their sum.
 * @example compositionOf([{ classId: 'c', id: 'data', weight: 2 }, { classId: 'c', id: 'model', weight: 5 }], 0)
 */
export function compositionOf(children: readonly ChildShare[], ownerWeight: bigint | number = 0n): Composition {
  const list = children.map((child) => ({ classId: child.classId, id: child.id, weight: BigInt(child.weight) }));
  return {
    ownerWeight: BigInt(ownerWeight),
    children: list,
    totalWeight: BigInt(ownerWeight) + list.reduce((sum, c) => sum + c.weight, 0n),
  };
}

/** Children as the CLI writes them: `class/id:weight,class/id:weight`. */
export function parseChildren(text: string, field = 'children'): ChildShare[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part, i) => {
    const colon = part.lastIndexOf(':');
    const weight = part.slice(colon + 1).trim();
    if (colon < 0 || !/^[1-9][0-9]{0,12}$/.test(weight))
      throw ainError(ErrInvalidRequest, `${field}[${i}] ${JSON.stringify(part)} must be CLASS/ID:WEIGHT with a positive weight`, { field });
    return { ...parseTokenRef(part.slice(0, colon).trim(), `${field}[${i}]`), weight: BigInt(weight) };
  });
}

const refOf = (value: unknown, field: string): TokenRef | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw ainError(ErrInvalidRequest, `${field} must be "class/id"`, { field });
  return parseTokenRef(value, field);
};

const textOf = (object: Record<string, unknown>, key: string, field: string): string => {
  const value = object[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw ainError(ErrInvalidRequest, `${field}.${key} must be a string`, { field: `${field}.${key}` });
  return value;
};

function partOf(json: unknown, field: string, keys: readonly string[]): Record<string, unknown> | undefined {
  if (json === undefined || json === null) return undefined;
  if (!isJsonObject(json)) throw ainError(ErrInvalidRequest, `${field} must be an object`, { field });
  for (const key of Object.keys(json))
    if (!keys.includes(key))
      throw ainError(ErrInvalidRequest, `${field}.${key} is not a field; expected ${keys.join(', ')}`, { field: `${field}.${key}` });
  return json;
}

/**
 * The AINFT schema from its JSON form, checked as the chain would (`ainft/2` naming the field).
 * @example metadataFromJson({ data: 'ab12...', model: { name: 'ain-bigram', epoch: 1, platform: 'python3', weights_hash: 'cd34...' }, state: '/apps/ainchat/chats' })
 */
export function metadataFromJson(json: unknown): Metadata {
  const top = partOf(json, 'metadata', ['data', 'model', 'service', 'state']) ?? {};
  const metadata: Metadata = { data: undefined, model: undefined, service: undefined, state: textOf(top, 'state', 'metadata') };
  if (typeof top.data === 'string') metadata.data = { hash: top.data, ainft: undefined };
  else {
    const data = partOf(top.data, 'metadata.data', ['hash', 'ainft']);
    if (data) metadata.data = { hash: textOf(data, 'hash', 'metadata.data'), ainft: refOf(data.ainft, 'metadata.data.ainft') };
  }
  const model = partOf(top.model, 'metadata.model', ['name', 'epoch', 'platform', 'weights_hash', 'ainft']);
  if (model) {
    const epoch = model.epoch ?? 0;
    if (
      !(typeof epoch === 'number' && Number.isSafeInteger(epoch) && epoch >= 0) &&
      !(typeof epoch === 'string' && /^[0-9]{1,19}$/.test(epoch))
    )
      throw ainError(ErrInvalidRequest, 'metadata.model.epoch must be a non-negative integer', { field: 'metadata.model.epoch' });
    metadata.model = {
      name: textOf(model, 'name', 'metadata.model'),
      epoch: BigInt(epoch as number | string),
      platform: textOf(model, 'platform', 'metadata.model'),
      weightsHash: textOf(model, 'weights_hash', 'metadata.model'),
      ainft: refOf(model.ainft, 'metadata.model.ainft'),
    };
  }
  const service = partOf(top.service, 'metadata.service', ['api', 'demo', 'ainft']);
  if (service)
    metadata.service = {
      api: textOf(service, 'api', 'metadata.service'),
      demo: textOf(service, 'demo', 'metadata.service'),
      ainft: refOf(service.ainft, 'metadata.service.ainft'),
    };
  validateMetadata(metadata);
  return metadata;
}
