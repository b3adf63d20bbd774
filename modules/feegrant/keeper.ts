/**
 * The feegrant keeper: the only code that reads or writes `/feegrant`. It grants, revokes and prunes
 * allowances, and `useGrantedFees` (the ante's part) judges a fee against an allowance and writes what
 * is left of it.
 */
import type { BlockContext, Coin, Context, Page, PageRequest, ReadableState, WritableState } from '../../core/index.ts';
import {
  AinError,
  ainError,
  decodeRecord,
  ErrInvalidRequest,
  ErrUnauthorized,
  encodeRecord,
  paginateList,
  registeredError,
} from '../../core/index.ts';
import { accept, ALLOWED_MSG_GAS_PER_ITERATION, ExpiredAllowance, expiresAt, type FeeAllowance, formatTime, NANOS } from './allowance.ts';
import { allowanceFromJson, allowanceToJson, type GrantJson } from './codec.ts';
import { ErrNoAllowance } from './errors.ts';
import { pruneFeegrantEvent, revokeFeegrantEvent, setFeegrantEvent, updateFeegrantEvent, useFeegrantEvent } from './events.ts';
import type { AccountKeeper } from './expected_keepers.ts';
import {
  byGranterPath,
  EXPIRY_ROOT,
  expiryLabel,
  expiryPath,
  GRANTS_ROOT,
  granteeGrantsPath,
  granterGrantsPath,
  grantPath,
} from './keys.ts';

/** Most expired allowances the end of a block removes (the SDK's EndBlocker: 200). */
export const PRUNED_PER_BLOCK = 200;
/** Most expired allowances one MsgPruneAllowances removes (the SDK's 75). */
export const PRUNED_PER_MSG = 75;
/** Most leaves one page of a list query reads. */
const LIST_SCAN = 10_000;
/** Most grants one export lists (a bound on memory). */
const MAX_EXPORTED_GRANTS = 10_000_000;

/** A grant as the keeper hands it out: who, to whom, and the allowance now. */
export interface Grant {
  readonly granter: string;
  readonly grantee: string;
  readonly allowance: FeeAllowance;
}

const blockTimeNanos = (ctx: Pick<BlockContext, 'blockTimeSeconds'>): bigint => ctx.blockTimeSeconds * NANOS;

/** The same error with `prefix` before its detail, as the SDK's `Wrapf`. */
function prefixed(error: AinError, prefix: string): AinError {
  const definition = registeredError(error.codespace, error.code);
  if (!definition) return error;
  const suffix = `: ${definition.description}`;
  const detail = error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
  return new AinError(definition, `${prefix}: ${detail}`, { ...error.meta });
}

export class FeegrantKeeper {
  constructor(private readonly accounts: AccountKeeper) {}

  /** The allowance `granter` gave `grantee`, or undefined. */
  getAllowance(state: ReadableState, granter: string, grantee: string): FeeAllowance | undefined {
    const text = state.get(grantPath(granter, grantee));
    return typeof text === 'string' ? allowanceFromJson(decodeRecord<GrantJson>(text).allowance) : undefined;
  }

  /**
   * MsgGrantAllowance: a new allowance (one per pair), creating the grantee's account if it has none.
   * @throws AinError sdk/18 when the pair has one already ("fee allowance already exists") or it expires
   *   before the block time; sdk/4 when the grantee is a module account with no account yet
   */
  grantAllowance(ctx: Context, granter: string, grantee: string, allowance: FeeAllowance, blocked: ReadonlySet<string>): void {
    if (ctx.state.get(grantPath(granter, grantee)) !== undefined)
      throw ainError(ErrInvalidRequest, `granter ${granter} already gave grantee ${grantee} an allowance; fee allowance already exists`);
    const expiration = expiresAt(allowance);
    if (expiration !== undefined && expiration < blockTimeNanos(ctx))
      throw ainError(
        ErrInvalidRequest,
        `allowance expiration ${formatTime(expiration)} is before the block time ${formatTime(blockTimeNanos(ctx))}; expiration is before current block time`,
      );
    if (!this.accounts.hasAccount(ctx.state, grantee)) {
      if (blocked.has(grantee))
        throw ainError(ErrUnauthorized, `grantee ${grantee} is a module account and is not allowed to receive funds`);
      this.accounts.createAccount(ctx.state, grantee);
    }
    this.write(ctx.state, granter, grantee, allowance);
    ctx.events.emit(setFeegrantEvent(granter, grantee));
  }

  /**
   * MsgRevokeAllowance: removes the pair's allowance.
   * @throws AinError feegrant/5 when there is none
   */
  revokeAllowance(ctx: Context, granter: string, grantee: string): void {
    const allowance = this.getAllowance(ctx.state, granter, grantee);
    if (!allowance) throw ainError(ErrNoAllowance, `no fee grant from granter ${granter} to grantee ${grantee}; fee-grant not found`);
    this.remove(ctx, granter, grantee, allowance);
  }

  /**
   * The ante's part when a tx names a fee granter: the allowance of (granter, grantee) must accept the
   * fee and the tx's message types at the block time. It is then updated (limits lowered, periods
   * reset), or removed when used up. An expired allowance is removed too, and the tx refused (in the
   * ante's state, which a refused tx drops: the end of a block or MsgPruneAllowances prunes it).
   * @throws AinError feegrant/5 (none), feegrant/3 (expired), feegrant/2 (over a limit), feegrant/7
   *   (a message type not allowed), each prefixed "<granter> does not allow to pay fees for <grantee>"
   */
  useGrantedFees(ctx: Context, granter: string, grantee: string, fee: readonly Coin[], messageTypes: readonly string[]): void {
    const refusal = `${granter} does not allow to pay fees for ${grantee}`;
    const allowance = this.getAllowance(ctx.state, granter, grantee);
    if (!allowance) throw ainError(ErrNoAllowance, `${refusal}: fee-grant not found`, { granter, grantee });
    if (allowance.kind === 'allowed_msg')
      ctx.gas.consume(
        ALLOWED_MSG_GAS_PER_ITERATION * (allowance.allowedMessages.length + messageTypes.length),
        'feegrant: allowed messages',
      );
    let result: ReturnType<typeof accept>;
    try {
      result = accept(allowance, fee, messageTypes, blockTimeNanos(ctx));
    } catch (error) {
      if (error instanceof ExpiredAllowance) {
        this.remove(ctx, granter, grantee, allowance);
        throw prefixed(error.error as AinError, refusal);
      }
      throw error instanceof AinError ? prefixed(error, refusal) : error;
    }
    if (result.remove) {
      this.remove(ctx, granter, grantee, allowance);
      ctx.events.emit(useFeegrantEvent(granter, grantee));
      return;
    }
    ctx.events.emit(useFeegrantEvent(granter, grantee));
    ctx.state.set(grantPath(granter, grantee), encodeRecord({ granter, grantee, allowance: allowanceToJson(result.allowance) }));
    ctx.events.emit(updateFeegrantEvent(granter, grantee));
  }

  /**
   * Removes up to `limit` allowances expired before the block time, earliest first (the end of a block
   * and MsgPruneAllowances). Returns how many it removed.
   */
  pruneExpired(ctx: BlockContext, limit: number): number {
    const now = blockTimeNanos(ctx);
    const lastLabel = expiryLabel(ctx.blockTimeSeconds);
    let removed = 0;
    // Reads the queue in growing batches (at most 2 x limit entries in all): most blocks find the
    // first entry unexpired and read only the first batch.
    let from: string | undefined;
    for (let scanned = 0, batch = 8; scanned < limit * 2; batch *= 2) {
      const size = Math.min(batch, limit * 2 - scanned);
      const entries = ctx.state.list(EXPIRY_ROOT, size + (from === undefined ? 0 : 1), from);
      // `from` (the last entry read) comes back first unless this pass deleted it.
      const fresh = entries[0]?.[0] === from ? entries.slice(1) : entries.slice(0, size);
      for (const [path] of fresh) {
        if (removed >= limit) return removed;
        const [label, grantee, granter] = path.slice(EXPIRY_ROOT.length + 1).split('/') as [string, string, string];
        if (label > lastLabel) return removed;
        const allowance = this.getAllowance(ctx.state, granter, grantee);
        const expiration = allowance && expiresAt(allowance);
        // One that expires later in the block's own second (nanoseconds) is not expired yet.
        if (!allowance || expiration === undefined || expiration >= now) continue;
        this.deleteGrant(ctx.state, granter, grantee, expiration);
        removed++;
      }
      if (fresh.length < size) return removed;
      scanned += size;
      from = fresh[fresh.length - 1]![0];
    }
    return removed;
  }

  /** MsgPruneAllowances: anyone may remove up to {@link PRUNED_PER_MSG} expired allowances. */
  pruneAllowances(ctx: Context, pruner: string): void {
    this.pruneExpired(ctx, PRUNED_PER_MSG);
    ctx.events.emit(pruneFeegrantEvent(pruner));
  }

  /** One page of a grantee's allowances, by granter (queries). */
  granteePage(state: ReadableState, grantee: string, page: PageRequest | undefined): Page<GrantJson> {
    const listed = paginateList(state, granteeGrantsPath(grantee), page, { scan: LIST_SCAN });
    return { items: listed.items.map((item) => decodeRecord<GrantJson>(item.leaves[0]![1] as string)), pagination: listed.pagination };
  }

  /** One page of the allowances a granter issued, by grantee (queries). */
  granterPage(state: ReadableState, granter: string, page: PageRequest | undefined): Page<GrantJson> {
    const listed = paginateList(state, granterGrantsPath(granter), page, { scan: LIST_SCAN });
    return {
      items: listed.items.map((item) => decodeRecord<GrantJson>(state.get(grantPath(granter, item.key)) as string)),
      pagination: listed.pagination,
    };
  }

  /** Every grant, by grantee then granter (genesis export). */
  allGrants(state: ReadableState): GrantJson[] {
    return state
      .list(GRANTS_ROOT, MAX_EXPORTED_GRANTS)
      .filter(([path]) => path.split('/').length === 5)
      .map(([, value]) => decodeRecord<GrantJson>(value as string));
  }

  /** Genesis only: writes a checked grant as it is. */
  setGrant(state: WritableState, grant: Grant): void {
    this.write(state, grant.granter, grant.grantee, grant.allowance);
  }

  private write(state: WritableState, granter: string, grantee: string, allowance: FeeAllowance): void {
    state.set(grantPath(granter, grantee), encodeRecord({ granter, grantee, allowance: allowanceToJson(allowance) }));
    state.set(byGranterPath(granter, grantee), true);
    const expiration = expiresAt(allowance);
    if (expiration !== undefined) state.set(expiryPath(expirySeconds(expiration), granter, grantee), true);
  }

  private remove(ctx: Context, granter: string, grantee: string, allowance: FeeAllowance): void {
    this.deleteGrant(ctx.state, granter, grantee, expiresAt(allowance));
    ctx.events.emit(revokeFeegrantEvent(granter, grantee));
  }

  private deleteGrant(state: WritableState, granter: string, grantee: string, expiration: bigint | undefined): void {
    state.set(grantPath(granter, grantee), null);
    state.set(byGranterPath(granter, grantee), null);
    if (expiration !== undefined) state.set(expiryPath(expirySeconds(expiration), granter, grantee), null);
  }
}

/** The queue's second of an expiration: its whole seconds (expirations before 1970 are refused). */
const expirySeconds = (expiration: bigint): bigint => expiration / NANOS;
