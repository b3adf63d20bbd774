/**
 * Collections and tokens as wallets know them (ERC-721 and Cosmos x/nft): create a class and set its
 * minters; mint (by a minter, optionally from a job's accepted result); transfer by the owner, the
 * approved address or an operator; approve, approve for all, revoke; burn a token nobody uses. A
 * token's state path is handed to its owner through the state tree's owner configs at mint and moves
 * with it on transfer.
 */
import { ainError, canonicalJson } from '../../core/index.ts';
import type {
  MsgApprove,
  MsgBurn,
  MsgCreateClass,
  MsgMint,
  MsgRevoke,
  MsgSetApprovalForAll,
  MsgSetMinters,
  MsgTransfer,
} from '../../proto/gen/ain/ainft/v1/tx.ts';
import { checkReferences, describeChildren, isUsed, removeEdges, writeEdges } from './composition.ts';
import type { AinftEnv } from './env.ts';
import { ErrClassExists, ErrInvalidAinftMsg, ErrStatePathTaken, ErrTokenExists, ErrTokenInUse, ErrUnauthorized } from './errors.ts';
import {
  approvalForAllEvent,
  approvedEvent,
  burnedEvent,
  classCreatedEvent,
  mintedEvent,
  mintersSetEvent,
  revokedEvent,
  transferredEvent,
} from './events.ts';
import {
  balancePath,
  byHashPath,
  byRequestPath,
  byStatePath,
  classPath,
  earnedPath,
  operatorPath,
  ownedPath,
  supplyPath,
  tokenLabel,
  tokenPath,
  tokenRerunsPath,
} from './keys.ts';
import type { AinftParams } from './params.ts';
import { provenanceFromJob } from './provenance.ts';
import {
  type AinftContext,
  addCount,
  compositionFromProto,
  emptyReproductions,
  getClass,
  getToken,
  isOperator,
  mayActOn,
  metadataFromProto,
  putToken,
  requireClass,
  requireToken,
  type StoredToken,
  writeRecord,
} from './records.ts';

/** Most owner configs below a token's state path that a transfer clears (more: the transfer is refused). */
export const MAX_OWNER_CONFIGS_BELOW = 100;

const OWNER_PERMISSIONS = { branch_owner: true, write_function: true, write_owner: true, write_rule: true } as const;

/** The owner config giving `owner` every permission at a token's state path. */
export const ownerConfigText = (owner: string): string => canonicalJson({ owners: { [owner]: OWNER_PERMISSIONS } });

function refuseModuleAccount(env: AinftEnv, address: string, field: string): void {
  if (env.moduleAccounts.has(address))
    throw ainError(ErrInvalidAinftMsg, `${field} ${address} is a module account; a token there could never move again`, { field });
}

export function createClass(ctx: AinftContext, msg: MsgCreateClass): void {
  if (getClass(ctx.state, msg.id)) throw ainError(ErrClassExists, `class ${msg.id} exists`, { classId: msg.id });
  const minters = msg.minters.length > 0 ? [...msg.minters] : [msg.signer];
  writeRecord(ctx.state, classPath(msg.id), {
    id: msg.id,
    name: msg.name,
    symbol: msg.symbol,
    description: msg.description,
    uri: msg.uri,
    uriHash: msg.uriHash,
    creator: msg.signer,
    minters,
  });
  ctx.events.emit(classCreatedEvent({ classId: msg.id, creator: msg.signer, minters }));
}

export function setMinters(ctx: AinftContext, msg: MsgSetMinters): void {
  const stored = requireClass(ctx.state, msg.classId);
  if (msg.signer !== stored.creator)
    throw ainError(ErrUnauthorized, `only class ${msg.classId}'s creator ${stored.creator} sets its minters`);
  stored.minters = msg.minters.length > 0 ? [...msg.minters] : [stored.creator];
  writeRecord(ctx.state, classPath(msg.classId), stored);
  ctx.events.emit(mintersSetEvent({ classId: msg.classId, minters: stored.minters }));
}

/**
 * Hands a state path to a new token's owner: no other token's path lies at, above or below it, no
 * owner config lies below it, and the minter may set its owner config (as MsgSetOwner would let it).
 * @throws AinError ainft/15, state/7 when the minter may not
 */
function claimStatePath(ctx: AinftContext, env: AinftEnv, token: StoredToken, minter: string): void {
  const path = token.metadata.state!;
  const labels = path.split('/').slice(1);
  for (let depth = 2; depth <= labels.length; depth++) {
    const holder = ctx.state.get(byStatePath(`/${labels.slice(0, depth).join('/')}`));
    if (typeof holder === 'string')
      throw ainError(ErrStatePathTaken, `metadata.state ${path}: token ${holder} holds /${labels.slice(0, depth).join('/')}`, {
        field: 'metadata.state',
      });
  }
  const below = ctx.state.list(byStatePath(path), 1);
  if (below.length > 0)
    throw ainError(ErrStatePathTaken, `metadata.state ${path}: token ${String(below[0]![1])} holds a path below it`, {
      field: 'metadata.state',
    });
  const configs = env.state.ownerConfigsUnder(ctx.state, path, 1);
  if (configs.length > 0)
    throw ainError(
      ErrStatePathTaken,
      `metadata.state ${path}: an owner config at ${configs[0]} lies below it; a token governs its whole subtree`,
      {
        field: 'metadata.state',
      },
    );
  env.state.setOwner(ctx, minter, path, ownerConfigText(token.owner));
  ctx.state.set(byStatePath(path), tokenLabel(token));
}

/**
 * MsgMint: by a minter of the class; the id is new; the children and referred tokens exist; from a
 * job, the signer's own completed request whose accepted result is the weights hash.
 */
export function mint(ctx: AinftContext, env: AinftEnv, msg: MsgMint, params: AinftParams): void {
  const stored = requireClass(ctx.state, msg.classId);
  if (!stored.minters.includes(msg.signer))
    throw ainError(ErrUnauthorized, `${msg.signer} is not a minter of class ${msg.classId} (${stored.minters.join(', ')})`);
  if (getToken(ctx.state, msg)) throw ainError(ErrTokenExists, `token ${msg.id} exists in class ${msg.classId}`);
  const owner = msg.owner === '' ? msg.signer : msg.owner;
  refuseModuleAccount(env, owner, 'owner');
  const metadata = metadataFromProto(msg.metadata);
  const composition = compositionFromProto(msg.composition);
  checkReferences(ctx.state, metadata, composition, params);
  const provenance =
    msg.fromJob === 0n ? undefined : provenanceFromJob(ctx.state, env.jobs, msg.signer, msg.fromJob, metadata.model?.weightsHash ?? '');
  const reproduce = msg.reproduce && msg.reproduce.scoreField !== '' ? { ...msg.reproduce } : undefined;
  const token: StoredToken = {
    classId: msg.classId,
    id: msg.id,
    owner,
    uri: msg.uri,
    uriHash: msg.uriHash,
    metadata,
    composition,
    ...(provenance ? { provenance } : {}),
    ...(reproduce ? { reproduce } : {}),
    approved: '',
    minter: msg.signer,
    mintedAt: ctx.blockTimeSeconds,
    height: ctx.height,
    reproductions: emptyReproductions(),
  };
  if (metadata.state !== undefined) claimStatePath(ctx, env, token, msg.signer);
  putToken(ctx.state, token);
  ctx.state.set(ownedPath(owner, token.classId, token.id), true);
  addCount(ctx.state, balancePath(owner, token.classId), 1n);
  addCount(ctx.state, supplyPath(token.classId), 1n);
  writeEdges(ctx.state, token);
  if (metadata.data?.hash) ctx.state.set(byHashPath(metadata.data.hash, token, 'data'), true);
  if (metadata.model?.weightsHash) ctx.state.set(byHashPath(metadata.model.weightsHash, token, 'weights'), true);
  if (provenance) ctx.state.set(byRequestPath(provenance.requestId), tokenLabel(token));
  ctx.events.emit(
    mintedEvent({
      classId: token.classId,
      id: token.id,
      owner,
      minter: msg.signer,
      fromJob: msg.fromJob,
      dataHash: metadata.data?.hash ?? '',
      weightsHash: metadata.model?.weightsHash ?? '',
      state: metadata.state ?? '',
      children: describeChildren(composition),
    }),
  );
}

/** Moves a token's ownership records from its owner to `to`. */
function moveOwnership(ctx: AinftContext, token: StoredToken, to: string): void {
  ctx.state.set(ownedPath(token.owner, token.classId, token.id), null);
  addCount(ctx.state, balancePath(token.owner, token.classId), -1n);
  ctx.state.set(ownedPath(to, token.classId, token.id), true);
  addCount(ctx.state, balancePath(to, token.classId), 1n);
  token.owner = to;
}

/** MsgTransfer: by the owner, the approved address or an operator; the approval is cleared; the state path moves. */
export function transfer(ctx: AinftContext, env: AinftEnv, msg: MsgTransfer): void {
  const token = requireToken(ctx.state, msg);
  if (!mayActOn(ctx.state, token, msg.signer))
    throw ainError(
      ErrUnauthorized,
      `${msg.signer} is not the owner of ${tokenLabel(token)}, its approved address or an operator of ${token.owner}`,
    );
  if (msg.receiver === token.owner)
    throw ainError(ErrInvalidAinftMsg, `${msg.receiver} already owns ${tokenLabel(token)}`, { field: 'receiver' });
  refuseModuleAccount(env, msg.receiver, 'receiver');
  const sender = token.owner;
  moveOwnership(ctx, token, msg.receiver);
  token.approved = '';
  putToken(ctx.state, token);
  if (token.metadata.state !== undefined)
    env.state.assignOwner(ctx, token.metadata.state, msg.receiver, env.moduleAddress, MAX_OWNER_CONFIGS_BELOW);
  ctx.events.emit(transferredEvent({ classId: token.classId, id: token.id, sender, receiver: msg.receiver, by: msg.signer }));
}

function requireOwnerOrOperator(ctx: AinftContext, token: StoredToken, signer: string): void {
  if (signer !== token.owner && !isOperator(ctx.state, token.owner, signer))
    throw ainError(ErrUnauthorized, `${signer} neither owns ${tokenLabel(token)} nor operates for its owner ${token.owner}`);
}

export function approve(ctx: AinftContext, msg: MsgApprove): void {
  const token = requireToken(ctx.state, msg);
  requireOwnerOrOperator(ctx, token, msg.signer);
  if (msg.spender === token.owner)
    throw ainError(ErrInvalidAinftMsg, `spender ${msg.spender} owns ${tokenLabel(token)}`, { field: 'spender' });
  token.approved = msg.spender;
  putToken(ctx.state, token);
  ctx.events.emit(approvedEvent({ classId: token.classId, id: token.id, owner: token.owner, spender: msg.spender }));
}

export function setApprovalForAll(ctx: AinftContext, msg: MsgSetApprovalForAll): void {
  ctx.state.set(operatorPath(msg.signer, msg.operator), msg.approved ? true : null);
  ctx.events.emit(approvalForAllEvent({ owner: msg.signer, operator: msg.operator, approved: msg.approved }));
}

export function revoke(ctx: AinftContext, msg: MsgRevoke): void {
  const token = requireToken(ctx.state, msg);
  requireOwnerOrOperator(ctx, token, msg.signer);
  token.approved = '';
  putToken(ctx.state, token);
  ctx.events.emit(revokedEvent({ classId: token.classId, id: token.id, owner: token.owner }));
}

/**
 * MsgBurn: by the owner, the approved address or an operator, of a token no other token composes or
 * refers to. Its records and indexes go; its state path stays with its last owner; re-run records stay.
 * @throws AinError ainft/11 when in use
 */
export function burn(ctx: AinftContext, msg: MsgBurn): void {
  const token = requireToken(ctx.state, msg);
  if (!mayActOn(ctx.state, token, msg.signer))
    throw ainError(
      ErrUnauthorized,
      `${msg.signer} is not the owner of ${tokenLabel(token)}, its approved address or an operator of ${token.owner}`,
    );
  if (isUsed(ctx.state, token))
    throw ainError(
      ErrTokenInUse,
      `${tokenLabel(token)} is composed or referred to by other tokens (see the Parents query); they must let go first`,
    );
  const state = ctx.state;
  state.set(tokenPath(token.classId, token.id), null);
  state.set(ownedPath(token.owner, token.classId, token.id), null);
  addCount(state, balancePath(token.owner, token.classId), -1n);
  addCount(state, supplyPath(token.classId), -1n);
  state.set(earnedPath(token.classId, token.id), null);
  removeEdges(state, token);
  const { metadata, provenance } = token;
  if (metadata.data?.hash) state.set(byHashPath(metadata.data.hash, token, 'data'), null);
  if (metadata.model?.weightsHash) state.set(byHashPath(metadata.model.weightsHash, token, 'weights'), null);
  if (provenance) state.set(byRequestPath(provenance.requestId), null);
  if (metadata.state !== undefined) state.set(byStatePath(metadata.state), null);
  for (const [path] of state.list(tokenRerunsPath(token.classId, token.id), 100_000)) state.set(path, null);
  ctx.events.emit(burnedEvent({ classId: token.classId, id: token.id, owner: token.owner, by: msg.signer }));
}
