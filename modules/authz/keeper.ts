/**
 * The authz keeper: the only code that reads or writes `/authz` (grants, the grantee index and the
 * expiry queue), and MsgExec's dispatch, which runs each inner message through the app's message
 * router as its signer once that signer's grant accepts it.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { BlockContext, Context, MsgRouter, Page, PageRequest, ReadableState, RoutedMsg, WritableState } from '../../core/index.ts';
import {
  AinError,
  ainError,
  decodeRecord,
  EventCollector,
  encodeRecord,
  formatTimestamp,
  paginateList,
  parseTimestamp,
  registeredError,
} from '../../core/index.ts';
import { acceptMsg, type AuthorizationJson } from './authorizations.ts';
import { ErrAuthorizationExpired, ErrAuthorizationNumOfSigners, ErrInvalidExpirationTime, ErrNoAuthorizationFound } from './errors.ts';
import { grantEvent, revokeEvent } from './events.ts';
import {
  GRANTS_ROOT,
  grantPath,
  granteeIndexPath,
  granteeIndexRoot,
  granterGrantsPath,
  labelToTypeUrl,
  pairGrantsPath,
  QUEUE_ROOT,
  queueEntry,
  queuePath,
} from './keys.ts';

/** A grant as stored and exported: the authorization and its expiration (RFC 3339, or null for none). */
export interface GrantRecord {
  readonly authorization: AuthorizationJson;
  readonly expiration: string | null;
}

/** A grant with the accounts it is between (the SDK's `GrantAuthorization`). */
export interface GrantEntry extends GrantRecord {
  readonly granter: string;
  readonly grantee: string;
}

/** A protobuf timestamp's fields. */
export interface Timestamp {
  readonly seconds: bigint;
  readonly nanos: number;
}

/** Most expired grants one end of block deletes (the rest wait for the next blocks, earliest first). */
export const MAX_PRUNED_PER_BLOCK = 100;
/** Most MsgExec levels inside one another (a MsgExec at the top is level 1). */
export const MAX_EXEC_DEPTH = 5;
/** Most grant leaves one page of a grants query reads. */
const GRANTS_SCAN = 1000;
/** Most grants one export lists (a bound on memory). */
const MAX_EXPORTED_GRANTS = 10_000_000;

/** The whole second at or after a timestamp: block times are whole seconds. */
export const expiryOf = (timestamp: Timestamp): bigint => timestamp.seconds + (timestamp.nanos > 0 ? 1n : 0n);

/** Whether a grant's expiration has come at `blockTime` (a grant is usable strictly before it). */
export function isExpired(record: GrantRecord, blockTime: bigint): boolean {
  if (record.expiration === null) return false;
  const timestamp = parseTimestamp(record.expiration);
  return timestamp !== undefined && expiryOf(timestamp) <= blockTime;
}

/** An AinError with `prefix` before its reason, keeping its code (an unknown error is passed on). */
export function prefixed(error: unknown, prefix: string): unknown {
  if (!(error instanceof AinError)) return error;
  const definition = registeredError(error.codespace, error.code);
  if (!definition) return error;
  const suffix = `: ${definition.description}`;
  const reason = error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
  return ainError(definition, `${prefix}: ${reason}`, { ...error.meta });
}

export class AuthzKeeper {
  /** `router`: the app's message router, read while running (it is filled once every module is created). */
  constructor(private readonly router: () => Pick<MsgRouter, 'route'>) {}

  getGrant(state: ReadableState, granter: string, grantee: string, typeUrl: string): GrantRecord | undefined {
    const text = state.get(grantPath(granter, grantee, typeUrl));
    return typeof text === 'string' ? decodeRecord<GrantRecord>(text) : undefined;
  }

  /**
   * Writes a grant, replacing any of the same (granter, grantee, message type) with its queue entry,
   * as the SDK's SaveGrant. Event `cosmos.authz.v1beta1.EventGrant`.
   * @throws AinError authz/3 an expiration not after the block time
   */
  saveGrant(
    ctx: Pick<BlockContext, 'state' | 'events' | 'blockTimeSeconds'>,
    granter: string,
    grantee: string,
    typeUrl: string,
    authorization: AuthorizationJson,
    expiration: Timestamp | undefined,
  ): void {
    if (expiration && expiryOf(expiration) <= ctx.blockTimeSeconds)
      throw ainError(
        ErrInvalidExpirationTime,
        `grant.expiration ${formatTimestamp(expiration)} is not after the block time ${formatTimestamp({ seconds: ctx.blockTimeSeconds, nanos: 0 })}`,
        { field: 'grant.expiration' },
      );
    this.removeFromQueue(ctx.state, granter, grantee, typeUrl);
    this.writeGrant(ctx.state, granter, grantee, typeUrl, {
      authorization,
      expiration: expiration ? formatTimestamp(expiration) : null,
    });
    ctx.events.emit(grantEvent(typeUrl, granter, grantee));
  }

  /**
   * Deletes a grant with its index and queue entries. Event `cosmos.authz.v1beta1.EventRevoke`.
   * @throws AinError authz/2 no such grant
   */
  deleteGrant(ctx: Pick<BlockContext, 'state' | 'events'>, granter: string, grantee: string, typeUrl: string): void {
    if (!this.getGrant(ctx.state, granter, grantee, typeUrl))
      throw ainError(ErrNoAuthorizationFound, `no grant from ${granter} to ${grantee} for ${typeUrl}`, {
        field: 'msg_type_url',
      });
    this.removeGrant(ctx.state, granter, grantee, typeUrl);
    ctx.events.emit(revokeEvent(typeUrl, granter, grantee));
  }

  /**
   * MsgExec: runs `msgs` in order. A message signed by the grantee runs as usual; any other must be
   * signed by one granter whose unexpired grant for its type accepts it (the grant is then updated
   * or deleted). Each runs through the app's router as its signer, with its own events (tagged
   * `authz_msg_index`) and gas; the first failure fails the whole tx. Returns each message's response bytes.
   * @throws AinError authz/9 not one signer, authz/2 no grant, authz/6 expired, or the message's own error (prefixed `msgs[i]`)
   */
  exec(ctx: Context, grantee: string, msgs: readonly Any[]): Uint8Array[] {
    const router = this.router();
    return msgs.map((any, i) => {
      const where = `msgs[${i}] (${any.typeUrl})`;
      let routed: RoutedMsg;
      try {
        routed = router.route(any, i);
      } catch (error) {
        throw prefixed(error, where);
      }
      const signers = routed.handler.signers(routed.msg);
      if (signers.length !== 1)
        throw ainError(ErrAuthorizationNumOfSigners, `${where} has ${signers.length} signers; expected 1`, { field: `msgs[${i}]` });
      const granter = signers[0]!;
      if (granter !== grantee) this.useGrant(ctx, granter, grantee, any.typeUrl, routed.msg, where);
      const events = new EventCollector();
      let response: Any;
      try {
        response = routed.handler.handle({ ...ctx, events }, routed.msg);
      } catch (error) {
        throw prefixed(error, where);
      }
      ctx.events.append(events.events, [['authz_msg_index', String(i)]]);
      return response.value;
    });
  }

  /** Checks and spends `granter`'s grant to `grantee` for one message. */
  private useGrant(ctx: Context, granter: string, grantee: string, typeUrl: string, msg: unknown, where: string): void {
    const grant = this.getGrant(ctx.state, granter, grantee, typeUrl);
    if (!grant)
      throw ainError(ErrNoAuthorizationFound, `${where}: no grant from ${granter} to ${grantee} for ${typeUrl}`, { granter, grantee });
    if (isExpired(grant, ctx.blockTimeSeconds))
      throw ainError(ErrAuthorizationExpired, `${where}: the grant from ${granter} to ${grantee} expired at ${grant.expiration}`, {
        granter,
        grantee,
      });
    let accepted: ReturnType<typeof acceptMsg>;
    try {
      accepted = acceptMsg(ctx.gas, grant.authorization, typeUrl, msg);
    } catch (error) {
      throw prefixed(error, where);
    }
    if (accepted.delete) this.deleteGrant(ctx, granter, grantee, typeUrl);
    else if (accepted.updated) this.writeGrant(ctx.state, granter, grantee, typeUrl, { ...grant, authorization: accepted.updated });
  }

  /**
   * The end of block: deletes grants whose expiration has come, earliest first, at most
   * MAX_PRUNED_PER_BLOCK of them (the SDK's BeginBlocker queue, bounded). No events, as the SDK.
   */
  pruneExpired(ctx: BlockContext): number {
    let pruned = 0;
    // Each entry read is removed or ends the walk, so every batch reads the queue's new front; they
    // grow (4, 8, ...) so that a block with nothing expired reads a few entries, not a hundred.
    for (let batch = 4; pruned < MAX_PRUNED_PER_BLOCK; batch *= 2) {
      const entries = ctx.state.list(QUEUE_ROOT, Math.min(batch, MAX_PRUNED_PER_BLOCK - pruned));
      for (const [path] of entries) {
        const [expiry, granter, grantee, typeUrl] = queueEntry(path);
        if (expiry > ctx.blockTimeSeconds) return pruned;
        this.removeGrant(ctx.state, granter, grantee, typeUrl);
        pruned++;
      }
      if (entries.length < batch) return pruned;
    }
    return pruned;
  }

  /** One page of the grants from `granter` to `grantee`, in type URL order (queries). */
  pairGrantsPage(state: ReadableState, granter: string, grantee: string, page: PageRequest | undefined): Page<GrantRecord> {
    const listed = paginateList(state, pairGrantsPath(granter, grantee), page, { scan: GRANTS_SCAN });
    return { items: listed.items.map((item) => decodeRecord<GrantRecord>(item.leaves[0]![1] as string)), pagination: listed.pagination };
  }

  /** One page of `granter`'s grants, by grantee then type URL (queries). */
  granterGrantsPage(state: ReadableState, granter: string, page: PageRequest | undefined): Page<GrantEntry> {
    const listed = paginateList(state, granterGrantsPath(granter), page, { scan: GRANTS_SCAN, depth: 2 });
    return {
      items: listed.items.map((item) => {
        const [grantee] = item.key.split('/');
        return { granter, grantee: grantee!, ...decodeRecord<GrantRecord>(item.leaves[0]![1] as string) };
      }),
      pagination: listed.pagination,
    };
  }

  /** One page of the grants to `grantee`, by granter then type URL (queries; read through the index). */
  granteeGrantsPage(state: ReadableState, grantee: string, page: PageRequest | undefined): Page<GrantEntry> {
    const listed = paginateList(state, granteeIndexRoot(grantee), page, { scan: GRANTS_SCAN, depth: 2 });
    const items: GrantEntry[] = [];
    for (const item of listed.items) {
      const [granter, label] = item.key.split('/');
      const record = this.getGrant(state, granter!, grantee, labelToTypeUrl(label!));
      if (record) items.push({ granter: granter!, grantee, ...record });
    }
    return { items, pagination: listed.pagination };
  }

  /** Every grant, by granter, grantee and type URL (genesis export). */
  allGrants(state: ReadableState): GrantEntry[] {
    return state.list(GRANTS_ROOT, MAX_EXPORTED_GRANTS).map(([path, value]) => {
      const [granter, grantee] = path.slice(GRANTS_ROOT.length + 1).split('/');
      return { granter: granter!, grantee: grantee!, ...decodeRecord<GrantRecord>(value as string) };
    });
  }

  /** Genesis only: a checked grant with its index and queue entries, no event. */
  importGrant(state: WritableState, granter: string, grantee: string, typeUrl: string, record: GrantRecord): void {
    this.writeGrant(state, granter, grantee, typeUrl, record);
  }

  private writeGrant(state: WritableState, granter: string, grantee: string, typeUrl: string, record: GrantRecord): void {
    state.set(grantPath(granter, grantee, typeUrl), encodeRecord(record));
    state.set(granteeIndexPath(grantee, granter, typeUrl), true);
    const expiration = record.expiration === null ? undefined : parseTimestamp(record.expiration);
    if (expiration) state.set(queuePath(expiryOf(expiration), granter, grantee, typeUrl), true);
  }

  private removeFromQueue(state: WritableState, granter: string, grantee: string, typeUrl: string): void {
    const old = this.getGrant(state, granter, grantee, typeUrl);
    const expiration = old?.expiration ? parseTimestamp(old.expiration) : undefined;
    if (expiration) state.set(queuePath(expiryOf(expiration), granter, grantee, typeUrl), null);
  }

  private removeGrant(state: WritableState, granter: string, grantee: string, typeUrl: string): void {
    this.removeFromQueue(state, granter, grantee, typeUrl);
    state.set(grantPath(granter, grantee, typeUrl), null);
    state.set(granteeIndexPath(grantee, granter, typeUrl), null);
  }
}
