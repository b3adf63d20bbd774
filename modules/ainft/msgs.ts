/**
 * Stateless checks (`validateBasic`) of the ainft messages, and of the AINFT schema and compositions
 * they carry: every refusal names the field (`metadata.model.weights_hash`, `composition.children[1]`).
 * Checks that need state (the class, the tokens named, the job) are the keeper's.
 */
import { ainError, parseAddress, parseAmount, decFromText } from '../../core/index.ts';
import type {
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
} from '../../proto/gen/ain/ainft/v1/tx.ts';
import type { Composition, Metadata, ReproducePolicy, TokenRef } from '../../proto/gen/ain/ainft/v1/types.ts';
import { normalizePath } from '../../tree/index.ts';
import { ErrCompositionCycle, ErrInvalidAinftMsg, ErrInvalidComposition, ErrInvalidMetadata } from './errors.ts';
import type { TokenKey } from './keys.ts';

/** Class and token ids: the SDK's x/nft pattern without `/` (an id is one label of the state tree). */
export const ID_PATTERN = /^[a-zA-Z][a-zA-Z0-9:._-]{2,100}$/;
export const HASH_PATTERN = /^[0-9a-f]{64}$/;
/** A payment's kind: service, tip, licence, ... */
export const KIND_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
const SCORE_FIELD_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_MINTERS = 32;
/** Most children a message may list (the param `max_children` may allow fewer). */
export const MAX_CHILDREN_BOUND = 64;
/** Largest share weight; sums of 64 of them stay far below 2^64. */
export const MAX_WEIGHT = 1_000_000_000_000n;
/** Most labels of a token's state path (`/apps/<app>/...`). */
export const MAX_STATE_LABELS = 20;
const MAX_SHORT = 128;
const MAX_URI = 512;
const MAX_DESCRIPTION = 1024;
const MAX_MEMO = 256;

const invalid = (detail: string, field: string): never => {
  throw ainError(ErrInvalidAinftMsg, detail, { field });
};
const badMetadata = (detail: string, field: string): never => {
  throw ainError(ErrInvalidMetadata, `${field}: ${detail}`, { field });
};
const badComposition = (detail: string, field: string): never => {
  throw ainError(ErrInvalidComposition, `${field}: ${detail}`, { field });
};

export function checkId(id: string, field: string): void {
  if (!ID_PATTERN.test(id)) invalid(`${field} ${JSON.stringify(id.slice(0, 120))} must match ${ID_PATTERN.source}`, field);
}

function checkText(text: string, max: number, field: string, fail = invalid): void {
  if (text.length > max) fail(`${field} is ${text.length} characters; at most ${max}`, field);
  // Printable text only: these fields end up in events and explorers.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) fail(`${field} holds a control character at ${i}`, field);
  }
}

function checkRef(ref: TokenRef, field: string, fail = invalid): void {
  if (!ID_PATTERN.test(ref.classId))
    fail(`class_id ${JSON.stringify(ref.classId.slice(0, 120))} must match ${ID_PATTERN.source}`, `${field}.class_id`);
  if (!ID_PATTERN.test(ref.id)) fail(`id ${JSON.stringify(ref.id.slice(0, 120))} must match ${ID_PATTERN.source}`, `${field}.id`);
}

function checkAddressList(list: readonly string[], max: number, field: string): void {
  if (list.length > max) invalid(`${field} lists ${list.length} addresses; at most ${max}`, field);
  const seen = new Set<string>();
  list.forEach((address, i) => {
    parseAddress(address, `${field}[${i}]`);
    if (seen.has(address)) invalid(`${field}[${i}] ${address} is listed twice`, field);
    seen.add(address);
  });
}

/**
 * A token's state path: canonical, under `/apps/<app>`, no `$` label, at most {@link MAX_STATE_LABELS}
 * labels. Returns the canonical form.
 */
export function parseStatePath(path: string, field: string): string {
  let canonical: string;
  try {
    canonical = normalizePath(path);
  } catch (cause) {
    return badMetadata(`${JSON.stringify(path.slice(0, 120))} is not a state path (${(cause as Error).message})`, field);
  }
  if (canonical !== path) badMetadata(`${JSON.stringify(path.slice(0, 120))} is not canonical; write ${canonical}`, field);
  const labels = canonical.split('/').slice(1);
  if (labels.length < 2 || labels[0] !== 'apps') badMetadata(`${canonical} is not under /apps/<app>`, field);
  if (labels.length > MAX_STATE_LABELS) badMetadata(`${canonical} has ${labels.length} labels; at most ${MAX_STATE_LABELS}`, field);
  if (labels.some((label) => label.startsWith('$'))) badMetadata(`${canonical} has a label starting with '$'`, field);
  return canonical;
}

/**
 * The AINFT schema: `data` a Big Storage hash or another AINFT; `model` (name, epoch, platform,
 * weights hash) or another AINFT; `service` (api, demo) or another AINFT; `state` a path under /apps.
 * @throws AinError ainft/2 naming the field
 */
export function validateMetadata(metadata: Metadata | undefined, field = 'metadata'): void {
  if (!metadata) return;
  const { data, model, service } = metadata;
  if (data) {
    if (data.hash !== '' && data.ainft) badMetadata('give a hash or an ainft, not both', `${field}.data`);
    if (data.hash !== '' && !HASH_PATTERN.test(data.hash))
      badMetadata(`${JSON.stringify(data.hash.slice(0, 80))} is not a sha256 hash (64 lowercase hex)`, `${field}.data.hash`);
    if (data.ainft) checkRef(data.ainft, `${field}.data.ainft`, badMetadata);
  }
  if (model) {
    const inline = model.name !== '' || model.epoch !== 0n || model.platform !== '' || model.weightsHash !== '';
    if (inline && model.ainft) badMetadata('give name, epoch, platform and weights_hash, or an ainft, not both', `${field}.model`);
    checkText(model.name, MAX_SHORT, `${field}.model.name`, badMetadata);
    checkText(model.platform, MAX_SHORT, `${field}.model.platform`, badMetadata);
    if (model.weightsHash !== '' && !HASH_PATTERN.test(model.weightsHash))
      badMetadata(
        `${JSON.stringify(model.weightsHash.slice(0, 80))} is not a sha256 hash (64 lowercase hex)`,
        `${field}.model.weights_hash`,
      );
    if (model.ainft) checkRef(model.ainft, `${field}.model.ainft`, badMetadata);
  }
  if (service) {
    if ((service.api !== '' || service.demo !== '') && service.ainft)
      badMetadata('give api and demo, or an ainft, not both', `${field}.service`);
    checkText(service.api, MAX_URI, `${field}.service.api`, badMetadata);
    checkText(service.demo, MAX_URI, `${field}.service.demo`, badMetadata);
    if (service.ainft) checkRef(service.ainft, `${field}.service.ainft`, badMetadata);
  }
  if (metadata.state !== '') parseStatePath(metadata.state, `${field}.state`);
}

/**
 * A composition: children named once each, not the token itself, weights 1..{@link MAX_WEIGHT}, and
 * total_weight = owner_weight + the children's weights (a payment needs total_weight > 0 with children).
 * @throws AinError ainft/8 naming the field, ainft/9 for the token itself
 */
export function validateComposition(composition: Composition | undefined, self: TokenKey, field = 'composition'): void {
  if (!composition) return;
  const { children } = composition;
  if (children.length > MAX_CHILDREN_BOUND)
    badComposition(`${children.length} children; at most ${MAX_CHILDREN_BOUND}`, `${field}.children`);
  if (composition.ownerWeight > MAX_WEIGHT)
    badComposition(`owner_weight ${composition.ownerWeight} exceeds ${MAX_WEIGHT}`, `${field}.owner_weight`);
  const seen = new Set<string>();
  let sum = composition.ownerWeight;
  children.forEach((child, i) => {
    const at = `${field}.children[${i}]`;
    checkRef(child, at, badComposition);
    const key = `${child.classId}/${child.id}`;
    if (child.classId === self.classId && child.id === self.id)
      throw ainError(ErrCompositionCycle, `${at}: ${key} is the token itself`, { field: at });
    if (seen.has(key)) badComposition(`${key} is listed twice`, at);
    seen.add(key);
    if (child.weight === 0n || child.weight > MAX_WEIGHT)
      badComposition(`weight ${child.weight} must be in [1, ${MAX_WEIGHT}]`, `${at}.weight`);
    sum += child.weight;
  });
  if (sum !== composition.totalWeight)
    badComposition(
      `owner_weight ${composition.ownerWeight} + children's weights ${sum - composition.ownerWeight} = ${sum}, not the declared ${composition.totalWeight}`,
      `${field}.total_weight`,
    );
}

function validateReproduce(reproduce: ReproducePolicy | undefined, field: string): void {
  if (!reproduce || (reproduce.scoreField === '' && reproduce.tolerance === '')) return;
  if (!SCORE_FIELD_PATTERN.test(reproduce.scoreField))
    invalid(
      `score_field ${JSON.stringify(reproduce.scoreField.slice(0, 80))} must match ${SCORE_FIELD_PATTERN.source}`,
      `${field}.score_field`,
    );
  try {
    decFromText(reproduce.tolerance, `${field}.tolerance`);
  } catch {
    invalid(
      `tolerance ${JSON.stringify(reproduce.tolerance.slice(0, 80))} must be a decimal >= 0 with at most 18 fraction digits`,
      `${field}.tolerance`,
    );
  }
}

function checkToken(msg: { classId: string; id: string }): void {
  checkId(msg.classId, 'class_id');
  checkId(msg.id, 'id');
}

export function validateMsgCreateClass(msg: MsgCreateClass): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.id, 'id');
  checkText(msg.name, MAX_SHORT, 'name');
  checkText(msg.symbol, MAX_SHORT, 'symbol');
  checkText(msg.description, MAX_DESCRIPTION, 'description');
  checkText(msg.uri, MAX_URI, 'uri');
  checkText(msg.uriHash, MAX_SHORT, 'uri_hash');
  checkAddressList(msg.minters, MAX_MINTERS, 'minters');
}

export function validateMsgSetMinters(msg: MsgSetMinters): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.classId, 'class_id');
  checkAddressList(msg.minters, MAX_MINTERS, 'minters');
}

export function validateMsgMint(msg: MsgMint): void {
  parseAddress(msg.signer, 'signer');
  checkToken(msg);
  if (msg.owner !== '') parseAddress(msg.owner, 'owner');
  checkText(msg.uri, MAX_URI, 'uri');
  checkText(msg.uriHash, MAX_SHORT, 'uri_hash');
  validateMetadata(msg.metadata);
  validateComposition(msg.composition, msg);
  validateReproduce(msg.reproduce, 'reproduce');
  if (msg.fromJob !== 0n && (msg.metadata?.model?.weightsHash ?? '') === '')
    badMetadata('a token minted from a job names its weights hash (the hash of the accepted result)', 'metadata.model.weights_hash');
  if (msg.fromJob === 0n && msg.reproduce && msg.reproduce.scoreField !== '')
    invalid('a reproduce policy needs from_job: only a token minted from a job can be re-run', 'reproduce');
}

export function validateMsgTransfer(msg: MsgTransfer): void {
  parseAddress(msg.signer, 'signer');
  checkToken(msg);
  parseAddress(msg.receiver, 'receiver');
}

export function validateMsgApprove(msg: MsgApprove): void {
  parseAddress(msg.signer, 'signer');
  checkToken(msg);
  parseAddress(msg.spender, 'spender');
}

export function validateMsgSetApprovalForAll(msg: MsgSetApprovalForAll): void {
  parseAddress(msg.signer, 'signer');
  parseAddress(msg.operator, 'operator');
  if (msg.operator === msg.signer) invalid('operator is the signer itself', 'operator');
}

export function validateMsgRevoke(msg: MsgRevoke): void {
  parseAddress(msg.signer, 'signer');
  checkToken(msg);
}

export function validateMsgBurn(msg: MsgBurn): void {
  parseAddress(msg.signer, 'signer');
  checkToken(msg);
}

export function validateMsgSetComposition(msg: MsgSetComposition): void {
  parseAddress(msg.signer, 'signer');
  checkToken(msg);
  validateComposition(msg.composition, msg);
}

export function validateMsgRequestRerun(msg: MsgRequestRerun): void {
  parseAddress(msg.signer, 'signer');
  checkToken(msg);
  if (parseAmount(msg.workerReward, 'worker_reward') === 0n) invalid('worker_reward must be positive', 'worker_reward');
  if (msg.evaluatorReward !== '') parseAmount(msg.evaluatorReward, 'evaluator_reward');
  if (msg.evaluatorDeposit !== '') parseAmount(msg.evaluatorDeposit, 'evaluator_deposit');
  if (msg.timeLimitSeconds === 0n) invalid('time_limit_seconds must be positive', 'time_limit_seconds');
  checkAddressList(msg.evaluators, 32, 'evaluators');
  checkAddressList(msg.workers, 32, 'workers');
}

export function validateMsgPay(msg: MsgPay): void {
  parseAddress(msg.signer, 'signer');
  checkToken(msg);
  if (parseAmount(msg.amount, 'amount') === 0n) invalid('amount must be positive', 'amount');
  if (!KIND_PATTERN.test(msg.kind)) invalid(`kind ${JSON.stringify(msg.kind.slice(0, 40))} must match ${KIND_PATTERN.source}`, 'kind');
  checkText(msg.memo, MAX_MEMO, 'memo');
}
