/**
 * How tokens refer to each other: a token's children (its composition, with share weights) and its
 * metadata references (data, model or service given as another AINFT). Both are kept as edges from
 * the referred token up to the referring one (`/ainft/parents/...`), so a token that others use
 * cannot be burnt and the Parents query walks up. Also: checking that referred tokens exist, that a
 * new composition makes no cycle, and the walks down (Children) and up (Parents).
 */
import { ainError, ErrLogic } from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';
import type { MsgSetComposition } from '../../proto/gen/ain/ainft/v1/tx.ts';
import type { Edge } from '../../proto/gen/ain/ainft/v1/query.ts';
import { ErrCompositionCycle, ErrInvalidComposition, ErrMissingReference, ErrUnauthorized } from './errors.ts';
import { compositionSetEvent } from './events.ts';
import { type ParentKind, parentPath, parentsOfPath, type TokenKey, tokenLabel } from './keys.ts';
import type { AinftParams } from './params.ts';
import {
  type AinftContext,
  compositionFromProto,
  getToken,
  isOperator,
  putToken,
  requireToken,
  type StoredComposition,
  type StoredMetadata,
  type StoredRef,
  type StoredToken,
} from './records.ts';

/** The metadata references of a token: which part names which token. */
export function metadataRefs(metadata: StoredMetadata): Array<[ParentKind, StoredRef]> {
  const refs: Array<[ParentKind, StoredRef]> = [];
  if (metadata.data?.ainft) refs.push(['data', metadata.data.ainft]);
  if (metadata.model?.ainft) refs.push(['model', metadata.model.ainft]);
  if (metadata.service?.ainft) refs.push(['service', metadata.service.ainft]);
  return refs;
}

/** `class/id:weight` per child, as events list them. */
export const describeChildren = (composition: StoredComposition): string[] =>
  composition.children.map((child) => `${tokenLabel(child)}:${child.weight}`);

/**
 * Every token a composition and metadata name exists, and there are at most `maxChildren` children.
 * @throws AinError ainft/10 naming the field, ainft/8 for too many children
 */
export function checkReferences(state: ReadableState, metadata: StoredMetadata, composition: StoredComposition, params: AinftParams): void {
  if (composition.children.length > params.maxChildren)
    throw ainError(
      ErrInvalidComposition,
      `composition.children: ${composition.children.length} children; the chain allows ${params.maxChildren}`,
      {
        field: 'composition.children',
      },
    );
  composition.children.forEach((child, i) => {
    if (!getToken(state, child))
      throw ainError(ErrMissingReference, `composition.children[${i}]: no token ${tokenLabel(child)}`, {
        field: `composition.children[${i}]`,
      });
  });
  for (const [kind, ref] of metadataRefs(metadata))
    if (!getToken(state, ref))
      throw ainError(ErrMissingReference, `metadata.${kind}.ainft: no token ${tokenLabel(ref)}`, { field: `metadata.${kind}.ainft` });
}

/** Writes the edges from each child and referred token up to `token`. */
export function writeEdges(state: WritableState, token: StoredToken): void {
  for (const child of token.composition.children) state.set(parentPath(child, token, 'child'), child.weight.toString());
  for (const [kind, ref] of metadataRefs(token.metadata)) state.set(parentPath(ref, token, kind), '0');
}

/** Removes the edges `writeEdges` wrote (`kinds` limits which). */
export function removeEdges(state: WritableState, token: StoredToken, kinds: 'all' | 'children' = 'all'): void {
  for (const child of token.composition.children) state.set(parentPath(child, token, 'child'), null);
  if (kinds === 'all') for (const [kind, ref] of metadataRefs(token.metadata)) state.set(parentPath(ref, token, kind), null);
}

/** Whether any token composes or refers to this one. */
export function isUsed(state: ReadableState, key: TokenKey): boolean {
  return state.list(parentsOfPath(key.classId, key.id), 1).length > 0;
}

/**
 * Refuses a composition of `token` that would reach `token` again: a walk down from each new child
 * through the stored compositions, at most `maxNodes` tokens.
 * @throws AinError ainft/9 naming the path of the cycle, ainft/8 when the walk is too large
 */
export function assertNoCycle(state: ReadableState, token: TokenKey, composition: StoredComposition, params: AinftParams): void {
  const target = tokenLabel(token);
  const seen = new Set<string>();
  let visits = 0;
  const walk = (key: TokenKey, path: string[]): void => {
    const label = tokenLabel(key);
    if (label === target)
      throw ainError(ErrCompositionCycle, `composition would make a cycle: ${[target, ...path].join(' -> ')}`, {
        path: [target, ...path].join(','),
      });
    if (seen.has(label)) return;
    seen.add(label);
    if (++visits > params.maxNodes)
      throw ainError(
        ErrInvalidComposition,
        `composition reaches more than ${params.maxNodes} tokens; the chain cannot check it for cycles`,
      );
    const stored = getToken(state, key);
    for (const child of stored?.composition.children ?? []) walk(child, [...path, tokenLabel(child)]);
  };
  for (const child of composition.children) walk(child, [tokenLabel(child)]);
}

/** MsgSetComposition: by the token's owner or an operator of it; the children exist and make no cycle. */
export function setComposition(ctx: AinftContext, msg: MsgSetComposition, params: AinftParams): void {
  const token = requireToken(ctx.state, msg);
  if (msg.signer !== token.owner && !isOperator(ctx.state, token.owner, msg.signer))
    throw ainError(ErrUnauthorized, `${msg.signer} neither owns ${tokenLabel(token)} nor operates for its owner ${token.owner}`);
  const composition = compositionFromProto(msg.composition);
  checkReferences(ctx.state, {}, composition, params);
  assertNoCycle(ctx.state, token, composition, params);
  removeEdges(ctx.state, token, 'children');
  token.composition = composition;
  for (const child of composition.children) ctx.state.set(parentPath(child, token, 'child'), child.weight.toString());
  putToken(ctx.state, token);
  ctx.events.emit(
    compositionSetEvent({
      classId: token.classId,
      id: token.id,
      ownerWeight: composition.ownerWeight,
      totalWeight: composition.totalWeight,
      children: describeChildren(composition),
    }),
  );
}

/** Every token below one, depth first in listed order, each edge once per path, at most `maxNodes` edges. */
export function childEdges(state: ReadableState, root: StoredToken, params: AinftParams): Edge[] {
  const edges: Edge[] = [];
  const walk = (token: StoredToken, depth: number, path: ReadonlySet<string>): void => {
    for (const child of token.composition.children) {
      if (edges.length >= params.maxNodes) return;
      edges.push({ parent: ref(token), child: ref(child), weight: child.weight, depth, kind: 'child' });
      const stored = getToken(state, child);
      if (!stored) throw ainError(ErrLogic, `${tokenLabel(token)} is composed of ${tokenLabel(child)}, which does not exist`);
      if (!path.has(tokenLabel(child))) walk(stored, depth + 1, new Set([...path, tokenLabel(child)]));
    }
  };
  walk(root, 1, new Set([tokenLabel(root)]));
  return edges;
}

/** Every token above one (composing or referring to it), breadth first, each token once, at most `maxNodes` edges. */
export function parentEdges(state: ReadableState, root: TokenKey, params: AinftParams): Edge[] {
  const edges: Edge[] = [];
  const seen = new Set([tokenLabel(root)]);
  let level: TokenKey[] = [root];
  for (let depth = 1; level.length > 0 && edges.length < params.maxNodes; depth++) {
    const next: TokenKey[] = [];
    for (const child of level) {
      const prefix = `${parentsOfPath(child.classId, child.id)}/`;
      for (const [path, weight] of state.list(parentsOfPath(child.classId, child.id), params.maxNodes)) {
        const [classId, id, kind] = path.slice(prefix.length).split('/') as [string, string, ParentKind];
        if (edges.length >= params.maxNodes) break;
        edges.push({ parent: { classId, id }, child: ref(child), weight: BigInt(weight as string), depth, kind });
        const label = `${classId}/${id}`;
        if (!seen.has(label)) {
          seen.add(label);
          next.push({ classId, id });
        }
      }
    }
    level = next;
  }
  return edges;
}

const ref = (key: TokenKey) => ({ classId: key.classId, id: key.id });
