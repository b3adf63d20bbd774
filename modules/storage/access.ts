/**
 * Who may read a blob, decided by the chain. An owner's copy of a blob has one access record: public,
 * a list of grants with expiry times, or the nodes accepted on a job request (its evaluator, joined
 * workers and challenge resolver, until `request_access_seconds` after it settles). Encrypted blobs
 * carry a commitment to their data key; the owner shares the key wrapped for each reader, and the
 * chain stores a wrapped key only for a reader it admits at that moment. A test-data blob's key is
 * revealed to all only once submission of its request closed, checked against the commitment.
 */
import { createHash } from 'node:crypto';
import { ainError, decodeRecord, encodeRecord, readRecord } from '../../core/index.ts';
import type { ReadableState } from '../../core/index.ts';
import type { Request } from '../../proto/gen/ain/jobs/v1/types.ts';
import type { MsgGrant, MsgRevealKey, MsgRevoke, MsgSetAccess, MsgShareKeys } from '../../proto/gen/ain/storage/v1/tx.ts';
import { AccessKind, type BlobAccess, type WrappedKey } from '../../proto/gen/ain/storage/v1/types.ts';
import {
  ErrAccessNotFound,
  ErrInvalidStorageMsg,
  ErrKeyMismatch,
  ErrReaderNotAdmitted,
  ErrRequestNotFound,
  ErrRevealTooEarly,
  ErrTooManyGrants,
  ErrUnauthorized,
} from './errors.ts';
import { accessGrantedEvent, accessRevokedEvent, accessSetEvent, keyRevealedEvent, keysSharedEvent } from './events.ts';
import type { JobsKeeper, StorageContext } from './expected_keepers.ts';
import { accessPath, keyPath } from './keys.ts';
import type { StorageParams } from './params.ts';

export type KindName = 'public' | 'list' | 'request';

export interface StoredGrant {
  address: string;
  expiresAt: bigint;
}

export interface StoredAccess {
  hash: string;
  owner: string;
  kind: KindName;
  requestId: bigint;
  grants: StoredGrant[];
  encrypted: boolean;
  keyCommitment: string;
  testData: boolean;
  provider: string;
  revealedKey: string;
  updatedAt: bigint;
}

export interface StoredKey {
  wrapped: string;
  sharedAt: bigint;
}

const ACCESS_BIGINTS = new Set(['requestId', 'expiresAt', 'updatedAt']);
const KEY_BIGINTS = new Set(['sharedAt']);
/** Statuses of a request whose submission is still open. */
const SUBMISSION_OPEN = new Set(['open', 'running']);

export const kindName = (kind: AccessKind): KindName =>
  kind === AccessKind.ACCESS_KIND_PUBLIC ? 'public' : kind === AccessKind.ACCESS_KIND_LIST ? 'list' : 'request';
const kindOf = (name: KindName): AccessKind =>
  name === 'public' ? AccessKind.ACCESS_KIND_PUBLIC : name === 'list' ? AccessKind.ACCESS_KIND_LIST : AccessKind.ACCESS_KIND_REQUEST;

/**
 * The commitment to a data key that an access record carries: sha256 hex of
 * `"ain.storage.v1.key\n"` and the 32 key bytes.
 * @example keyCommitment(new Uint8Array(32)) // 64 hex characters
 */
export function keyCommitment(key: Uint8Array): string {
  return createHash('sha256').update('ain.storage.v1.key\n').update(key).digest('hex');
}

export function getAccess(state: ReadableState, hash: string, owner: string): StoredAccess | undefined {
  return readRecord<StoredAccess>(state, accessPath(hash, owner), ACCESS_BIGINTS);
}

function requireOwned(ctx: StorageContext, hash: string, owner: string): StoredAccess {
  const access = getAccess(ctx.state, hash, owner);
  if (!access) throw ainError(ErrAccessNotFound, `${owner} set no access for blob ${hash}; send MsgSetAccess first`);
  return access;
}

const putAccess = (ctx: StorageContext, access: StoredAccess) => ctx.state.set(accessPath(access.hash, access.owner), encodeRecord(access));

/** MsgSetAccess: sets (or replaces) who may read the signer's copy of a blob. Wrapped keys stay. */
export function setAccess(ctx: StorageContext, jobs: JobsKeeper, params: StorageParams, msg: MsgSetAccess): void {
  if (msg.grants.length > params.maxGrants)
    throw ainError(ErrTooManyGrants, `${msg.grants.length} grants; max_grants is ${params.maxGrants}`);
  const kind = kindName(msg.kind);
  if (kind === 'request') {
    const request = jobs.getRequest(ctx.state, msg.requestId);
    if (!request) throw ainError(ErrRequestNotFound, `no job request ${msg.requestId}`);
    if (request.client !== msg.signer)
      throw ainError(ErrUnauthorized, `request ${msg.requestId} is ${request.client}'s; only its client binds blobs to it`);
  }
  const existing = getAccess(ctx.state, msg.hash, msg.signer);
  putAccess(ctx, {
    hash: msg.hash,
    owner: msg.signer,
    kind,
    requestId: msg.requestId,
    grants: msg.grants.map((g) => ({ address: g.address, expiresAt: g.expiresAt })),
    encrypted: msg.encrypted,
    keyCommitment: msg.keyCommitment,
    testData: msg.testData,
    provider: msg.provider,
    revealedKey: existing?.keyCommitment === msg.keyCommitment ? (existing?.revealedKey ?? '') : '',
    updatedAt: ctx.blockTimeSeconds,
  });
  ctx.events.emit(accessSetEvent({ hash: msg.hash, owner: msg.signer, kind, requestId: msg.requestId, encrypted: msg.encrypted }));
}

/** MsgGrant: adds grants or moves their expiry. */
export function grant(ctx: StorageContext, params: StorageParams, msg: MsgGrant): void {
  const access = requireOwned(ctx, msg.hash, msg.signer);
  const byAddress = new Map(access.grants.map((g) => [g.address, g]));
  for (const g of msg.grants) byAddress.set(g.address, { address: g.address, expiresAt: g.expiresAt });
  if (byAddress.size > params.maxGrants) throw ainError(ErrTooManyGrants, `${byAddress.size} grants; max_grants is ${params.maxGrants}`);
  access.grants = [...byAddress.values()].sort((a, b) => (a.address < b.address ? -1 : 1));
  access.updatedAt = ctx.blockTimeSeconds;
  putAccess(ctx, access);
  ctx.events.emit(accessGrantedEvent({ hash: msg.hash, owner: msg.signer, addresses: msg.grants.map((g) => g.address) }));
}

/** MsgRevoke: removes grants and the keys shared with those readers (what they already fetched stays theirs). */
export function revoke(ctx: StorageContext, msg: MsgRevoke): void {
  const access = requireOwned(ctx, msg.hash, msg.signer);
  access.grants = access.grants.filter((g) => !msg.addresses.includes(g.address));
  access.updatedAt = ctx.blockTimeSeconds;
  putAccess(ctx, access);
  for (const address of msg.addresses) ctx.state.set(keyPath(msg.hash, msg.signer, address), null);
  ctx.events.emit(accessRevokedEvent({ hash: msg.hash, owner: msg.signer, addresses: [...msg.addresses] }));
}

/** A request's accepted readers: its evaluator, the workers that joined, and the resolver of a challenge. */
function acceptedOn(request: Request): string[] {
  const readers = request.results.map((r) => r.worker);
  if (request.evaluator !== '') readers.push(request.evaluator);
  if (request.resolver !== '') readers.push(request.resolver);
  return readers;
}

export interface ReadDecision {
  readonly allowed: boolean;
  readonly reason: string;
  /** Unix seconds the access ends (0: no end). */
  readonly expiresAt: bigint;
}

/**
 * Whether `reader` may read `owner`'s copy of `hash` at `time` (Unix seconds; 0 ignores ends), and
 * why. The owner always may; no record means nobody else may.
 */
export function canRead(
  state: ReadableState,
  jobs: JobsKeeper,
  params: StorageParams,
  hash: string,
  owner: string,
  reader: string,
  time: bigint,
): ReadDecision {
  if (reader === owner) return { allowed: true, reason: `${reader} owns the blob`, expiresAt: 0n };
  const access = getAccess(state, hash, owner);
  if (!access) return { allowed: false, reason: `${owner} set no access for blob ${hash}: only the owner reads it`, expiresAt: 0n };
  if (access.kind === 'public') return { allowed: true, reason: 'the blob is public', expiresAt: 0n };
  const found = access.grants.find((g) => g.address === reader);
  if (found) {
    if (found.expiresAt !== 0n && time !== 0n && time >= found.expiresAt)
      return { allowed: false, reason: `the grant of ${reader} expired at ${found.expiresAt} (now ${time})`, expiresAt: found.expiresAt };
    return { allowed: true, reason: `${reader} holds a grant`, expiresAt: found.expiresAt };
  }
  if (access.kind === 'list') return { allowed: false, reason: `${reader} holds no grant on blob ${hash}`, expiresAt: 0n };
  const request = jobs.getRequest(state, access.requestId);
  if (!request) return { allowed: false, reason: `job request ${access.requestId} does not exist`, expiresAt: 0n };
  if (!acceptedOn(request).includes(reader))
    return {
      allowed: false,
      reason: `${reader} is not accepted on job request ${access.requestId} (not its evaluator, a joined worker or its resolver)`,
      expiresAt: 0n,
    };
  const expiresAt = request.settledAt === 0n ? 0n : request.settledAt + params.requestAccessSeconds;
  if (expiresAt !== 0n && time !== 0n && time >= expiresAt)
    return { allowed: false, reason: `access through job request ${access.requestId} ended at ${expiresAt} (now ${time})`, expiresAt };
  return { allowed: true, reason: `${reader} is accepted on job request ${access.requestId}`, expiresAt };
}

/** MsgShareKeys: stores the data key wrapped for each reader the chain admits now. */
export function shareKeys(ctx: StorageContext, jobs: JobsKeeper, params: StorageParams, msg: MsgShareKeys): void {
  const access = requireOwned(ctx, msg.hash, msg.signer);
  if (!access.encrypted)
    throw ainError(ErrInvalidStorageMsg, `blob ${msg.hash} is not marked encrypted; there is no key to share`, { field: 'hash' });
  for (const key of msg.keys) {
    const decision = canRead(ctx.state, jobs, params, msg.hash, msg.signer, key.reader, ctx.blockTimeSeconds);
    if (!decision.allowed || key.reader === msg.signer)
      throw ainError(ErrReaderNotAdmitted, `cannot share the key of ${msg.hash} with ${key.reader}: ${decision.reason}`);
    ctx.state.set(keyPath(msg.hash, msg.signer, key.reader), encodeRecord({ wrapped: key.wrapped, sharedAt: ctx.blockTimeSeconds }));
  }
  ctx.events.emit(keysSharedEvent({ hash: msg.hash, owner: msg.signer, readers: msg.keys.map((k) => k.reader) }));
}

/** MsgRevealKey: a test-data blob's key, public once submission of its request closed. */
export function revealKey(ctx: StorageContext, jobs: JobsKeeper, msg: MsgRevealKey): void {
  const access = requireOwned(ctx, msg.hash, msg.signer);
  if (!access.testData || access.kind !== 'request')
    throw ainError(ErrInvalidStorageMsg, `blob ${msg.hash} is not the test data of a job request; its key is shared per reader`, {
      field: 'hash',
    });
  const request = jobs.getRequest(ctx.state, access.requestId);
  if (!request) throw ainError(ErrRequestNotFound, `no job request ${access.requestId}`);
  if (SUBMISSION_OPEN.has(request.status))
    throw ainError(ErrRevealTooEarly, `job request ${access.requestId} is ${request.status}; reveal the test key after submission closes`);
  if (keyCommitment(Buffer.from(msg.key, 'hex')) !== access.keyCommitment)
    throw ainError(ErrKeyMismatch, `the key does not hash to the commitment ${access.keyCommitment} set for blob ${msg.hash}`);
  access.revealedKey = msg.key;
  access.updatedAt = ctx.blockTimeSeconds;
  putAccess(ctx, access);
  ctx.events.emit(keyRevealedEvent({ hash: msg.hash, owner: msg.signer, requestId: access.requestId }));
}

/** The key wrapped for `reader`, if shared. */
export function getWrappedKey(state: ReadableState, hash: string, owner: string, reader: string): WrappedKey | undefined {
  const text = state.get(keyPath(hash, owner, reader));
  if (typeof text !== 'string') return undefined;
  const stored = decodeRecord<StoredKey>(text, KEY_BIGINTS);
  return { reader, wrapped: stored.wrapped, sharedAt: stored.sharedAt };
}

export function accessToProto(a: StoredAccess): BlobAccess {
  return {
    hash: a.hash,
    owner: a.owner,
    kind: kindOf(a.kind),
    requestId: a.requestId,
    grants: a.grants.map((g) => ({ address: g.address, expiresAt: g.expiresAt })),
    encrypted: a.encrypted,
    keyCommitment: a.keyCommitment,
    testData: a.testData,
    provider: a.provider,
    revealedKey: a.revealedKey,
    updatedAt: a.updatedAt,
  };
}
