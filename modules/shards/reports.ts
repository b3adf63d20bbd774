/**
 * Reports: a relayer brings the other chain's signed header and, when they change, its validator
 * sets; the chain checks it the way a CometBFT light client does (`lightclient/`) against what it
 * trusts and stores the verified header. Cheap refusals come first so that several relayers racing
 * do no harm: a header already stored at its height (`shards/7`) or below the latest (`shards/8`)
 * is refused before any signature is checked. A second validly signed header for a stored height is
 * misbehaviour: it freezes the link instead of being stored. The relayer is paid only for accepted
 * reports, out of the link's fee account when that holds enough. Each accepted report also deletes a
 * few stored headers whose trusting period has passed (never the latest), and the validator sets
 * only they named.
 */
import { ainError, type BlockContext, encodeRecord, type WritableState } from '../../core/index.ts';
import type { MsgReport } from '../../proto/gen/ain/shards/v1/tx.ts';
import type { ConsensusState } from '../../proto/gen/ain/shards/v1/types.ts';
import type { Header, SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { ErrDuplicateReport, ErrFrozen, ErrMissingValidators, ErrStaleReport } from './errors.ts';
import { frozenEvent, headersPrunedEvent, reportedEvent } from './events.ts';
import type { BankKeeper } from './expected_keepers.ts';
import { clientPath, frozenPath, headerPath, headersRoot, reportsPath } from './keys.ts';
import {
  ErrHeaderHashMismatch,
  ErrValidatorSetHashMismatch,
  ErrWrongChainId,
  headerHash,
  type TrustedState,
  validatorSetHash,
  verifyCommitLight,
  verifyCommitLightTrusting,
  verifyFromRoot,
  verifyUpdate,
} from './lightclient/index.ts';
import { decodeSignedHeader, decodeValidatorSet } from './msgs.ts';
import {
  hexOf,
  isFrozen,
  type Link,
  readClient,
  readHeldHeader,
  readValset,
  recoveredFrom,
  requireLink,
  trustedStateOf,
  writeMessage,
  writeValset,
} from './records.ts';
import { holdSets, releaseSets } from './valsetRefs.ts';
import { ConsensusState as ConsensusStateCodec } from '../../proto/gen/ain/shards/v1/types.ts';

/** Gas per commit signature checked in one pass (a skip checks the trusted set too): the SDK charges 590-1000 per signature. */
export const SIGNATURE_GAS = 1000;

const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * Most expired headers one accepted report deletes: a bounded cost per tx, yet more than the one
 * header a report adds, so a backlog (headers stored before pruning, or imported by a genesis) shrinks.
 */
export const MAX_PRUNED_PER_REPORT = 4;

export interface ReportOutcome {
  readonly height: bigint;
  readonly fee: bigint;
  readonly frozen: boolean;
}

function setOrStored(
  state: BlockContext['state'],
  link: Link,
  given: ValidatorSet | undefined,
  hash: Uint8Array,
  field: string,
): ValidatorSet {
  const set = given ?? readValset(state, link.root, hexOf(hash));
  if (!set) {
    throw ainError(ErrMissingValidators, `${field}: the set with hash ${hexOf(hash)} is not held here; send it with the report`, { field });
  }
  return set;
}

function commitSignatures(signed: SignedHeader): number {
  return signed.commit!.signatures.filter((sig) => sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT).length;
}

/** MsgReport on `link`: verifies, stores and pays; or freezes the link on a conflicting header. */
export function report(ctx: BlockContext, bank: BankKeeper, signer: string, msg: MsgReport): ReportOutcome {
  const state = ctx.state;
  const link = requireLink(state, msg.shard);
  if (isFrozen(state, link)) throw ainError(ErrFrozen, `shard ${link.name} is frozen; its admin must unfreeze it`, { shard: link.name });
  const signed = decodeSignedHeader(msg.signedHeader);
  const header = signed.header!;
  if (header.chainId !== link.chainId) {
    throw ainError(ErrWrongChainId, `signed_header.header.chain_id: expected ${link.chainId}, got ${header.chainId}`);
  }
  const hash = headerHash(header);
  // A header a recovery superseded is no reference: a report at its height is stale (below the latest).
  const stored = readHeldHeader(state, link.root, header.height);
  if (stored) {
    if (stored.headerHash === hexOf(hash)) {
      throw ainError(ErrDuplicateReport, `height ${header.height} of ${link.chainId} is reported already`, {
        height: header.height.toString(),
      });
    }
    return freeze(ctx, link, signer, signed, decodeValidatorSet(msg.validators, 'validators'), stored);
  }
  const client = readClient(state, link.root);
  if (header.height <= client.height) {
    throw ainError(ErrStaleReport, `height ${header.height} of ${link.chainId}: expected above the latest reported ${client.height}`, {
      height: header.height.toString(),
      latest: client.height.toString(),
    });
  }
  const validators = setOrStored(state, link, decodeValidatorSet(msg.validators, 'validators'), header.validatorsHash, 'validators');
  const nextGiven = decodeValidatorSet(msg.nextValidators, 'next_validators');
  const sameNext = nextGiven === undefined && hexOf(header.nextValidatorsHash) === hexOf(header.validatorsHash);
  const nextValidators = sameNext ? validators : setOrStored(state, link, nextGiven, header.nextValidatorsHash, 'next_validators');

  const adjacent = client.height > 0n && header.height === client.height + 1n;
  ctx.gas.consume(SIGNATURE_GAS * commitSignatures(signed) * (adjacent ? 1 : 2), 'report signatures');
  const untrusted = { signedHeader: signed, validators, nextValidators };
  const verified: TrustedState =
    client.height === 0n
      ? verifyFromRoot(
          {
            chainId: link.chainId,
            time: { seconds: client.timeSeconds, nanos: client.timeNanos },
            validators: readValset(state, link.root, client.nextValidatorsHash)!,
          },
          untrusted,
          link.params,
          ctx.blockTimeSeconds,
        )
      : verifyUpdate(trustedStateOf(state, link, client), untrusted, link.params, ctx.blockTimeSeconds);

  const record = trustHeader(state, link.root, verified, header, validators, nextValidators);
  pruneExpired(ctx, link, record);
  const reports = state.get(reportsPath(link.root));
  state.set(reportsPath(link.root), (BigInt(typeof reports === 'string' ? reports : '0') + 1n).toString());

  // Paid only when the account holds the fee: an empty account never blocks a report.
  let fee = 0n;
  if (link.reportFee > 0n && bank.getBalance(state, link.feeAccount, 'uain') >= link.reportFee) {
    fee = link.reportFee;
    bank.sendCoins(ctx, link.feeAccount, signer, [{ denom: 'uain', amount: fee }]);
  }
  ctx.events.emit(
    reportedEvent({
      shard: link.name,
      height: record.height,
      headerHash: record.headerHash,
      appHash: record.appHash,
      validatorsHash: record.validatorsHash,
      relayer: signer,
      fee: fee.toString(),
    }),
  );
  return { height: record.height, fee, frozen: false };
}

/**
 * Deletes the oldest stored headers of `link` that have expired at the block's time (the light
 * client's rule: time + trusting period at or before it), at most {@link MAX_PRUNED_PER_REPORT},
 * never the latest (`latest`, the client). Nothing can use an expired header: no update starts from
 * it (only the latest is trusted), a conflicting header at its height is no evidence (its signers
 * may have unbonded), and any proof it anchored can be made at a later height, as packet commitments,
 * receipts and absences past a timeout stay in the other chain's state. Walked in height order
 * (20-digit labels); header times rise with heights, so the walk stops at the first unexpired one.
 * Headers below the height governance recovered the link at are superseded: pruned whatever their
 * time (they lie below every other header, so the walk meets them first). The validator sets no
 * header left (nor the trusted state `client`) names go with them (`valsetRefs.ts`); a report that
 * prunes emits EventHeadersPruned.
 */
function pruneExpired(ctx: BlockContext, link: Link, client: ConsensusState): void {
  const periodNanos = link.params.trustingPeriodSeconds * NANOS_PER_SECOND;
  const nowNanos = ctx.blockTimeSeconds * NANOS_PER_SECOND;
  const heights: bigint[] = [];
  const valsets: string[] = [];
  const superseded = recoveredFrom(ctx.state, link.root);
  for (const [path, text] of ctx.state.list(headersRoot(link.root), MAX_PRUNED_PER_REPORT)) {
    const header = ConsensusStateCodec.fromJSON(JSON.parse(text as string));
    const expiry = header.timeSeconds * NANOS_PER_SECOND + BigInt(header.timeNanos) + periodNanos;
    if (header.height >= client.height || (expiry > nowNanos && header.height >= superseded)) break;
    ctx.state.set(path, null);
    heights.push(header.height);
    valsets.push(...releaseSets(ctx.state, link.root, header, client));
  }
  if (heights.length > 0) ctx.events.emit(headersPrunedEvent({ shard: link.name, heights, valsets }));
}

/**
 * A header for a height already stored with another hash. It is evidence only when it is valid: its
 * commit is for it, validators of the set that signed the stored header holding more than the trust
 * level signed it, and more than 2/3 of its own set did. Then the link freezes; nothing is stored.
 */
function freeze(
  ctx: BlockContext,
  link: Link,
  signer: string,
  signed: SignedHeader,
  given: ValidatorSet | undefined,
  stored: ConsensusState,
): ReportOutcome {
  const header = signed.header!;
  const commit = signed.commit!;
  const hash = headerHash(header);
  if (hexOf(commit.blockId.hash) !== hexOf(hash) || commit.height !== header.height) {
    throw ainError(ErrHeaderHashMismatch, `signed_header.commit: expected a commit for height ${header.height} and hash ${hexOf(hash)}`);
  }
  const own = setOrStored(ctx.state, link, given, header.validatorsHash, 'validators');
  if (hexOf(validatorSetHash(own.validators)) !== hexOf(header.validatorsHash)) {
    throw ainError(ErrValidatorSetHashMismatch, `validators: hash does not match signed_header.header.validators_hash`, {
      field: 'validators',
    });
  }
  const trustedSet = readValset(ctx.state, link.root, stored.validatorsHash)!;
  ctx.gas.consume(SIGNATURE_GAS * commitSignatures(signed) * 2, 'misbehaviour signatures');
  verifyCommitLightTrusting(link.chainId, trustedSet, commit, link.params.trustLevel);
  verifyCommitLight(link.chainId, own, commit.blockId, header.height, commit);
  ctx.state.set(
    frozenPath(link.root),
    encodeRecord({ height: header.height, trusted: stored.headerHash, conflicting: hexOf(hash), reporter: signer }),
  );
  ctx.events.emit(
    frozenEvent({
      shard: link.name,
      height: header.height,
      trustedHash: stored.headerHash,
      conflictingHash: hexOf(hash),
      reporter: signer,
    }),
  );
  return { height: header.height, fee: 0n, frozen: true };
}

/**
 * Makes a verified header the link's latest (a report's, or a recovery's new trust root): its record
 * at its height and as the client, and both validator sets, stored and counted.
 */
export function trustHeader(
  state: WritableState,
  root: string,
  verified: TrustedState,
  header: Header,
  validators: ValidatorSet,
  nextValidators: ValidatorSet,
): ConsensusState {
  const record: ConsensusState = {
    height: verified.height,
    timeSeconds: verified.time.seconds,
    timeNanos: verified.time.nanos,
    headerHash: hexOf(verified.headerHash),
    appHash: hexOf(header.appHash),
    validatorsHash: hexOf(header.validatorsHash),
    nextValidatorsHash: hexOf(verified.nextValidatorsHash),
  };
  writeValset(state, root, record.validatorsHash, validators);
  writeValset(state, root, record.nextValidatorsHash, nextValidators);
  writeMessage(state, headerPath(root, record.height), ConsensusStateCodec, record);
  holdSets(state, root, record);
  writeMessage(state, clientPath(root), ConsensusStateCodec, record);
  return record;
}
