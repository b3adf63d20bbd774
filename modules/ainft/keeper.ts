/**
 * `AinftKeeper`: the only code touching `/ainft`. Each message is handed to the file doing its work
 * (tokens.ts, composition.ts, payments.ts, reruns.ts, over records.ts); the reads the queries need
 * are here. It is also the jobs keeper's hook: when a re-run's request closes, the token learns
 * whether it reproduced. See README.md for the rules.
 */
import { ainError, moduleAddress, paginate, paginateList } from '../../core/index.ts';
import type { Page, PageRequest, ReadableState } from '../../core/index.ts';
import type { Edge, ProvenanceStep } from '../../proto/gen/ain/ainft/v1/query.ts';
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
import type { Class, Payout, Rerun, Token } from '../../proto/gen/ain/ainft/v1/types.ts';
import type { ClosedRequest, JobsHooks } from '../jobs/index.ts';
import { childEdges, parentEdges, setComposition } from './composition.ts';
import { AINFT_MODULE, type AinftEnv } from './env.ts';
import { ErrInvalidAinftMsg } from './errors.ts';
import type { BankKeeper, JobsKeeper, StateKeeper } from './expected_keepers.ts';
import {
  balancePath,
  CLASSES_ROOT,
  classTokensPath,
  ownerClassPath,
  ownerRootPath,
  rerunPath,
  type TokenKey,
  tokenRerunsPath,
} from './keys.ts';
import { type AinftParams, readAinftParams } from './params.ts';
import { pay, type Split, splitPayment } from './payments.ts';
import { provenanceChain } from './provenance.ts';
import {
  type AinftContext,
  classToProto,
  decodeRecord,
  getClass,
  getToken,
  isOperator,
  readCount,
  readRecord,
  requireToken,
  rerunToProto,
  type StoredClass,
  type StoredRerun,
  type StoredToken,
  supplyOf,
  tokenToProto,
} from './records.ts';
import { requestRerun, settleRerun } from './reruns.ts';
import { approve, burn, createClass, mint, revoke, setApprovalForAll, setMinters, transfer } from './tokens.ts';

export { AINFT_MODULE } from './env.ts';

/** Most classes, tokens or re-runs one query lists. */
export const MAX_LISTED = 100;
/** Most index entries a listing scans to find those after its cursor. */
export const MAX_SCANNED = 100_000;

export class AinftKeeper implements JobsHooks {
  readonly moduleAddress = moduleAddress(AINFT_MODULE);
  private readonly env: AinftEnv;

  constructor(bank: BankKeeper, jobs: JobsKeeper, state: StateKeeper, moduleAccounts: ReadonlySet<string>) {
    this.env = { bank, jobs, state, moduleAddress: this.moduleAddress, moduleAccounts };
  }

  params(state: ReadableState): AinftParams {
    return readAinftParams(state);
  }

  // ---- messages ----

  createClass(ctx: AinftContext, msg: MsgCreateClass): void {
    createClass(ctx, msg);
  }

  setMinters(ctx: AinftContext, msg: MsgSetMinters): void {
    setMinters(ctx, msg);
  }

  mint(ctx: AinftContext, msg: MsgMint): void {
    mint(ctx, this.env, msg, this.params(ctx.state));
  }

  transfer(ctx: AinftContext, msg: MsgTransfer): void {
    transfer(ctx, this.env, msg);
  }

  approve(ctx: AinftContext, msg: MsgApprove): void {
    approve(ctx, msg);
  }

  setApprovalForAll(ctx: AinftContext, msg: MsgSetApprovalForAll): void {
    setApprovalForAll(ctx, msg);
  }

  revoke(ctx: AinftContext, msg: MsgRevoke): void {
    revoke(ctx, msg);
  }

  burn(ctx: AinftContext, msg: MsgBurn): void {
    burn(ctx, msg);
  }

  setComposition(ctx: AinftContext, msg: MsgSetComposition): void {
    setComposition(ctx, msg, this.params(ctx.state));
  }

  /** MsgRequestRerun: returns the id of the job request posted. */
  requestRerun(ctx: AinftContext, msg: MsgRequestRerun): bigint {
    return requestRerun(ctx, this.env, msg);
  }

  /** MsgPay: returns what each address received. */
  pay(ctx: AinftContext, msg: MsgPay): Payout[] {
    return pay(ctx, this.env, requireToken(ctx.state, msg), msg, this.params(ctx.state));
  }

  /** The jobs keeper's hook (`JobsHooks`): a re-run's request closed. */
  afterRequestClosed(ctx: AinftContext, request: ClosedRequest): void {
    settleRerun(ctx, this.env, request);
  }

  // ---- queries ----

  getToken(state: ReadableState, key: TokenKey): Token | undefined {
    const token = getToken(state, key);
    return token && tokenToProto(state, token);
  }

  getClass(state: ReadableState, classId: string): Class | undefined {
    const stored = getClass(state, classId);
    return stored && classToProto(state, stored);
  }

  /** One page of the stored classes by id (queries; `maxLimit` bounds the page). */
  storedClassesPage(state: ReadableState, page: PageRequest | undefined, maxLimit = MAX_LISTED): Page<StoredClass> {
    const listed = paginateList(state, CLASSES_ROOT, page, { scan: MAX_SCANNED, maxLimit });
    return { items: listed.items.map((item) => decodeRecord<StoredClass>(item.leaves[0]![1] as string)), pagination: listed.pagination };
  }

  /** One page of the classes by id, with their supply (queries). */
  classesPage(state: ReadableState, page: PageRequest | undefined): Page<Class> {
    const found = this.storedClassesPage(state, page);
    return { items: found.items.map((stored) => classToProto(state, stored)), pagination: found.pagination };
  }

  /**
   * Token keys of a class, of an owner, or of an owner in a class, in (class, id) order, each as its
   * `class/id` cursor; at most `scan` index entries are read.
   */
  tokenKeys(state: ReadableState, classId: string, owner: string, scan = MAX_SCANNED): TokenKey[] {
    if (classId === '' && owner === '') throw ainError(ErrInvalidAinftMsg, 'give a class_id, an owner, or both', { field: 'class_id' });
    const root = owner === '' ? classTokensPath(classId) : classId === '' ? ownerRootPath(owner) : ownerClassPath(owner, classId);
    const base = owner === '' ? classTokensPath('') : ownerRootPath(owner);
    return state.list(root, scan).map(([path]) => {
      const [cls, id] = path.slice(base.length + (owner === '' ? 0 : 1)).split('/') as [string, string];
      return { classId: cls, id };
    });
  }

  /** One page of the token keys of a class and/or owner, in (class, id) order (key `class/id`; queries). */
  tokenKeysPage(
    state: ReadableState,
    classId: string,
    owner: string,
    page: PageRequest | undefined,
    maxLimit = MAX_LISTED,
  ): Page<TokenKey> {
    return paginate(this.tokenKeys(state, classId, owner), (key) => `${key.classId}/${key.id}`, page, { maxLimit });
  }

  /** One page of the tokens of a class and/or owner (queries). */
  tokensPage(state: ReadableState, classId: string, owner: string, page: PageRequest | undefined): Page<Token> {
    const keys = this.tokenKeysPage(state, classId, owner, page);
    return { items: keys.items.map((key) => tokenToProto(state, getToken(state, key)!)), pagination: keys.pagination };
  }

  /** How many tokens of a class an address owns (x/nft Balance). */
  balance(state: ReadableState, owner: string, classId: string): bigint {
    return readCount(state, balancePath(owner, classId));
  }

  supply(state: ReadableState, classId: string): bigint {
    return supplyOf(state, classId);
  }

  isApprovedForAll(state: ReadableState, owner: string, operator: string): boolean {
    return isOperator(state, owner, operator);
  }

  children(state: ReadableState, key: TokenKey): Edge[] {
    return childEdges(state, requireToken(state, key), this.params(state));
  }

  parents(state: ReadableState, key: TokenKey): Edge[] {
    requireToken(state, key);
    return parentEdges(state, key, this.params(state));
  }

  provenance(state: ReadableState, key: TokenKey): ProvenanceStep[] {
    requireToken(state, key);
    return provenanceChain(state, key, this.params(state));
  }

  /** A token's re-runs, oldest first (at most {@link MAX_LISTED}, the latest). */
  reruns(state: ReadableState, key: TokenKey): Rerun[] {
    requireToken(state, key);
    const entries = state.list(tokenRerunsPath(key.classId, key.id), MAX_SCANNED).slice(-MAX_LISTED);
    return entries.map(([path]) => rerunToProto(readRecord<StoredRerun>(state, rerunPath(BigInt(path.slice(path.lastIndexOf('/') + 1))))!));
  }

  /** How a payment of `amount` to a token would split now. */
  split(state: ReadableState, key: TokenKey, amount: bigint): Split {
    return splitPayment(state, requireToken(state, key), amount, this.params(state));
  }

  /** The stored token (for the Cosmos NFT queries). */
  storedToken(state: ReadableState, key: TokenKey): StoredToken | undefined {
    return getToken(state, key);
  }
}
