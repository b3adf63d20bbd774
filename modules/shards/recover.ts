/**
 * MsgRecoverLink: governance recovers a link that reports can no longer update, because its trusted
 * header is past the trusting period (`lightclient/8` for every report) or misbehaviour froze it, as
 * ibc-go's MsgRecoverClient recovers an expired or frozen client (here with a signed header in place
 * of a substitute client). Trust in the new header comes from the proposal that passed, so the
 * light client's trust checks (the trusted set signed, the trusting period of the old header) do not
 * run; every check that needs no trust does: the link's chain id, a height above the latest trusted
 * one and a later time, a header within its own trusting period and not from the future, sets that
 * hash to the header's, a commit for the header signed by more than 2/3 of its set.
 *
 * The header becomes the link's client, stored and counted like a reported one (`valsetRefs.ts`);
 * `R/recovered_from` marks its height: the headers below it are superseded (no proof, no
 * misbehaviour reference, no query) and the next reports prune them whatever their time, with the
 * sets only they named. A freeze is lifted. Packets in flight stay: their commitments, receipts and
 * absences past a timeout stay in the other chain's state, so they are proven at heights from the
 * new header on.
 */
import { ainError, type BlockContext } from '../../core/index.ts';
import type { MsgRecoverLink } from '../../proto/gen/ain/shards/v1/tx.ts';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { ErrLinkActive, ErrMissingValidators } from './errors.ts';
import { linkRecoveredEvent } from './events.ts';
import { frozenPath, recoveredFromPath } from './keys.ts';
import {
  ErrHeaderFromFuture,
  ErrNonMonotonicHeight,
  ErrNonMonotonicTime,
  ErrTrustingPeriodExpired,
  ErrWrongChainId,
  initialTrustedState,
  timeNanos,
} from './lightclient/index.ts';
import { decodeSignedHeader, decodeValidatorSet } from './msgs.ts';
import { hexOf, isFrozen, readClient, requireLink } from './records.ts';
import { SIGNATURE_GAS, trustHeader } from './reports.ts';

const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * MsgRecoverLink (its authority is checked statelessly: gov/13). Returns the height trusted now.
 * @throws shards/2 no such link, /20 a link reports still update, /9 next_validators missing;
 *   lightclient/3 chain id, /9 height not above the latest trusted, /10 time not after it, /8 a
 *   header already past the trusting period, /11 from the future, /12 sets, /13 /14 a commit for
 *   another header, /6 /4 /5 the commit's signatures
 */
export function recoverLink(ctx: BlockContext, msg: MsgRecoverLink): bigint {
  const state = ctx.state;
  const link = requireLink(state, msg.shard);
  const signed = decodeSignedHeader(msg.signedHeader);
  const header = signed.header!;
  if (header.chainId !== link.chainId) {
    throw ainError(ErrWrongChainId, `signed_header.header.chain_id: expected ${link.chainId}, the link's, got ${header.chainId}`, {
      field: 'signed_header.header.chain_id',
    });
  }
  const client = readClient(state, link.root);
  if (header.height <= client.height) {
    throw ainError(
      ErrNonMonotonicHeight,
      `signed_header.header.height: expected above ${client.height}, the latest height shard ${link.name} trusts, got ${header.height}`,
      { field: 'signed_header.header.height', expected: `> ${client.height}` },
    );
  }
  const periodNanos = link.params.trustingPeriodSeconds * NANOS_PER_SECOND;
  const now = ctx.blockTimeSeconds * NANOS_PER_SECOND;
  const trustedTime = { seconds: client.timeSeconds, nanos: client.timeNanos };
  const frozen = isFrozen(state, link);
  if (!frozen && timeNanos(trustedTime) + periodNanos > now) {
    throw ainError(
      ErrLinkActive,
      `shard ${link.name} is neither frozen nor past its trusting period: its trusted state (height ${client.height}) is trusted until ${client.timeSeconds + link.params.trustingPeriodSeconds} s, the block time is ${ctx.blockTimeSeconds} s; reports update it`,
      { shard: link.name },
    );
  }
  // The trust root (height 0) holds the child's genesis time, which block 1 may carry: at or after it.
  const time = timeNanos(header.time);
  if (client.height === 0n ? time < timeNanos(trustedTime) : time <= timeNanos(trustedTime)) {
    throw ainError(
      ErrNonMonotonicTime,
      `signed_header.header.time: expected ${client.height === 0n ? 'at or after' : 'after'} ${client.timeSeconds} s (the trusted time), got ${header.time.seconds} s`,
      { field: 'signed_header.header.time' },
    );
  }
  if (time + periodNanos <= now) {
    throw ainError(
      ErrTrustingPeriodExpired,
      `signed_header.header.time: expected after ${ctx.blockTimeSeconds - link.params.trustingPeriodSeconds} s (the block time minus the trusting period ${link.params.trustingPeriodSeconds} s), got ${header.time.seconds} s`,
      { field: 'signed_header.header.time' },
    );
  }
  if (time >= now + link.params.maxClockDriftSeconds * NANOS_PER_SECOND) {
    throw ainError(
      ErrHeaderFromFuture,
      `signed_header.header.time: expected before ${ctx.blockTimeSeconds + link.params.maxClockDriftSeconds} s (the block time + drift ${link.params.maxClockDriftSeconds} s), got ${header.time.seconds} s`,
      { field: 'signed_header.header.time' },
    );
  }
  const validators = decodeValidatorSet(msg.validators, 'validators')!;
  const nextGiven = decodeValidatorSet(msg.nextValidators, 'next_validators');
  if (nextGiven === undefined && hexOf(header.nextValidatorsHash) !== hexOf(header.validatorsHash)) {
    throw ainError(
      ErrMissingValidators,
      `next_validators: expected the set with hash ${hexOf(header.nextValidatorsHash)} (signed_header.header.next_validators_hash)`,
      { field: 'next_validators' },
    );
  }
  const nextValidators = nextGiven ?? validators;
  const signatures = signed.commit!.signatures.filter((sig) => sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT).length;
  ctx.gas.consume(SIGNATURE_GAS * signatures, 'recovery signatures');
  const verified = initialTrustedState(signed, validators, nextValidators);

  const record = trustHeader(state, link.root, verified, header, validators, nextValidators);
  state.set(recoveredFromPath(link.root), record.height.toString());
  if (frozen) state.set(frozenPath(link.root), null);
  ctx.events.emit(
    linkRecoveredEvent({
      shard: link.name,
      height: record.height,
      headerHash: record.headerHash,
      appHash: record.appHash,
      validatorsHash: record.validatorsHash,
      previousHeight: client.height,
      unfrozen: frozen,
    }),
  );
  return record.height;
}
