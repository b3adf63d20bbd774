/**
 * The records ainft keeps under `/ainft` (collections, tokens, re-runs), their codec (which fields are
 * bigints), their proto forms for queries, and the small helpers every other ainft file uses: reading
 * a token or class or failing with its error, counters, and who may act on a token. It imports no
 * other ainft file but keys and errors.
 */
import { ainError, decodeRecord as decodeAny, encodeRecord, readRecord as readAny } from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';
import type { Class, Composition, JobProvenance, Metadata, Rerun, Token, TokenRef } from '../../proto/gen/ain/ainft/v1/types.ts';
import { ErrClassNotFound, ErrTokenNotFound } from './errors.ts';
import { classPath, earnedPath, operatorPath, supplyPath, type TokenKey, tokenPath } from './keys.ts';

export type { AinftContext } from './expected_keepers.ts';

export interface StoredRef {
  classId: string;
  id: string;
}

/** The AINFT schema as stored: empty fields left out. */
export interface StoredMetadata {
  data?: { hash?: string | undefined; ainft?: StoredRef | undefined } | undefined;
  model?:
    | {
        name?: string | undefined;
        epoch?: bigint | undefined;
        platform?: string | undefined;
        weightsHash?: string | undefined;
        ainft?: StoredRef | undefined;
      }
    | undefined;
  service?: { api?: string | undefined; demo?: string | undefined; ainft?: StoredRef | undefined } | undefined;
  state?: string | undefined;
}

export interface StoredChild extends StoredRef {
  weight: bigint;
}

export interface StoredComposition {
  ownerWeight: bigint;
  totalWeight: bigint;
  children: StoredChild[];
}

export interface StoredProvenance {
  jobId: bigint;
  requestId: bigint;
  client: string;
  worker: string;
  evaluator: string;
  workerCodeHash: string;
  evaluatorCodeHash: string;
  inputHashes: string[];
  resultHash: string;
  settledAt: bigint;
}

export interface StoredReproductions {
  reproduced: number;
  notReproduced: number;
  unfinished: number;
  pending: number;
}

export interface StoredToken {
  classId: string;
  id: string;
  owner: string;
  uri: string;
  uriHash: string;
  metadata: StoredMetadata;
  composition: StoredComposition;
  provenance?: StoredProvenance;
  reproduce?: { scoreField: string; tolerance: string };
  approved: string;
  minter: string;
  mintedAt: bigint;
  height: bigint;
  reproductions: StoredReproductions;
}

export interface StoredClass {
  id: string;
  name: string;
  symbol: string;
  description: string;
  uri: string;
  uriHash: string;
  creator: string;
  minters: string[];
}

export type RerunStatus = 'pending' | 'reproduced' | 'not_reproduced' | 'unfinished';

export interface StoredRerun {
  requestId: bigint;
  classId: string;
  id: string;
  payer: string;
  status: RerunStatus;
  how: string;
  resultHash: string;
  score: string;
  originalScore: string;
  requestedAt: bigint;
  settledAt: bigint;
  /**
   * The asking token as it was when it asked (a re-run is judged against it, burnt meanwhile or not).
   * Absent on re-runs recorded before re-runs kept them: those are judged against the token that asked, if it lives.
   */
  weightsHash?: string;
  fromJob?: bigint;
  reproduce?: { scoreField: string; tolerance: string };
}

const BIGINT_KEYS = new Set([
  'epoch',
  'ownerWeight',
  'totalWeight',
  'weight',
  'jobId',
  'requestId',
  'fromJob',
  'settledAt',
  'mintedAt',
  'height',
  'requestedAt',
]);

export const decodeRecord = <T>(text: string): T => decodeAny<T>(text, BIGINT_KEYS);
export const readRecord = <T>(state: ReadableState, path: string): T | undefined => readAny<T>(state, path, BIGINT_KEYS);
export const writeRecord = (state: WritableState, path: string, record: object): void => state.set(path, encodeRecord(record));

export const emptyComposition = (): StoredComposition => ({ ownerWeight: 0n, totalWeight: 0n, children: [] });
export const emptyReproductions = (): StoredReproductions => ({ reproduced: 0, notReproduced: 0, unfinished: 0, pending: 0 });

// ---- reads ----

export function getToken(state: ReadableState, key: TokenKey): StoredToken | undefined {
  return readRecord<StoredToken>(state, tokenPath(key.classId, key.id));
}

/** The token, or ainft/5 naming it (`field` says which message field named it). */
export function requireToken(state: ReadableState, key: TokenKey, field = 'id'): StoredToken {
  const token = getToken(state, key);
  if (!token) throw ainError(ErrTokenNotFound, `no token ${key.id} in class ${key.classId}`, { classId: key.classId, id: key.id, field });
  return token;
}

export function putToken(state: WritableState, token: StoredToken): void {
  writeRecord(state, tokenPath(token.classId, token.id), token);
}

export function getClass(state: ReadableState, classId: string): StoredClass | undefined {
  return readRecord<StoredClass>(state, classPath(classId));
}

export function requireClass(state: ReadableState, classId: string): StoredClass {
  const stored = getClass(state, classId);
  if (!stored) throw ainError(ErrClassNotFound, `no class ${classId}`, { classId });
  return stored;
}

export function readCount(state: ReadableState, path: string): bigint {
  const value = state.get(path);
  return typeof value === 'string' ? BigInt(value) : 0n;
}

/** Adds `delta` to a decimal counter; zero removes the leaf. */
export function addCount(state: WritableState, path: string, delta: bigint): void {
  const next = readCount(state, path) + delta;
  state.set(path, next === 0n ? null : next.toString());
}

export const supplyOf = (state: ReadableState, classId: string): bigint => readCount(state, supplyPath(classId));

export function isOperator(state: ReadableState, owner: string, operator: string): boolean {
  return state.get(operatorPath(owner, operator)) === true;
}

/** ERC-721's rule: the owner, the token's approved address, or an operator of the owner. */
export function mayActOn(state: ReadableState, token: StoredToken, signer: string): boolean {
  return signer === token.owner || (token.approved !== '' && signer === token.approved) || isOperator(state, token.owner, signer);
}

// ---- proto forms ----

const refProto = (ref: StoredRef | undefined): TokenRef | undefined => (ref ? { classId: ref.classId, id: ref.id } : undefined);

export function metadataToProto(metadata: StoredMetadata): Metadata {
  const { data, model, service } = metadata;
  return {
    data: data ? { hash: data.hash ?? '', ainft: refProto(data.ainft) } : undefined,
    model: model
      ? {
          name: model.name ?? '',
          epoch: model.epoch ?? 0n,
          platform: model.platform ?? '',
          weightsHash: model.weightsHash ?? '',
          ainft: refProto(model.ainft),
        }
      : undefined,
    service: service ? { api: service.api ?? '', demo: service.demo ?? '', ainft: refProto(service.ainft) } : undefined,
    state: metadata.state ?? '',
  };
}

const nonEmpty = <T extends object>(object: T): T | undefined =>
  Object.values(object).some((value) => value !== undefined) ? object : undefined;
const text = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);
const storedRef = (ref: TokenRef | undefined): StoredRef | undefined =>
  ref && (ref.classId !== '' || ref.id !== '') ? { classId: ref.classId, id: ref.id } : undefined;

/** The stored form of checked metadata: empty fields and empty parts left out. */
export function metadataFromProto(metadata: Metadata | undefined): StoredMetadata {
  if (!metadata) return {};
  const data = metadata.data && nonEmpty({ hash: text(metadata.data.hash), ainft: storedRef(metadata.data.ainft) });
  const model =
    metadata.model &&
    nonEmpty({
      name: text(metadata.model.name),
      epoch: metadata.model.epoch === 0n ? undefined : metadata.model.epoch,
      platform: text(metadata.model.platform),
      weightsHash: text(metadata.model.weightsHash),
      ainft: storedRef(metadata.model.ainft),
    });
  const service =
    metadata.service &&
    nonEmpty({ api: text(metadata.service.api), demo: text(metadata.service.demo), ainft: storedRef(metadata.service.ainft) });
  // Undefined parts are left out when the record is encoded.
  return { data, model, service, state: text(metadata.state) };
}

export function compositionFromProto(composition: Composition | undefined): StoredComposition {
  if (!composition) return emptyComposition();
  return {
    ownerWeight: composition.ownerWeight,
    totalWeight: composition.totalWeight,
    children: composition.children.map((child) => ({ classId: child.classId, id: child.id, weight: child.weight })),
  };
}

export function compositionToProto(composition: StoredComposition): Composition {
  return {
    ownerWeight: composition.ownerWeight,
    totalWeight: composition.totalWeight,
    children: composition.children.map((child) => ({ classId: child.classId, id: child.id, weight: child.weight })),
  };
}

export function provenanceToProto(provenance: StoredProvenance): JobProvenance {
  return { ...provenance, inputHashes: [...provenance.inputHashes] };
}

export function tokenToProto(state: ReadableState, token: StoredToken): Token {
  const r = token.reproductions;
  return {
    classId: token.classId,
    id: token.id,
    owner: token.owner,
    uri: token.uri,
    uriHash: token.uriHash,
    metadata: metadataToProto(token.metadata),
    composition: compositionToProto(token.composition),
    provenance: token.provenance ? provenanceToProto(token.provenance) : undefined,
    reproduce: token.reproduce ? { ...token.reproduce } : undefined,
    approved: token.approved,
    minter: token.minter,
    mintedAt: token.mintedAt,
    height: token.height,
    reproductions: {
      reproduced: BigInt(r.reproduced),
      notReproduced: BigInt(r.notReproduced),
      unfinished: BigInt(r.unfinished),
      pending: BigInt(r.pending),
    },
    earned: readCount(state, earnedPath(token.classId, token.id)).toString(),
  };
}

export function classToProto(state: ReadableState, stored: StoredClass): Class {
  return { ...stored, minters: [...stored.minters], supply: supplyOf(state, stored.id) };
}

export function rerunToProto(rerun: StoredRerun): Rerun {
  return {
    requestId: rerun.requestId,
    token: { classId: rerun.classId, id: rerun.id },
    payer: rerun.payer,
    status: rerun.status,
    how: rerun.how,
    resultHash: rerun.resultHash,
    score: rerun.score,
    originalScore: rerun.originalScore,
    requestedAt: rerun.requestedAt,
    settledAt: rerun.settledAt,
  };
}
